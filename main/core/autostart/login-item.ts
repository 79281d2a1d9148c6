// "Start at login" on every platform behind one small service, so the tray's
// checkbox shows the real state. macOS and Windows use Electron's
// setLoginItemSettings (on macOS 13+ it goes through SMAppService and may need
// the user's approval: electron-stack.md §11, peers.md §4); Linux and WSLg use
// an XDG autostart file. Electron is injected (types only here), so this runs
// and is tested in plain Node.
import type { App } from 'electron';
import {
  readAutostartState,
  removeAutostartEntry,
  writeAutostartEntry,
  type AutostartEntryOptions,
} from './linux-desktop-file.js';

/** The part of Electron's `app` this needs. */
export type LoginItemApi = Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;

export type LoginItemStatus =
  | 'enabled'
  | 'disabled'
  /** macOS 13+: registered, but it will not run until allowed in System Settings > General > Login Items. */
  | 'requires-approval'
  /** macOS: the system cannot find the app bundle (e.g. not in /Applications, or run unpackaged). */
  | 'not-found'
  /** Registered, but turned off outside the app (Windows Task Manager, the Linux desktop's startup settings). */
  | 'disabled-by-system'
  | 'unsupported';

export interface LoginItemState {
  /** The app will really start at login: what the tray checkbox shows. */
  readonly enabled: boolean;
  /** The app asked for it (set(true)); differs from `enabled` when approval or a system switch blocks it. */
  readonly requested: boolean;
  readonly status: LoginItemStatus;
  readonly mechanism: 'electron' | 'xdg-autostart' | 'none';
  /** What the user can do about a non-obvious status. */
  readonly message?: string;
  /** macOS: this launch came from the login item (start hidden then). */
  readonly wasOpenedAtLogin?: boolean;
  /** Linux: the autostart file. */
  readonly file?: string;
}

export interface LoginItemService {
  get(): LoginItemState;
  /** Applies the choice, then reads the state back (which may differ: approval, system switches). */
  set(enabled: boolean): LoginItemState;
  /** At launch: rewrite a Linux entry that points at an old location (moved app, new AppImage). */
  refresh(): LoginItemState;
}

export interface LoginItemServiceOptions {
  readonly platform: NodeJS.Platform;
  /** Electron's `app`; required on darwin and win32. */
  readonly electron?: LoginItemApi;
  /** The program to start: process.execPath. */
  readonly executable: string;
  /** Arguments for that program (Windows and Linux; macOS's SMAppService has none). */
  readonly args?: readonly string[];
  /** The Linux autostart entry (executable and args come from above). */
  readonly linux: Omit<AutostartEntryOptions, 'executable' | 'args'>;
}

const APPROVAL_MESSAGE = 'macOS needs your approval: open System Settings > General > Login Items and allow the app.';

export function createLoginItemService(o: LoginItemServiceOptions): LoginItemService {
  if (o.platform === 'darwin') return darwinService(requireElectron(o));
  if (o.platform === 'win32') return windowsService(requireElectron(o), o);
  if (o.platform === 'linux') return linuxService({ ...o.linux, executable: o.executable, args: o.args ?? [] });
  const state: LoginItemState = { enabled: false, requested: false, status: 'unsupported', mechanism: 'none', message: `Start at login is not supported on ${o.platform}.` };
  return { get: () => state, set: () => state, refresh: () => state };
}

function requireElectron(o: LoginItemServiceOptions): LoginItemApi {
  if (!o.electron) throw new Error(`createLoginItemService: on ${o.platform} pass Electron's app as \`electron\`.`);
  return o.electron;
}

function darwinService(electron: LoginItemApi): LoginItemService {
  const get = (): LoginItemState => {
    const s = electron.getLoginItemSettings();
    const base = { mechanism: 'electron' as const, wasOpenedAtLogin: Boolean(s.wasOpenedAtLogin) };
    // `status` exists on macOS 13+ only; older systems report openAtLogin alone.
    switch (s.status) {
      case 'enabled':
        return { ...base, enabled: true, requested: true, status: 'enabled' };
      case 'requires-approval':
        return { ...base, enabled: false, requested: true, status: 'requires-approval', message: APPROVAL_MESSAGE };
      case 'not-found':
        return {
          ...base,
          enabled: false,
          requested: Boolean(s.openAtLogin),
          status: 'not-found',
          message: 'macOS cannot find the app to register it: move it to the Applications folder and try again.',
        };
      case 'not-registered':
        return { ...base, enabled: false, requested: false, status: 'disabled' };
      default:
        return { ...base, enabled: Boolean(s.openAtLogin), requested: Boolean(s.openAtLogin), status: s.openAtLogin ? 'enabled' : 'disabled' };
    }
  };
  return {
    get,
    set(enabled) {
      electron.setLoginItemSettings({ openAtLogin: enabled });
      return get();
    },
    refresh: get,
  };
}

function windowsService(electron: LoginItemApi, o: LoginItemServiceOptions): LoginItemService {
  // Windows matches the registry value by path and args: query with the same ones.
  const query = { path: o.executable, args: [...(o.args ?? [])] };
  const get = (): LoginItemState => {
    const s = electron.getLoginItemSettings(query);
    if (!s.openAtLogin) return { enabled: false, requested: false, status: 'disabled', mechanism: 'electron' };
    if (s.executableWillLaunchAtLogin === false) {
      return {
        enabled: false,
        requested: true,
        status: 'disabled-by-system',
        mechanism: 'electron',
        message: 'It is turned off in Task Manager > Startup apps (or Settings > Apps > Startup): turn it on there.',
      };
    }
    return { enabled: true, requested: true, status: 'enabled', mechanism: 'electron' };
  };
  return {
    get,
    set(enabled) {
      electron.setLoginItemSettings({ openAtLogin: enabled, ...query });
      return get();
    },
    refresh: get,
  };
}

function linuxService(entry: AutostartEntryOptions): LoginItemService {
  const get = (): LoginItemState => {
    const s = readAutostartState(entry);
    const base = { mechanism: 'xdg-autostart' as const, file: s.file };
    if (!s.exists) return { ...base, enabled: false, requested: false, status: 'disabled' };
    if (s.disabledByDesktop) {
      return {
        ...base,
        enabled: false,
        requested: true,
        status: 'disabled-by-system',
        message: "It is turned off in the desktop's startup applications settings; turning it on here rewrites the entry.",
      };
    }
    return { ...base, enabled: true, requested: true, status: 'enabled' };
  };
  return {
    get,
    set(enabled) {
      if (enabled) writeAutostartEntry(entry);
      else removeAutostartEntry(entry);
      return get();
    },
    refresh() {
      const s = readAutostartState(entry);
      if (s.exists && s.enabled && s.stale) writeAutostartEntry(entry);
      return get();
    },
  };
}
