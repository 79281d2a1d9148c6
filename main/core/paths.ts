// Where the app keeps its files. The CLI and the tray resolve the same folder,
// so they share one settings file, one ledger and one nix cache.
import os from 'node:os';
import path from 'node:path';

export const APP_ID = 'colima-k8s-nix';

/** COLIMA_K8S_HOME, else the per-OS user data folder Electron would use. */
export function resolveAppHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const override = env.COLIMA_K8S_HOME;
  if (override) return path.resolve(override);
  const home = env.HOME || os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_ID);
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), APP_ID);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP_ID);
}

export interface AppPaths {
  readonly home: string;
  readonly settingsDir: string;
  readonly ledgerFile: string;
  readonly nixCacheDir: string;
  readonly logsDir: string;
}

export function appPaths(home: string): AppPaths {
  return {
    home,
    settingsDir: home,
    ledgerFile: path.join(home, 'ledger.json'),
    nixCacheDir: path.join(home, 'nix'),
    logsDir: path.join(home, 'logs'),
  };
}

/**
 * The shell.nix shipped with the app: `<resources>/nix/shell.nix` when packaged
 * (extraResources: nix-shell must read a real file, not one inside the asar),
 * else the repository's own `shell.nix` next to `dist/`.
 */
export function shippedShellNix(opts: { resourcesPath?: string; bundleDir: string }): string {
  // Pass resourcesPath only when packaged. Never fall back to a path inside the
  // asar: nix-shell could not read it, and the error would name the wrong file.
  if (opts.resourcesPath) return path.join(opts.resourcesPath, 'nix', 'shell.nix');
  return path.resolve(opts.bundleDir, '..', 'shell.nix');
}

/** COLIMA_K8S_SHELL_NIX, else the shipped one. */
export function resolveShellNix(env: NodeJS.ProcessEnv, shipped: string): string {
  return env.COLIMA_K8S_SHELL_NIX ? path.resolve(env.COLIMA_K8S_SHELL_NIX) : shipped;
}
