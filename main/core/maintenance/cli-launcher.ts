// Installs a `colima-k8s` command that runs the app's bundled CLI: in a packaged
// app with the app's own Electron in Node mode (ELECTRON_RUN_AS_NODE=1), in
// development with `node`. A 3-line sh script, like `colima nerdctl install`'s
// (colima-cli §8), with a marker line so that uninstall removes only a launcher
// this app wrote. Where: ~/.local/bin on Linux; /usr/local/bin on macOS when it
// is writable, else ~/.local/bin and `needsAuthorisation` (core never prompts for
// sudo: the app may ask and write `script` to `preferredPath` itself).
import { accessSync, chmodSync, constants, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { shellQuote } from './shell-quote.js';

export const LAUNCHER_NAME = 'colima-k8s';
export const LAUNCHER_MARKER = '# colima-k8s-nix launcher: written by the colima-k8s-nix app, removed by it';
export const MACOS_SYSTEM_BIN = '/usr/local/bin';

type Env = Readonly<Record<string, string | undefined>>;

export interface CliLauncherOptions {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  /** For PATH (is the folder on it?). */
  readonly env: Env;
  /** The app's executable (Electron's process.execPath when packaged). */
  readonly appExecutable: string;
  /** The bundled CLI: `<resources>/app.asar/dist/cli.cjs` packaged, `dist/cli.cjs` in development. */
  readonly cliScript: string;
  readonly isPackaged: boolean;
  /** Development only: the Node that runs the CLI. Default `node` from PATH. */
  readonly nodeExecutable?: string;
  /** macOS system folder; default /usr/local/bin (tests point it elsewhere). */
  readonly systemBinDir?: string;
}

export type InstallResult =
  | {
      readonly ok: true;
      readonly path: string;
      readonly dir: string;
      /** The folder is on PATH, so `colima-k8s` works in a new shell. */
      readonly onPath: boolean;
      /** A launcher of this app was already there and was rewritten. */
      readonly replaced: boolean;
      /** macOS: /usr/local/bin was not writable; writing `script` to `preferredPath` needs the user's authorisation. */
      readonly needsAuthorisation?: { readonly preferredPath: string; readonly script: string };
    }
  | { readonly ok: false; readonly reason: 'unsupported-platform' | 'exists-not-ours'; readonly path?: string; readonly message: string };

/** The launcher's text: sh, every word quoted (never run by the app itself). */
export function launcherScript(o: Pick<CliLauncherOptions, 'appExecutable' | 'cliScript' | 'isPackaged' | 'nodeExecutable'>): string {
  const run = o.isPackaged
    ? `export ELECTRON_RUN_AS_NODE=1\nexec ${shellQuote(o.appExecutable)} ${shellQuote(o.cliScript)} "$@"`
    : `exec ${shellQuote(o.nodeExecutable ?? 'node')} ${shellQuote(o.cliScript)} "$@"`;
  return `#!/bin/sh\n${LAUNCHER_MARKER}\n${run}\n`;
}

const userBin = (home: string): string => path.join(home, '.local', 'bin');

/** The folders a launcher may be in, best first. */
export function launcherDirs(platform: NodeJS.Platform, home: string, systemBinDir = MACOS_SYSTEM_BIN): string[] {
  if (platform === 'darwin') return [systemBinDir, userBin(home)];
  if (platform === 'linux') return [userBin(home)];
  return [];
}

export function isOnPath(dir: string, env: Env): boolean {
  const want = path.resolve(dir);
  return (env.PATH ?? '').split(path.delimiter).filter(Boolean).some((d) => path.resolve(d) === want);
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** 'ours' | 'other' | 'none' for the file at `file`. */
function ownership(file: string): 'ours' | 'other' | 'none' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : 'other';
  }
  return text.split('\n')[1] === LAUNCHER_MARKER ? 'ours' : 'other';
}

export function installCliLauncher(o: CliLauncherOptions): InstallResult {
  const dirs = launcherDirs(o.platform, o.home, o.systemBinDir);
  if (dirs.length === 0) {
    return { ok: false, reason: 'unsupported-platform', message: `A colima-k8s command is installed on macOS and Linux only, not on ${o.platform}.` };
  }
  const script = launcherScript(o);
  const systemDir = o.platform === 'darwin' ? dirs[0]! : undefined;
  const dir = systemDir && writable(systemDir) ? systemDir : userBin(o.home);
  const file = path.join(dir, LAUNCHER_NAME);
  const owner = ownership(file);
  if (owner === 'other') {
    return { ok: false, reason: 'exists-not-ours', path: file, message: `${file} exists and was not written by this app; it is left alone.` };
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, script, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, file);
  const fellBack = systemDir !== undefined && dir !== systemDir;
  return {
    ok: true, path: file, dir, onPath: isOnPath(dir, o.env), replaced: owner === 'ours',
    ...(fellBack ? { needsAuthorisation: { preferredPath: path.join(systemDir, LAUNCHER_NAME), script } } : {}),
  };
}

export interface UninstallResult {
  /** Launchers of this app that were removed. */
  readonly removed: readonly string[];
  /** Files named colima-k8s that this app did not write: left alone. */
  readonly notOurs: readonly string[];
  /** Launchers of this app that could not be removed without authorisation (macOS /usr/local/bin). */
  readonly needsAuthorisation: readonly string[];
}

export function uninstallCliLauncher(o: Pick<CliLauncherOptions, 'platform' | 'home' | 'systemBinDir'>): UninstallResult {
  const removed: string[] = [];
  const notOurs: string[] = [];
  const needsAuthorisation: string[] = [];
  for (const dir of launcherDirs(o.platform, o.home, o.systemBinDir)) {
    const file = path.join(dir, LAUNCHER_NAME);
    const owner = ownership(file);
    if (owner === 'other') notOurs.push(file);
    if (owner !== 'ours') continue;
    try {
      rmSync(file);
      removed.push(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') needsAuthorisation.push(file);
      else throw e;
    }
  }
  return { removed, notOurs, needsAuthorisation };
}
