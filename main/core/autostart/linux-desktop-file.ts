// Start at login on Linux and WSLg: an XDG autostart entry,
// `$XDG_CONFIG_HOME/autostart/<appId>.desktop` (default ~/.config). Electron's
// setLoginItemSettings does nothing on Linux (electron-stack.md §11), and the
// npm auto-launch packages ignore XDG_CONFIG_HOME, write Exec unquoted and
// miss AppImage moves, so this is written here. Enabling writes the file
// atomically; disabling deletes it (ours is a user entry, so no Hidden=true).
import { readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
import { desktopEntryText, execLine, parseDesktopEntry } from './desktop-entry.js';

export interface AutostartEntryOptions {
  /** The file is `<appId>.desktop`. */
  readonly appId: string;
  readonly name: string;
  readonly comment?: string;
  /** Absolute path of the program; `APPIMAGE` in env replaces it (an AppImage's mount path changes every run). */
  readonly executable: string;
  readonly args?: readonly string[];
  readonly icon?: string;
  /** Reads XDG_CONFIG_HOME and APPIMAGE. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}

export interface AutostartState {
  readonly file: string;
  readonly exists: boolean;
  /** Exists and the desktop has not turned it off (Hidden=true, X-GNOME-Autostart-enabled=false). */
  readonly enabled: boolean;
  /** Turned off by the desktop's "Startup Applications" settings while the file stays. */
  readonly disabledByDesktop: boolean;
  /** Its Exec is not what this app would write now (the app moved, or a new AppImage). */
  readonly stale: boolean;
}

const APP_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `$XDG_CONFIG_HOME/autostart`; a relative XDG_CONFIG_HOME is invalid and ignored (XDG Base Directory spec). */
export function autostartDir(env: Readonly<Record<string, string | undefined>>, homeDir: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.config');
  return path.join(configHome, 'autostart');
}

export function autostartFile(o: Pick<AutostartEntryOptions, 'appId' | 'env' | 'homeDir'>): string {
  if (!APP_ID_RE.test(o.appId)) throw new AppError('INVALID_INPUT', `"${o.appId}" cannot name a desktop file: use letters, digits, '.', '_' and '-'.`);
  return path.join(autostartDir(o.env, o.homeDir), `${o.appId}.desktop`);
}

/** The argv the entry starts. */
export function autostartCommand(o: Pick<AutostartEntryOptions, 'executable' | 'args' | 'env'>): string[] {
  const program = o.env.APPIMAGE || o.executable;
  if (!path.isAbsolute(program)) {
    throw new AppError('INVALID_INPUT', `The program to start at login must be an absolute path, not "${program}".`);
  }
  // GLib (GNOME's autostart) checks that Exec's program exists *before* it turns
  // %% back into %, so a program path with % would be dropped silently. env
  // finds it after the expansion instead.
  const prefix = program.includes('%') ? ['/usr/bin/env'] : [];
  return [...prefix, program, ...(o.args ?? [])];
}

export function autostartEntryText(o: AutostartEntryOptions): string {
  return desktopEntryText({
    name: o.name,
    ...(o.comment ? { comment: o.comment } : {}),
    exec: autostartCommand(o),
    ...(o.icon ? { icon: o.icon } : {}),
    extra: { 'X-GNOME-Autostart-enabled': 'true' },
  });
}

/** Writes the entry (temp file + rename: a session starting meanwhile sees the old file or the new one). */
export function writeAutostartEntry(o: AutostartEntryOptions): string {
  const file = autostartFile(o);
  const text = autostartEntryText(o);
  try {
    // Its temp file starts with '.' and does not end in .desktop, so no session ever reads it.
    writeFileAtomically(file, text, { mode: 0o644 });
  } catch (e) {
    throw new AppError('CONFLICT', `Could not write ${file}: ${(e as Error).message}. Check that ${path.dirname(file)} is writable.`, { cause: e });
  }
  return file;
}

/** Deletes the entry; true when there was one. */
export function removeAutostartEntry(o: Pick<AutostartEntryOptions, 'appId' | 'env' | 'homeDir'>): boolean {
  const file = autostartFile(o);
  try {
    unlinkSync(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new AppError('CONFLICT', `Could not remove ${file}: ${(e as Error).message}. Delete it by hand to stop starting at login.`, { cause: e });
  }
}

export function readAutostartState(o: AutostartEntryOptions): AutostartState {
  const file = autostartFile(o);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { file, exists: false, enabled: false, disabledByDesktop: false, stale: false };
  }
  const keys = parseDesktopEntry(text);
  const disabledByDesktop = keys.Hidden === 'true' || keys['X-GNOME-Autostart-enabled'] === 'false';
  const stale = keys.Exec !== parseDesktopEntry(`[Desktop Entry]\nExec=${execLine(autostartCommand(o))}\n`).Exec;
  return { file, exists: true, enabled: !disabledByDesktop, disabledByDesktop, stale };
}
