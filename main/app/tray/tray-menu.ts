// The tray menu as a pure function of one immutable snapshot (STYLE.md: "the
// tray menu is a pure function of an immutable snapshot of state"). Nothing
// here runs a command: each item calls one action, and the tray rebuilds the
// whole menu on the next snapshot.
import type { MenuItemConstructorOptions } from 'electron';
import type { AppSnapshot, InstancePhase } from '../../core/model.js';
import { activeInstance, ellipsize, menuText, phaseLabel, trayStatus } from './tray-status.js';

export interface TrayActions {
  /** Start/stop of the active profile, by its phase (a stop while starting cancels the start). */
  toggleActive(): void;
  setActiveProfile(name: string): void;
  /** Opens (or focuses) the profile picker window. */
  openProfiles(): void;
  setStartAtLogin(enabled: boolean): void;
  setStartActiveProfileAtLaunch(enabled: boolean): void;
  /** Runs the doctor and shows its report. */
  runDoctor(): void;
  collectGarbage(): void;
  setCollectGarbageAfterQuit(enabled: boolean): void;
  openTerminal(): void;
  showLogs(): void;
  /** Opens the log of the active profile's last operation (the whole error, its cause and fix). */
  showDetails?(): void;
  /** Tears down again the launch's leftovers that could not be removed. */
  deleteLeftovers?(): void;
  /** Goes through the one quit path (quit/quit.ts). */
  quit(): void;
}

/**
 * The small state the menu shows besides the snapshot. An undefined field
 * hides its item (the platform, the build or the settings file cannot provide it).
 */
export interface TrayMenuOptions {
  /** Whether the app starts at login. */
  readonly startAtLogin?: boolean | undefined;
  /** The opt-in "start the active profile when the app launches". */
  readonly startActiveProfileAtLaunch?: boolean | undefined;
  /** The opt-in "collect nix garbage after the quit teardown" (hidden with the GC item). */
  readonly collectGarbageAfterQuit?: boolean | undefined;
  readonly doctor?: 'idle' | 'running' | undefined;
  /** Undefined where the app runs without its nix environment (nothing to collect for). */
  readonly gc?: 'idle' | 'running' | undefined;
  readonly terminal?: boolean | undefined;
  /** True once the quit path runs: actions that would start anything are disabled. */
  readonly quitting?: boolean;
  /** Leftovers of an earlier session the launch could not remove ("Delete leftovers"). */
  readonly leftovers?: { readonly profiles: readonly string[]; readonly running: boolean } | undefined;
  /** "Cluster <profile>" submenus, one per running instance (app/cluster/cluster-menu.ts), after "Profiles…". */
  readonly cluster?: readonly MenuItemConstructorOptions[] | undefined;
  /** "Update toolchain…" and, with a previous pin, "Roll back toolchain" (maintenance/toolchain-action.ts), after the GC items. */
  readonly toolchain?: readonly MenuItemConstructorOptions[] | undefined;
  /** "Install/Uninstall command-line tool", with the maintenance items. */
  readonly cliTool?: readonly MenuItemConstructorOptions[] | undefined;
}

/** Stable ids, so tests and the fake menu find items without depending on labels. */
export const TRAY_ITEM = {
  status: 'status',
  showDetails: 'show-details',
  deleteLeftovers: 'delete-leftovers',
  toggle: 'toggle',
  profiles: 'profiles',
  openProfiles: 'open-profiles',
  startAtLogin: 'start-at-login',
  startActiveProfileAtLaunch: 'start-active-profile-at-launch',
  doctor: 'doctor',
  collectGarbage: 'collect-garbage',
  collectGarbageAfterQuit: 'collect-garbage-after-quit',
  openTerminal: 'open-terminal',
  showLogs: 'show-logs',
  quit: 'quit',
} as const;

export function profileItemId(name: string): string {
  return `profile:${name}`;
}

function toggleItem(name: string, phase: InstancePhase, busy: boolean, actions: TrayActions): MenuItemConstructorOptions {
  const item = (label: string, enabled: boolean): MenuItemConstructorOptions => ({
    id: TRAY_ITEM.toggle,
    label: menuText(label),
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
      label: menuText(`${p.name} (${p.cpus} CPU, ${p.memoryGiB} GiB)${state}`),
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

  const template: MenuItemConstructorOptions[] = [{ id: TRAY_ITEM.status, label: menuText(status.statusLine), enabled: false }];
  // The last log line says why far better than "exit 1" does.
  const lastLog = error?.logTail.at(-1);
  if (phase === 'error' && lastLog) template.push({ id: 'status-log', label: menuText(ellipsize(lastLog)), enabled: false });
  // The status line holds the first sentence; the whole message (cause and fix) is in the operation's log.
  if (status.icon === 'error' && actions.showDetails) template.push({ id: TRAY_ITEM.showDetails, label: 'Show details…', click: () => actions.showDetails?.() });
  const left = options.leftovers;
  if (left && left.profiles.length > 0 && actions.deleteLeftovers) {
    template.push({
      id: TRAY_ITEM.deleteLeftovers,
      label: menuText(left.running ? 'Deleting leftovers…' : `Delete leftovers (${left.profiles.join(', ')})`),
      enabled: !left.running && !busy,
      click: () => actions.deleteLeftovers?.(),
    });
  }
  template.push(
    { type: 'separator' },
    toggleItem(snapshot.activeProfile, phase, busy, actions),
    { id: TRAY_ITEM.profiles, label: 'Profile', type: 'submenu', submenu: profileSubmenu(snapshot, actions) },
    // Quitting: the picker could only offer starts that main refuses (quit-guard.ts).
    { id: TRAY_ITEM.openProfiles, label: 'Profiles…', enabled: !options.quitting, click: () => actions.openProfiles() },
    ...(options.cluster ?? []),
    { type: 'separator' },
  );
  const settings = settingsItems(options, actions);
  if (settings.length > 0) template.push(...settings, { type: 'separator' });
  template.push(
    ...maintenanceItems(snapshot, options, actions),
    ...(options.cliTool ?? []),
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

function checkbox(id: string, label: string, checked: boolean, set: (enabled: boolean) => void): MenuItemConstructorOptions {
  return { id, label, type: 'checkbox', checked, click: () => set(!checked) };
}

function settingsItems(options: TrayMenuOptions, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  if (options.startAtLogin !== undefined) {
    items.push(checkbox(TRAY_ITEM.startAtLogin, 'Start at login', options.startAtLogin, (on) => actions.setStartAtLogin(on)));
  }
  if (options.startActiveProfileAtLaunch !== undefined) {
    items.push(
      checkbox(TRAY_ITEM.startActiveProfileAtLaunch, 'Start active profile at launch', options.startActiveProfileAtLaunch, (on) =>
        actions.setStartActiveProfileAtLaunch(on),
      ),
    );
  }
  return items;
}

/**
 * True while any instance is being started, stopped or deleted, or the nix
 * environment is being evaluated: paths built then are not rooted yet, so a
 * garbage collection could take them away.
 */
export function gcBlockedBy(snapshot: AppSnapshot): string | undefined {
  if (snapshot.teardown?.running) return 'a teardown';
  if (snapshot.environment.kind === 'resolving') return 'the nix environment being prepared';
  const busy = Object.values(snapshot.instances).find((i) => i.phase === 'starting' || i.phase === 'stopping' || i.phase === 'deleting');
  return busy ? `${busy.profile} ${busy.phase}` : undefined;
}

function maintenanceItems(snapshot: AppSnapshot, options: TrayMenuOptions, actions: TrayActions): MenuItemConstructorOptions[] {
  const quitting = Boolean(options.quitting);
  const items: MenuItemConstructorOptions[] = [];
  if (options.doctor !== undefined) {
    const running = options.doctor === 'running';
    items.push({ id: TRAY_ITEM.doctor, label: running ? 'Doctor (running…)' : 'Doctor…', enabled: !running && !quitting, click: () => actions.runDoctor() });
  }
  if (options.gc !== undefined) {
    const running = options.gc === 'running';
    items.push({
      id: TRAY_ITEM.collectGarbage,
      label: running ? 'Collecting nix garbage…' : 'Collect nix garbage',
      enabled: !running && !quitting && gcBlockedBy(snapshot) === undefined,
      click: () => actions.collectGarbage(),
    });
    if (options.collectGarbageAfterQuit !== undefined) {
      items.push(
        checkbox(TRAY_ITEM.collectGarbageAfterQuit, 'Collect nix garbage after quit', options.collectGarbageAfterQuit, (on) =>
          actions.setCollectGarbageAfterQuit(on),
        ),
      );
    }
  }
  items.push(...(options.toolchain ?? []));
  if (options.terminal) {
    items.push({ id: TRAY_ITEM.openTerminal, label: 'Open terminal in nix environment', enabled: !quitting, click: () => actions.openTerminal() });
  }
  return items;
}
