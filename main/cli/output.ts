// What the CLI prints: tables and JSON on stdout, progress and the one error
// line on stderr. Text that came from input or from a command is escaped so a
// name holding a newline or an escape sequence cannot forge extra lines.
import type { AppSnapshot, InstanceState, Profile, TeardownItem } from '../core/model.js';

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

export function formatStatus(snapshot: AppSnapshot): string {
  const rows = Object.values(snapshot.instances)
    .sort((a, b) => a.profile.localeCompare(b.profile))
    .map((i) => [
      i.profile === snapshot.activeProfile ? '*' : '',
      oneLine(i.profile),
      PHASE_TEXT[i.phase],
      i.startedByApp ? 'yes' : 'no',
      oneLine(i.error?.message ?? i.stage ?? ''),
    ]);
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

export function statusJson(snapshot: AppSnapshot): string {
  return (
    JSON.stringify({
      activeProfile: snapshot.activeProfile,
      instances: Object.values(snapshot.instances).sort((a, b) => a.profile.localeCompare(b.profile)),
      environment: snapshot.environment,
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
    if (env.kind === 'resolving') show('env', 'nix: preparing the environment of shell.nix (it is evaluated again only when it changed) ...');
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
