// The tray menu as a pure function of one immutable snapshot (STYLE.md: "the
// tray menu is a pure function of an immutable snapshot of state"). Nothing
// here runs a command: each item calls one action, and the tray rebuilds the
// whole menu on the next snapshot.
import type { MenuItemConstructorOptions } from 'electron';
import type { AppSnapshot, InstancePhase } from '../core/model.js';
import { activeInstance, ellipsize, phaseLabel, trayStatus } from './tray-status.js';

export interface TrayActions {
  /** Start/stop of the active profile, by its phase (a stop while starting cancels the start). */
  toggleActive(): void;
  setActiveProfile(name: string): void;
  /** Opens (or focuses) the profile picker window. */
  openProfiles(): void;
  setStartAtLogin(enabled: boolean): void;
  showLogs(): void;
  /** Goes through the one quit path (quit.ts). */
  quit(): void;
}

export interface TrayMenuOptions {
  /** Whether the app starts at login; undefined when this platform/build cannot tell (item hidden). */
  readonly startAtLogin?: boolean | undefined;
  /** True once the quit path runs: actions that would start anything are disabled. */
  readonly quitting?: boolean;
}

/** Stable ids, so tests and the fake menu find items without depending on labels. */
export const TRAY_ITEM = {
  status: 'status',
  toggle: 'toggle',
  profiles: 'profiles',
  openProfiles: 'open-profiles',
  startAtLogin: 'start-at-login',
  showLogs: 'show-logs',
  quit: 'quit',
} as const;

export function profileItemId(name: string): string {
  return `profile:${name}`;
}

function toggleItem(name: string, phase: InstancePhase, busy: boolean, actions: TrayActions): MenuItemConstructorOptions {
  const item = (label: string, enabled: boolean): MenuItemConstructorOptions => ({
    id: TRAY_ITEM.toggle,
    label,
    enabled: enabled && !busy,
    click: () => actions.toggleActive(),
  });
  switch (phase) {
    case 'running':
      return item(`Stop ${name}`, true);
    case 'starting':
      // The controller's stop cancels a start under way (kills colima's process group), then stops.
      return item(`Cancel start of ${name}`, true);
    case 'stopping':
    case 'deleting':
      return item(`Stopping ${name}…`, false);
    case 'stopped':
    case 'gone':
    case 'error':
      return item(`Start ${name}`, true);
  }
}

function profileSubmenu(snapshot: AppSnapshot, actions: TrayActions): MenuItemConstructorOptions[] {
  if (snapshot.profiles.length === 0) return [{ label: 'No profiles yet', enabled: false }];
  return snapshot.profiles.map((p) => {
    const phase = snapshot.instances[p.name]?.phase;
    const state = phase && phase !== 'stopped' && phase !== 'gone' ? ` — ${phaseLabel(phase).toLowerCase()}` : '';
    return {
      id: profileItemId(p.name),
      label: `${p.name} (${p.cpus} CPU, ${p.memoryGiB} GiB)${state}`,
      type: 'radio',
      checked: p.name === snapshot.activeProfile,
      click: () => actions.setActiveProfile(p.name),
    };
  });
}

export function buildTrayMenuTemplate(
  snapshot: AppSnapshot,
  actions: TrayActions,
  options: TrayMenuOptions = {},
): MenuItemConstructorOptions[] {
  const status = trayStatus(snapshot);
  const busy = Boolean(options.quitting || snapshot.teardown?.running);
  const phase = activeInstance(snapshot)?.phase ?? 'stopped';
  const error = activeInstance(snapshot)?.error;

  const template: MenuItemConstructorOptions[] = [{ id: TRAY_ITEM.status, label: status.statusLine, enabled: false }];
  // The last log line says why far better than "exit 1" does.
  const lastLog = error?.logTail.at(-1);
  if (phase === 'error' && lastLog) template.push({ id: 'status-log', label: ellipsize(lastLog), enabled: false });
  template.push(
    { type: 'separator' },
    toggleItem(snapshot.activeProfile, phase, busy, actions),
    { id: TRAY_ITEM.profiles, label: 'Profile', type: 'submenu', submenu: profileSubmenu(snapshot, actions) },
    { id: TRAY_ITEM.openProfiles, label: 'Profiles…', click: () => actions.openProfiles() },
    { type: 'separator' },
  );
  if (options.startAtLogin !== undefined) {
    const enabled = options.startAtLogin;
    template.push({
      id: TRAY_ITEM.startAtLogin,
      label: 'Start at login',
      type: 'checkbox',
      checked: enabled,
      click: () => actions.setStartAtLogin(!enabled),
    });
  }
  template.push(
    { id: TRAY_ITEM.showLogs, label: 'Show logs', click: () => actions.showLogs() },
    { type: 'separator' },
    {
      id: TRAY_ITEM.quit,
      label: options.quitting ? 'Quitting…' : 'Quit',
      enabled: !options.quitting,
      accelerator: 'CommandOrControl+Q',
      click: () => actions.quit(),
    },
  );
  return template;
}
