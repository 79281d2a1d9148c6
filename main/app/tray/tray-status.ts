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

/** Keeps menu lines short: menus do not wrap, and a long colima message would widen the menu. */
export function ellipsize(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
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
  if (phase === 'error') detail = instance?.error?.message ?? '';
  if ((phase === 'stopped' || phase === 'gone') && snapshot.environment.kind === 'resolving') detail = 'preparing the nix environment';

  let icon = iconFor(phase);
  if (snapshot.environment.kind === 'error' && icon === 'stopped') {
    icon = 'error';
    detail = snapshot.environment.message;
  }
  const label = icon === 'error' && phase !== 'error' ? 'Error' : PHASE_LABEL[phase];
  const statusLine = ellipsize(detail ? `${name}: ${label} — ${detail}` : `${name}: ${label}`);
  return { icon, statusLine, tooltip: `${APP_TITLE} — ${statusLine}`, phase };
}
