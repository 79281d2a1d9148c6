// Which config folder colima will use ($BASE), reproduced from colima-cli §1
// (`config/files.go`, configBaseDir). First match wins:
//   1. $COLIMA_HOME, only if that folder already exists (silently ignored otherwise: §14.10)
//   2. ~/.colima if it exists (with a 3-line warning when XDG_CONFIG_HOME is set too)
//   3. $XDG_CONFIG_HOME/colima when XDG_CONFIG_HOME is set
//   4. ~/.config/colima if it exists (only after v0.10.3; nixpkgs packages 0.10.1)
//   5. ~/.colima on macOS, ~/.config/colima elsewhere (os.UserConfigDir()/colima)
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export type BaseDirReason = 'COLIMA_HOME' | 'dot-colima' | 'XDG_CONFIG_HOME' | 'dot-config' | 'platform-default';

export interface ColimaBaseDir {
  readonly dir: string;
  readonly reason: BaseDirReason;
  /** $COLIMA_HOME when it is set but missing, so colima ignores it. */
  readonly ignoredColimaHome?: string;
  /** True when colima prints "found ~/.colima, ignoring $XDG_CONFIG_HOME..." on every command. */
  readonly xdgWarning: boolean;
  /** Every folder colima could use, in precedence order (existing or not). */
  readonly candidates: readonly string[];
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function resolveColimaBaseDir(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
  platform: NodeJS.Platform,
  dirExists: (p: string) => boolean = isDirectory,
): ColimaBaseDir {
  const colimaHome = env.COLIMA_HOME ? path.resolve(env.COLIMA_HOME) : undefined;
  const dotColima = path.join(homeDir, '.colima');
  const xdg = env.XDG_CONFIG_HOME ? path.join(env.XDG_CONFIG_HOME, 'colima') : undefined;
  const dotConfig = path.join(homeDir, '.config', 'colima');
  const candidates = [colimaHome, dotColima, xdg, dotConfig].filter((c): c is string => c !== undefined);
  const ignoredColimaHome = colimaHome && !dirExists(colimaHome) ? colimaHome : undefined;
  const base = { candidates: [...new Set(candidates)], ...(ignoredColimaHome ? { ignoredColimaHome } : {}) };

  if (colimaHome && !ignoredColimaHome) return { ...base, dir: colimaHome, reason: 'COLIMA_HOME', xdgWarning: false };
  if (dirExists(dotColima)) return { ...base, dir: dotColima, reason: 'dot-colima', xdgWarning: Boolean(env.XDG_CONFIG_HOME) };
  if (xdg) return { ...base, dir: xdg, reason: 'XDG_CONFIG_HOME', xdgWarning: false };
  if (dirExists(dotConfig)) return { ...base, dir: dotConfig, reason: 'dot-config', xdgWarning: false };
  return { ...base, dir: platform === 'darwin' ? dotColima : dotConfig, reason: 'platform-default', xdgWarning: false };
}

export function describeReason(b: ColimaBaseDir): string {
  switch (b.reason) {
    case 'COLIMA_HOME':
      return 'because COLIMA_HOME names it';
    case 'dot-colima':
      return 'because ~/.colima exists (it wins over XDG_CONFIG_HOME and ~/.config/colima)';
    case 'XDG_CONFIG_HOME':
      return 'because XDG_CONFIG_HOME is set';
    case 'dot-config':
      return 'because it exists and nothing earlier does (colima after 0.10.3; 0.10.3 and older, such as nixpkgs\' 0.10.1, use ~/.colima on macOS)';
    case 'platform-default':
      return 'as the default for this platform';
  }
}

/** Profile folders (`<BASE>/<name>/colima.yaml`) and Lima instances (`<BASE>/_lima/colima*`) in a base folder. */
export function colimaProfilesIn(base: string): { readonly profiles: readonly string[]; readonly limaInstances: readonly string[] } {
  const profiles = listDirs(base).filter((n) => !n.startsWith('_') && !n.startsWith('.') && existsSync(path.join(base, n, 'colima.yaml')));
  const limaInstances = listDirs(path.join(base, '_lima')).filter((n) => n === 'colima' || n.startsWith('colima-'));
  return { profiles, limaInstances };
}

/** The colima profile name of a Lima instance ID (`colima` → `default`, `colima-dev` → `dev`: colima-cli §1). */
export function profileOfInstanceId(id: string): string {
  return id === 'colima' ? 'default' : id.replace(/^colima-/, '');
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** True when the folder exists and holds anything at all. */
export function hasContent(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}
