// Finds nix-shell (and its sibling tools) from a process whose PATH may be
// launchd's minimal one (nix-env.md §5). Order: an explicit setting, the
// process PATH, the places nix installers and NixOS/nix-darwin put profiles,
// and last the login shell. A candidate counts only when it is an executable
// regular file and `nix-shell --version` succeeds.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.js';
import { nullLogger, type Logger } from '../log.js';
import { runCommand } from '../run.js';
import { readLoginShellEnv, type Env, type LoginShellOptions, type ReadLoginShellEnvOptions } from './login-shell-env.js';
import { isExecutableFile, splitAbsolutePath } from '../executables.js';

export type NixFoundVia = 'setting' | 'PATH' | 'well-known location' | 'login shell';

export interface NixTools {
  readonly nixShell: string;
  readonly nixInstantiate: string;
  readonly nixStore: string;
  /** Used by maintenance only; undefined when not next to nix-shell. */
  readonly nixCollectGarbage?: string;
  readonly nixEnv?: string;
  /** The folder nix-shell was found in. */
  readonly binDir: string;
  /** First line of `nix-shell --version`, e.g. `nix-shell (Nix) 2.8.0`. */
  readonly version: string;
  readonly foundVia: NixFoundVia;
  /** NIX_PATH as the login shell sets it, when the login shell was asked and set one. */
  readonly loginShellNixPath?: string;
}

export interface LocateNixOptions {
  /** A nix-shell file or the folder holding it (preferences). Default: $COLIMA_K8S_NIX_SHELL. */
  readonly explicit?: string;
  readonly env?: Env;
  readonly homedir?: string;
  readonly username?: string;
  /** Prefix for the absolute system locations (/nix/var/..., /run/..., /usr/...). Tests only. */
  readonly systemRoot?: string;
  readonly platform?: NodeJS.Platform;
  /** Ask the login shell as a last resort (default true). */
  readonly loginShell?: boolean | LoginShellOptions;
  readonly readLoginShellEnv?: (options: ReadLoginShellEnvOptions) => Promise<Record<string, string> | undefined>;
  readonly isExecutableFile?: (file: string) => boolean;
  /** First line of `<nixShell> --version`, or undefined when it fails. */
  readonly readVersion?: (nixShell: string, env: Env) => Promise<string | undefined>;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

interface SearchDir {
  readonly dir: string;
  readonly via: NixFoundVia;
}

/** The environment variable that names nix-shell; set, it is the only place looked at. */
export const NIX_SHELL_VARIABLE = 'COLIMA_K8S_NIX_SHELL';

export const NIX_INSTALL_HELP = [
  'Install Nix, then restart the app:',
  "  official installer:    sh <(curl --proto '=https' --tlsv1.2 -L https://nixos.org/nix/install) --daemon",
  "  Determinate installer: curl --proto '=https' --tlsv1.2 -sSf -L https://install.determinate.systems/nix | sh -s -- install",
  '  Debian/Ubuntu:         sudo apt install nix-bin',
  'If Nix is installed somewhere else, set the path of nix-shell in the settings (or COLIMA_K8S_NIX_SHELL).',
].join('\n');

/** The fixed profile locations, in the order a login shell would use (§5 step 3). */
export function wellKnownNixDirs(options: Pick<LocateNixOptions, 'env' | 'homedir' | 'username' | 'systemRoot'> = {}): string[] {
  const env = options.env ?? process.env;
  const home = options.homedir ?? env.HOME ?? os.homedir();
  const user = options.username ?? env.USER ?? safeUsername();
  const sys = (p: string): string => path.join(options.systemRoot ?? '/', p);
  const stateHome = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return [
    path.join(stateHome, 'nix', 'profile', 'bin'),
    path.join(home, '.nix-profile', 'bin'),
    ...(user ? [sys(path.join('etc', 'profiles', 'per-user', user, 'bin'))] : []),
    sys('run/current-system/sw/bin'),
    sys('nix/var/nix/profiles/default/bin'),
    sys('usr/local/bin'),
    sys('usr/bin'),
  ];
}

/**
 * A PATH for children that works even when the app got launchd's minimal one:
 * nix's folder, the caller's absolute entries, the profile folders, then the
 * system folders (nix-env.md §5, last paragraph). Duplicates are dropped.
 */
export function saneChildPath(nixBinDir: string | undefined, options: Pick<LocateNixOptions, 'env' | 'homedir' | 'username' | 'systemRoot'> = {}): string {
  const env = options.env ?? process.env;
  const entries = [
    ...(nixBinDir ? [nixBinDir] : []),
    ...splitAbsolutePath(env.PATH),
    ...wellKnownNixDirs(options),
    '/usr/bin',
    '/bin',
    '/usr/sbin',
    '/sbin',
  ];
  return [...new Set(entries)].join(path.delimiter);
}

export async function locateNix(options: LocateNixOptions = {}): Promise<NixTools> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? nullLogger;
  const isExec = options.isExecutableFile ?? isExecutableFile;
  const readVersion = options.readVersion ?? ((file: string, e: Env) => readNixShellVersion(file, e, logger, options.signal));
  const looked: string[] = [];

  const tryDir = async (dir: string, via: NixFoundVia, loginShellNixPath?: string): Promise<NixTools | undefined> => {
    const nixShell = path.join(dir, 'nix-shell');
    looked.push(dir);
    if (!isExec(nixShell)) return undefined;
    const version = await readVersion(nixShell, env);
    if (version === undefined) {
      logger.log('warn', `${nixShell} is there but \`--version\` failed; skipping it`);
      return undefined;
    }
    const tools = siblings(nixShell, isExec);
    if (!tools) {
      logger.log('warn', `${nixShell} has no nix-instantiate/nix-store next to it; skipping it`);
      return undefined;
    }
    logger.log('info', `found ${version} at ${nixShell} (${via})`);
    return { ...tools, binDir: dir, version, foundVia: via, ...(loginShellNixPath ? { loginShellNixPath } : {}) };
  };

  const explicit = options.explicit ?? env.COLIMA_K8S_NIX_SHELL;
  if (explicit) {
    const dir = explicitDir(explicit, isExec);
    const found = await tryDir(dir, 'setting');
    if (found) return found;
    // Say where the path came from: with the variable set, nothing else is searched, so "install Nix" would be the wrong advice.
    const fromVariable = options.explicit === undefined;
    throw new AppError(
      'NIX_NOT_FOUND',
      `The configured nix-shell (${explicit}) is not a working nix-shell: it must be an executable file (or the folder holding one) ` +
        `whose \`nix-shell --version\` succeeds, with nix-instantiate and nix-store next to it. ` +
        (fromVariable
          ? `It comes from ${NIX_SHELL_VARIABLE}=${explicit}: fix that path, or unset ${NIX_SHELL_VARIABLE} to let the app search for Nix.`
          : 'Fix the path in the settings, or clear it to search automatically.'),
      { field: fromVariable ? NIX_SHELL_VARIABLE : 'nixShell' },
    );
  }

  const dirs: SearchDir[] = [
    ...splitAbsolutePath(env.PATH).map((dir) => ({ dir, via: 'PATH' as const })),
    ...wellKnownNixDirs(options).map((dir) => ({ dir, via: 'well-known location' as const })),
  ];
  const seen = new Set<string>();
  for (const { dir, via } of dirs) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    const found = await tryDir(dir, via);
    if (found) return found;
  }

  if (options.loginShell !== false) {
    const shellOptions = typeof options.loginShell === 'object' ? options.loginShell : {};
    const read = options.readLoginShellEnv ?? readLoginShellEnv;
    const shellEnv = await read({ ...shellOptions, env, platform: options.platform, logger, signal: options.signal });
    looked.push(`the login shell's PATH (${shellEnv ? 'read' : 'could not be read'})`);
    for (const dir of splitAbsolutePath(shellEnv?.PATH)) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      const found = await tryDir(dir, 'login shell', shellEnv?.NIX_PATH);
      if (found) return found;
    }
  }

  throw new AppError('NIX_NOT_FOUND', `Nix was not found: colima-k8s-nix runs colima and kubectl inside nix-shell, so it needs Nix.\n${NIX_INSTALL_HELP}\nLooked in: ${[...new Set(looked)].join(', ')}.`);
}

function explicitDir(explicit: string, isExec: (f: string) => boolean): string {
  const abs = path.resolve(explicit);
  if (isExec(abs) && path.basename(abs) === 'nix-shell') return path.dirname(abs);
  return abs;
}

/** nix-instantiate etc. next to nix-shell, else next to its real file (a profile may hold only some links). */
function siblings(nixShell: string, isExec: (f: string) => boolean): Omit<NixTools, 'binDir' | 'version' | 'foundVia'> | undefined {
  const dirs = [path.dirname(nixShell)];
  try {
    dirs.push(path.dirname(realpathOf(nixShell)));
  } catch {
    /* keep the one folder */
  }
  const find = (name: string): string | undefined => dirs.map((d) => path.join(d, name)).find((f) => isExec(f));
  const nixInstantiate = find('nix-instantiate');
  const nixStore = find('nix-store');
  if (!nixInstantiate || !nixStore) return undefined;
  const nixCollectGarbage = find('nix-collect-garbage');
  const nixEnv = find('nix-env');
  return { nixShell, nixInstantiate, nixStore, ...(nixCollectGarbage ? { nixCollectGarbage } : {}), ...(nixEnv ? { nixEnv } : {}) };
}

function realpathOf(file: string): string {
  // Resolves the profile symlink chain (~/.nix-profile/bin/nix-shell → /nix/store/…/bin/nix-shell).
  return realpathSync.native(file);
}

async function readNixShellVersion(file: string, env: Env, logger: Logger, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const r = await runCommand(file, ['--version'], { env, timeoutMs: 10_000, signal, logger });
    if (r.exitCode !== 0) return undefined;
    return r.stdout.split('\n')[0]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

function safeUsername(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}
