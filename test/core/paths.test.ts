// Where the app finds its shell.nix and keeps its files (main/core/paths.ts).
// shell.nix ships in two layouts (electron-stack.md §9): packaged, as the real
// file `<resources>/nix/shell.nix` (extraResources; nix-shell cannot read inside
// app.asar); in development, the repository's own shell.nix next to dist/.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID, appPaths, resolveAppHome, resolveShellNix, shippedShellNix } from '../../main/core/paths.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A packaged app's folders: `<app>/resources/{app.asar/dist, nix/shell.nix}`. */
function packagedLayout(): { resourcesPath: string; bundleDir: string } {
  const app = mkdtempSync(path.join(os.tmpdir(), 'ck8s-packaged-'));
  made.push(app);
  const resourcesPath = path.join(app, 'resources');
  mkdirSync(path.join(resourcesPath, 'nix'), { recursive: true });
  writeFileSync(path.join(resourcesPath, 'nix', 'shell.nix'), '{ }: { }\n');
  return { resourcesPath, bundleDir: path.join(resourcesPath, 'app.asar', 'dist') };
}

const REPO_SHELL_NIX = path.resolve('shell.nix');

describe('shippedShellNix', () => {
  it('packaged: the real file in <resources>/nix, never a path inside app.asar', () => {
    const layout = packagedLayout();
    const found = shippedShellNix(layout);
    expect(found).toBe(path.join(layout.resourcesPath, 'nix', 'shell.nix'));
    expect(found).not.toContain('app.asar');
    expect(statSync(found).isFile()).toBe(true);
  });

  it("development (`electron .`, the bundle in dist/): the repository's shell.nix next to dist/", () => {
    // main/index.ts passes no resourcesPath unless app.isPackaged, and __dirname as bundleDir.
    const found = shippedShellNix({ bundleDir: path.resolve('dist') });
    expect(found).toBe(REPO_SHELL_NIX);
    expect(statSync(found).isFile()).toBe(true);
  });

  it('development from source (vitest imports main/index.ts, whose __dirname is main/): the same file', () => {
    expect(shippedShellNix({ bundleDir: path.resolve('main') })).toBe(REPO_SHELL_NIX);
  });
});

describe('resolveShellNix', () => {
  const shipped = '/opt/app/resources/nix/shell.nix';

  it('COLIMA_K8S_SHELL_NIX wins over the shipped file', () => {
    expect(resolveShellNix({ COLIMA_K8S_SHELL_NIX: '/home/me/project/shell.nix' }, shipped)).toBe('/home/me/project/shell.nix');
  });

  it('a relative COLIMA_K8S_SHELL_NIX is resolved against the working directory', () => {
    expect(resolveShellNix({ COLIMA_K8S_SHELL_NIX: 'envs/shell.nix' }, shipped)).toBe(path.resolve('envs', 'shell.nix'));
  });

  it('unset or empty: the shipped file', () => {
    expect(resolveShellNix({}, shipped)).toBe(shipped);
    expect(resolveShellNix({ COLIMA_K8S_SHELL_NIX: '' }, shipped)).toBe(shipped);
  });
});

describe('resolveAppHome', () => {
  it('macOS: ~/Library/Application Support/colima-k8s-nix', () => {
    expect(resolveAppHome({ HOME: '/Users/me' }, 'darwin')).toBe(path.join('/Users/me', 'Library', 'Application Support', APP_ID));
  });

  it('Linux: $XDG_CONFIG_HOME/colima-k8s-nix, else ~/.config/colima-k8s-nix', () => {
    expect(resolveAppHome({ HOME: '/home/me', XDG_CONFIG_HOME: '/home/me/cfg' }, 'linux')).toBe(path.join('/home/me/cfg', APP_ID));
    expect(resolveAppHome({ HOME: '/home/me' }, 'linux')).toBe(path.join('/home/me', '.config', APP_ID));
    expect(resolveAppHome({ HOME: '/home/me', XDG_CONFIG_HOME: '' }, 'linux')).toBe(path.join('/home/me', '.config', APP_ID));
  });

  it('Windows: %APPDATA%\\colima-k8s-nix, else <home>/AppData/Roaming/colima-k8s-nix', () => {
    expect(resolveAppHome({ HOME: '/c/Users/me', APPDATA: '/c/Users/me/AppData/Roaming' }, 'win32')).toBe(path.join('/c/Users/me/AppData/Roaming', APP_ID));
    expect(resolveAppHome({ HOME: '/c/Users/me' }, 'win32')).toBe(path.join('/c/Users/me', 'AppData', 'Roaming', APP_ID));
  });

  it('COLIMA_K8S_HOME wins on every platform, resolved to an absolute path', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      expect(resolveAppHome({ HOME: '/home/me', COLIMA_K8S_HOME: '/srv/ck8s' }, platform)).toBe('/srv/ck8s');
      expect(resolveAppHome({ HOME: '/home/me', COLIMA_K8S_HOME: 'rel/home' }, platform)).toBe(path.resolve('rel', 'home'));
    }
  });

  it('without HOME: the OS home directory', () => {
    expect(resolveAppHome({}, 'linux')).toBe(path.join(os.homedir(), '.config', APP_ID));
    expect(resolveAppHome({}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Application Support', APP_ID));
  });

  it('the CLI and the tray share one layout inside the home', () => {
    expect(appPaths('/h')).toEqual({ home: '/h', settingsDir: '/h', ledgerFile: '/h/ledger.json', nixCacheDir: '/h/nix', logsDir: '/h/logs' });
  });
});
