// What the tray shows, derived from one immutable snapshot: the icon state,
// the status line and the tooltip. Pure: no Electron, no I/O.
import type { AppSnapshot, InstancePhase, InstanceState } from '../../core/model.js';

/** The five icons in build/tray (build/make-icons.mjs). */
export type TrayIconState = 'stopped' | 'starting' | 'running' | 'stopping' | 'error';

export const TRAY_ICON_STATES: readonly TrayIconState[] = ['stopped', 'starting', 'running', 'stopping', 'error'];

export interface TrayStatus {
  readonly icon: TrayIconState;
  /** The first, disabled menu line, e.g. `dev: Starting — provisioning ... (kubernetes)`. */
  readonly statusLine: string;
  /** Also carries the status on Linux, where Tray.setTitle does nothing (electron-stack §12). */
  readonly tooltip: string;
  /** The active profile's phase (`stopped` when colima has no instance of it). */
  readonly phase: InstancePhase;
}

export const APP_TITLE = 'colima-k8s-nix';

const PHASE_LABEL: Record<InstancePhase, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  deleting: 'Deleting',
  gone: 'Stopped',
  error: 'Error',
};

export function phaseLabel(phase: InstancePhase): string {
  return PHASE_LABEL[phase];
}

export function activeInstance(snapshot: AppSnapshot): InstanceState | undefined {
  return snapshot.instances[snapshot.activeProfile];
}

function iconFor(phase: InstancePhase): TrayIconState {
  switch (phase) {
    case 'starting':
      return 'starting';
    case 'running':
      return 'running';
    case 'stopping':
    case 'deleting':
      return 'stopping';
    case 'error':
      return 'error';
    case 'stopped':
    case 'gone':
      return 'stopped';
  }
}

/**
 * Keeps menu lines short (menus do not wrap, and a long colima message would
 * widen the menu): cut at the last word boundary before `max`, with "…"; a
 * single word longer than that (a path) is cut inside. "Show details…" opens the whole text.
 */
export function ellipsize(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= max) return oneLine;
  const cut = oneLine.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space >= max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:—-]+$/, '')}…`;
}

/** An error's first sentence (up to a `.`, `!` or `?` followed by a space): the cause, without the paragraph after it. */
/** An error's status line: room for `<profile>: Error — ` and the first sentence of the error. */
const ERROR_LINE_MAX = 80;

export function firstSentence(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return /^.+?[.!?](?= )/.exec(oneLine)?.[0] ?? oneLine;
}

/**
 * Electron reads `&` in a menu label as a mnemonic marker and drops it (Windows,
 * Linux); `&&` shows one `&`. Every label built from data goes through this.
 */
export function menuText(text: string): string {
  return text.replace(/&/g, '&&');
}

export function trayStatus(snapshot: AppSnapshot): TrayStatus {
  const name = snapshot.activeProfile;
  const instance = activeInstance(snapshot);
  const phase = instance?.phase ?? 'stopped';
  const teardown = snapshot.teardown;

  if (teardown?.running) {
    const left = teardown.items.filter((i) => i.step !== 'done').length;
    const line = `Cleaning up: ${left} of ${teardown.items.length} instance${teardown.items.length === 1 ? '' : 's'} left`;
    return { icon: 'stopping', statusLine: line, tooltip: `${APP_TITLE} — ${line}`, phase };
  }

  let detail = '';
  if (phase === 'starting' || phase === 'stopping' || phase === 'deleting') detail = instance?.stage ?? '';
  if (phase === 'error') detail = firstSentence(instance?.error?.message ?? '');
  const env = snapshot.environment;
  // nix's own progress (fetching n/N paths …) replaces colima's stage while a start waits for the environment.
  const nixProgress = env.kind === 'resolving' && phase !== 'stopping' && phase !== 'deleting' ? env.progress : undefined;
  if ((phase === 'stopped' || phase === 'gone') && env.kind === 'resolving') detail = 'preparing the nix environment';
  if (nixProgress) detail = `preparing nix: ${nixProgress.text}`;

  let icon = iconFor(phase);
  if (snapshot.environment.kind === 'error' && icon === 'stopped') {
    icon = 'error';
    detail = firstSentence(snapshot.environment.message);
  }
  const label = icon === 'error' && phase !== 'error' ? 'Error' : PHASE_LABEL[phase];
  const statusLine = ellipsize(detail ? `${name}: ${label} — ${detail}` : `${name}: ${label}`, nixProgress ? 96 : icon === 'error' ? ERROR_LINE_MAX : undefined);
  const percent = nixProgress?.fraction === undefined ? '' : ` (${Math.round(nixProgress.fraction * 100)}%)`;
  return { icon, statusLine, tooltip: `${APP_TITLE} — ${statusLine}${percent}`, phase };
}
