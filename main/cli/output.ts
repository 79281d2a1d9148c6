// What the CLI prints: tables and JSON on stdout, progress and the one error
// line on stderr. Text that came from input or from a command is escaped so a
// name holding a newline or an escape sequence cannot forge extra lines.
import type { ClusterGlance } from '../core/cluster/glance.js';
import type { AppSnapshot, InstanceState, Profile, TeardownItem } from '../core/model.js';
import type { EnvironmentProblem } from './status-offline.js';
import { progressLine } from '../core/nix/progress.js';

/** Makes control characters visible (`\n`, `\u001b`) so one message is one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function formatProfiles(profiles: readonly Profile[], active: string): string {
  return table(
    ['', 'NAME', 'CPUS', 'MEMORY', 'DISK', 'KUBERNETES', 'RUNTIME', 'IMAGES', 'KEEP-DATA'],
    profiles.map((p) => [
      p.name === active ? '*' : '',
      p.name,
      String(p.cpus),
      `${p.memoryGiB}GiB`,
      `${p.diskGiB}GiB`,
      p.kubernetes ? p.kubernetesVersion || 'yes (default version)' : 'no',
      p.runtime,
      String(p.images.length),
      p.keepData ? 'yes' : 'no',
    ]),
  );
}

export function profilesJson(profiles: readonly Profile[], active: string): string {
  return JSON.stringify({ activeProfile: active, profiles }) + '\n';
}

const PHASE_TEXT: Record<InstanceState['phase'], string> = {
  stopped: 'stopped',
  starting: 'starting',
  running: 'running',
  stopping: 'stopping',
  deleting: 'deleting',
  gone: 'no VM',
  error: 'error',
};

/** `offline`: the nix environment is unavailable, so colima could not be asked: every state is unknown. */
export function formatStatus(snapshot: AppSnapshot, offline?: EnvironmentProblem): string {
  const rows = Object.values(snapshot.instances)
    .sort((a, b) => a.profile.localeCompare(b.profile))
    .map((i) => [
      i.profile === snapshot.activeProfile ? '*' : '',
      oneLine(i.profile),
      offline ? 'unknown' : PHASE_TEXT[i.phase],
      i.startedByApp ? 'yes' : 'no',
      offline ? '' : oneLine(i.error?.message ?? i.stage ?? ''),
    ]);
  if (offline) {
    const [first = '', ...more] = offline.reason.split('\n');
    return (
      table(['', 'PROFILE', 'STATE', 'STARTED-BY-APP', 'DETAIL'], rows) +
      [`nix environment: UNAVAILABLE: ${oneLine(first)}`, ...more.map((l) => `  ${oneLine(l)}`)].join('\n') +
      `\nThe states are unknown: colima runs only inside the nix environment. ${oneLine(offline.whatToDo)}\n`
    );
  }
  const env = snapshot.environment;
  const envLine =
    env.kind === 'ready'
      ? `nix environment: ready (${env.fromCache ? 'cached' : 'evaluated'}) from ${env.shellNix}`
      : env.kind === 'fallback'
        ? `nix environment: LAST GOOD one of ${env.shellNix} (${oneLine(env.reason)})`
        : env.kind === 'error'
          ? `nix environment: error: ${oneLine(env.message)}`
          : `nix environment: ${env.kind}`;
  return table(['', 'PROFILE', 'STATE', 'STARTED-BY-APP', 'DETAIL'], rows) + envLine + '\n';
}

/** `environmentAvailable: false` (with `offline`): every instance's phase is `unknown`, `environment` holds the reason and `whatToDo`. */
export function statusJson(snapshot: AppSnapshot, offline?: EnvironmentProblem, glances: ReadonlyMap<string, ClusterGlance> = new Map()): string {
  const instances = Object.values(snapshot.instances).sort((a, b) => a.profile.localeCompare(b.profile));
  return (
    JSON.stringify({
      activeProfile: snapshot.activeProfile,
      environmentAvailable: offline === undefined,
      instances: offline
        ? instances.map((i) => ({ profile: i.profile, phase: 'unknown', startedByApp: i.startedByApp }))
        : instances.map((i) => (glances.has(i.profile) ? { ...i, cluster: glances.get(i.profile) } : i)),
      environment: offline ? { kind: 'error', message: offline.reason, whatToDo: offline.whatToDo } : snapshot.environment,
    }) + '\n'
  );
}

const STEP_TEXT: Record<TeardownItem['step'], string> = {
  waiting: 'waiting',
  stopping: 'stopping',
  'force-stopping': 'stop hung or failed: forcing the stop (stop --force)',
  deleting: 'deleting',
  'cleaning-kubeconfig': 'removing its kube context',
  done: 'deleted',
  failed: 'FAILED',
};

/**
 * Prints, on stderr, each change of stage of the watched instances and each
 * teardown step, once. Returns the subscriber for AppController.subscribe.
 */
export function progressPrinter(write: (line: string) => void, watch: (profile: string) => boolean): (snapshot: AppSnapshot) => void {
  const shown = new Map<string, string>();
  const show = (key: string, text: string): void => {
    if (shown.get(key) === text) return;
    shown.set(key, text);
    write(text + '\n');
  };
  return (snapshot) => {
    const env = snapshot.environment;
    if (env.kind === 'resolving' && !env.progress) show('env', 'nix: preparing the environment of shell.nix (it is evaluated again only when it changed) ...');
    if (env.kind === 'resolving' && env.progress) show('env-progress', `${progressLine(env.progress)}${env.progress.fraction === undefined ? '' : ` (${Math.round(env.progress.fraction * 100)}%)`}`);
    if (env.kind === 'fallback') show('env', `nix: WARNING: using the last good environment: ${oneLine(env.reason)}`);
    for (const item of snapshot.teardown?.items ?? []) {
      if (item.step === 'waiting') continue;
      show(`teardown:${item.profile}`, `${oneLine(item.profile)}: ${STEP_TEXT[item.step]}${item.message ? ` (${oneLine(item.message)})` : ''}`);
    }
    if (snapshot.teardown?.running) return;
    for (const instance of Object.values(snapshot.instances)) {
      if (!watch(instance.profile) || (instance.phase !== 'starting' && instance.phase !== 'stopping')) continue;
      show(`stage:${instance.profile}`, `${oneLine(instance.profile)}: ${oneLine(instance.stage ?? instance.phase)}`);
    }
  };
}
