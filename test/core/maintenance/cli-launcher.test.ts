// installCliLauncher / uninstallCliLauncher in a throwaway HOME: the launcher
// really runs the bundled CLI (dist/cli.cjs) and prints its version, with the
// running Node standing in for the app's Electron (ELECTRON_RUN_AS_NODE is
// harmless to Node) and in development mode with `node`.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  installCliLauncher, launcherScript, LAUNCHER_MARKER, uninstallCliLauncher, type CliLauncherOptions,
} from '../../../main/core/maintenance/cli-launcher.js';

const CLI = path.resolve('dist', 'cli.cjs');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "ck8s launcher it's-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const base = (extra: Partial<CliLauncherOptions> = {}): CliLauncherOptions => ({
  platform: 'linux', home, env: { PATH: '/usr/bin:/bin' }, appExecutable: process.execPath, cliScript: CLI, isPackaged: true, ...extra,
});

function runLauncher(file: string, args: string[]) {
  return spawnSync(file, args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: home }, timeout: 60_000 });
}

describe('installCliLauncher', () => {
  it('writes ~/.local/bin/colima-k8s on Linux; it runs the CLI with the app executable in Node mode and prints the version', () => {
    expect(existsSync(CLI)).toBe(true); // built by `npm test` (npm run build)
    // The app lives in a folder whose name needs quoting: a space and a quote.
    const appDir = path.join(home, "My App's Folder");
    mkdirSync(appDir);
    const exe = path.join(appDir, 'colima k8s nix');
    symlinkSync(process.execPath, exe);
    const r = installCliLauncher(base({ appExecutable: exe }));
    expect(r).toMatchObject({ ok: true, path: path.join(home, '.local', 'bin', 'colima-k8s'), onPath: false, replaced: false });
    const file = (r as { path: string }).path;
    const script = readFileSync(file, 'utf8');
    expect(script.split('\n').slice(0, 3)).toEqual(['#!/bin/sh', LAUNCHER_MARKER, 'export ELECTRON_RUN_AS_NODE=1']);
    const out = runLauncher(file, ['--version']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(`colima-k8s ${VERSION}\n`);
    expect(out.status).toBe(0);

    expect(uninstallCliLauncher({ platform: 'linux', home })).toEqual({ removed: [file], notOurs: [], needsAuthorisation: [] });
    expect(existsSync(file)).toBe(false);
  });

  it('passes ELECTRON_RUN_AS_NODE=1 and every argument unchanged to the executable', () => {
    const probe = path.join(home, 'probe.sh');
    writeFileSync(probe, '#!/bin/sh\nprintf "%s|" "$ELECTRON_RUN_AS_NODE" "$@"\n');
    chmodSync(probe, 0o755);
    const r = installCliLauncher(base({ appExecutable: probe, cliScript: '/opt/App/resources/app.asar/dist/cli.cjs' }));
    const out = runLauncher((r as { path: string }).path, ['a b', "it's", '$HOME', '']);
    expect(out.stdout).toBe("1|/opt/App/resources/app.asar/dist/cli.cjs|a b|it's|$HOME||");
  });

  it('runs `node <cli>` in development', () => {
    const r = installCliLauncher(base({ isPackaged: false, nodeExecutable: process.execPath, env: { PATH: `/usr/bin:${path.join(home, '.local', 'bin')}/` } }));
    expect(r).toMatchObject({ ok: true, onPath: true });
    const file = (r as { path: string }).path;
    expect(readFileSync(file, 'utf8')).not.toContain('ELECTRON_RUN_AS_NODE');
    expect(runLauncher(file, ['--version']).stdout).toBe(`colima-k8s ${VERSION}\n`);
    expect(launcherScript({ isPackaged: false, cliScript: '/x/dist/cli.cjs', appExecutable: 'unused' })).toContain(`exec node /x/dist/cli.cjs "$@"`);
  });

  it('rewrites its own launcher, but never a colima-k8s it did not write', () => {
    const first = installCliLauncher(base());
    expect(installCliLauncher(base())).toMatchObject({ ok: true, replaced: true });
    const file = (first as { path: string }).path;
    writeFileSync(file, '#!/bin/sh\necho someone else\n');
    expect(installCliLauncher(base())).toMatchObject({ ok: false, reason: 'exists-not-ours', path: file });
    expect(uninstallCliLauncher({ platform: 'linux', home })).toEqual({ removed: [], notOurs: [file], needsAuthorisation: [] });
    expect(readFileSync(file, 'utf8')).toContain('someone else');
  });

  it('on macOS uses /usr/local/bin when writable, else ~/.local/bin and says authorisation would be needed', () => {
    const systemBinDir = path.join(home, 'usr-local-bin');
    mkdirSync(systemBinDir);
    const inSystem = installCliLauncher(base({ platform: 'darwin', systemBinDir, env: { PATH: `/usr/bin:${systemBinDir}` } }));
    expect(inSystem).toMatchObject({ ok: true, path: path.join(systemBinDir, 'colima-k8s'), onPath: true });
    expect(inSystem).not.toHaveProperty('needsAuthorisation');
    expect(uninstallCliLauncher({ platform: 'darwin', home, systemBinDir }).removed).toEqual([path.join(systemBinDir, 'colima-k8s')]);

    const missing = path.join(home, 'not-there');
    const fellBack = installCliLauncher(base({ platform: 'darwin', systemBinDir: missing }));
    expect(fellBack).toMatchObject({
      ok: true, path: path.join(home, '.local', 'bin', 'colima-k8s'),
      needsAuthorisation: { preferredPath: path.join(missing, 'colima-k8s'), script: expect.stringContaining(LAUNCHER_MARKER) },
    });
  });

  it('is refused on Windows', () => {
    expect(installCliLauncher(base({ platform: 'win32' }))).toMatchObject({ ok: false, reason: 'unsupported-platform' });
  });
});
