// locateNix with a fake HOME, a fake PATH and a fake system root: each place
// nix can live, the order, what is skipped, and the message when it is absent.
import { chmodSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { memoryLogger } from '../../../main/core/log.js';
import { locateNix, saneChildPath, type LocateNixOptions } from '../../../main/core/nix/locate-nix.js';
import { readLoginShellEnv } from '../../../main/core/nix/login-shell-env.js';
import { FAKE_NIX_BIN, tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** A machine with nothing installed: fake HOME, empty PATH, empty system root, no login shell. */
function emptyMachine() {
  const root = tmp.make('locate');
  const home = path.join(root, 'home');
  const sys = path.join(root, 'sys');
  mkdirSync(home, { recursive: true });
  mkdirSync(sys, { recursive: true });
  const options = (env: Record<string, string> = {}): LocateNixOptions => ({
    env: { HOME: home, USER: 'tester', PATH: '', ...env },
    systemRoot: sys,
    loginShell: false,
  });
  return { root, home, sys, options };
}

function installFakeNix(dir: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  cpSync(FAKE_NIX_BIN, dir, { recursive: true });
  return path.join(dir, 'nix-shell');
}

describe('locateNix', () => {
  it('finds the real nix-shell of this machine from the process PATH', async () => {
    const nix = await locateNix({ loginShell: false });
    expect(nix.version).toMatch(/^nix-shell \(Nix\) \d+\.\d+/);
    expect(nix.foundVia).toBe('PATH');
    expect(path.basename(nix.nixInstantiate)).toBe('nix-instantiate');
    expect(path.basename(nix.nixStore)).toBe('nix-store');
  });

  const places: [string, (m: ReturnType<typeof emptyMachine>) => { dir: string; env?: Record<string, string> }, string][] = [
    ['the process PATH', (m) => ({ dir: path.join(m.root, 'custom', 'bin'), env: { PATH: `relative/bin::${path.join(m.root, 'custom', 'bin')}` } }), 'PATH'],
    ['$XDG_STATE_HOME/nix/profile/bin', (m) => ({ dir: path.join(m.root, 'state', 'nix', 'profile', 'bin'), env: { XDG_STATE_HOME: path.join(m.root, 'state') } }), 'well-known location'],
    ['~/.local/state/nix/profile/bin', (m) => ({ dir: path.join(m.home, '.local', 'state', 'nix', 'profile', 'bin') }), 'well-known location'],
    ['~/.nix-profile/bin', (m) => ({ dir: path.join(m.home, '.nix-profile', 'bin') }), 'well-known location'],
    ['/etc/profiles/per-user/$USER/bin', (m) => ({ dir: path.join(m.sys, 'etc', 'profiles', 'per-user', 'tester', 'bin') }), 'well-known location'],
    ['/run/current-system/sw/bin', (m) => ({ dir: path.join(m.sys, 'run', 'current-system', 'sw', 'bin') }), 'well-known location'],
    ['/nix/var/nix/profiles/default/bin', (m) => ({ dir: path.join(m.sys, 'nix', 'var', 'nix', 'profiles', 'default', 'bin') }), 'well-known location'],
    ['/usr/local/bin', (m) => ({ dir: path.join(m.sys, 'usr', 'local', 'bin') }), 'well-known location'],
    ['/usr/bin', (m) => ({ dir: path.join(m.sys, 'usr', 'bin') }), 'well-known location'],
  ];
  for (const [name, place, via] of places) {
    it(`finds nix in ${name}`, async () => {
      const m = emptyMachine();
      const { dir, env } = place(m);
      const nixShell = installFakeNix(dir);
      const nix = await locateNix(m.options(env));
      expect(nix).toMatchObject({
        nixShell,
        nixInstantiate: path.join(dir, 'nix-instantiate'),
        nixStore: path.join(dir, 'nix-store'),
        nixCollectGarbage: path.join(dir, 'nix-collect-garbage'),
        binDir: dir,
        version: 'nix-shell (Nix) 0.0.0-fake',
        foundVia: via,
      });
    });
  }

  it('prefers the explicit setting (file or folder), then PATH, then the profiles in login-shell order', async () => {
    const m = emptyMachine();
    const userProfile = installFakeNix(path.join(m.home, '.nix-profile', 'bin'));
    installFakeNix(path.join(m.sys, 'nix', 'var', 'nix', 'profiles', 'default', 'bin'));
    expect((await locateNix(m.options())).nixShell).toBe(userProfile);

    const onPath = installFakeNix(path.join(m.root, 'onpath'));
    expect((await locateNix(m.options({ PATH: path.dirname(onPath) }))).nixShell).toBe(onPath);

    const chosen = installFakeNix(path.join(m.root, 'chosen'));
    expect(await locateNix({ ...m.options({ PATH: path.dirname(onPath) }), explicit: chosen })).toMatchObject({ nixShell: chosen, foundVia: 'setting' });
    expect(await locateNix(m.options({ COLIMA_K8S_NIX_SHELL: path.dirname(chosen) }))).toMatchObject({ nixShell: chosen, foundVia: 'setting' });
  });

  it('skips a non-executable file, a folder named nix-shell and a nix-shell whose --version fails', async () => {
    const m = emptyMachine();
    const notExec = installFakeNix(path.join(m.home, '.nix-profile', 'bin'));
    chmodSync(notExec, 0o644);
    mkdirSync(path.join(m.sys, 'etc', 'profiles', 'per-user', 'tester', 'bin', 'nix-shell'), { recursive: true });
    const failing = installFakeNix(path.join(m.sys, 'run', 'current-system', 'sw', 'bin'));
    writeFileSync(failing, '#!/bin/sh\necho "broken" >&2; exit 1\n');
    const good = installFakeNix(path.join(m.sys, 'usr', 'bin'));
    const logger = memoryLogger();
    const nix = await locateNix({ ...m.options(), logger });
    expect(nix.nixShell).toBe(good);
    expect(logger.lines.join('\n')).toContain(`${failing} is there but \`--version\` failed`);
  });

  it('follows a profile symlink to find the sibling tools next to the real file', async () => {
    const m = emptyMachine();
    const store = path.join(m.root, 'store', 'nix-2.8', 'bin');
    installFakeNix(store);
    const profileBin = path.join(m.home, '.nix-profile', 'bin');
    mkdirSync(profileBin, { recursive: true });
    symlinkSync(path.join(store, 'nix-shell'), path.join(profileBin, 'nix-shell'));
    const nix = await locateNix(m.options());
    expect(nix.nixShell).toBe(path.join(profileBin, 'nix-shell'));
    expect(nix.nixInstantiate).toBe(path.join(store, 'nix-instantiate'));
  });

  it('when nix is absent: NIX_NOT_FOUND saying how to install it and where it looked', async () => {
    const m = emptyMachine();
    const e = await locateNix(m.options({ PATH: '/nonexistent/bin' })).catch((x: unknown) => x);
    expect(isAppError(e, 'NIX_NOT_FOUND')).toBe(true);
    const message = (e as Error).message;
    expect(message).toContain('https://nixos.org/nix/install');
    expect(message).toContain('install.determinate.systems');
    expect(message).toContain('apt install nix-bin');
    for (const dir of ['/nonexistent/bin', path.join(m.home, '.nix-profile', 'bin'), path.join(m.sys, 'nix', 'var', 'nix', 'profiles', 'default', 'bin'), path.join(m.sys, 'usr', 'bin')]) {
      expect(message).toContain(dir);
    }
  });

  it('rejects an explicit setting that is not a working nix-shell, instead of silently using another', async () => {
    const m = emptyMachine();
    installFakeNix(path.join(m.sys, 'usr', 'bin'));
    const e = await locateNix({ ...m.options(), explicit: path.join(m.root, 'typo', 'nix-shell') }).catch((x: unknown) => x);
    expect(isAppError(e, 'NIX_NOT_FOUND')).toBe(true);
    expect((e as Error).message).toContain(path.join(m.root, 'typo', 'nix-shell'));
    expect((e as Error).message).toContain('settings');
  });

  it('asks the login shell last (a real bash -il reading a fake ~/.bash_profile) and takes its NIX_PATH', async () => {
    const m = emptyMachine();
    const hidden = installFakeNix(path.join(m.root, 'only-in-login-shell'));
    writeFileSync(
      path.join(m.home, '.bash_profile'),
      `echo "rc noise before"\nexport PATH="${path.dirname(hidden)}:$PATH"\nexport NIX_PATH="nixpkgs=/from/login/shell"\necho "rc noise after"\n`,
    );
    const nix = await locateNix({ ...m.options({ SHELL: '/bin/bash' }), loginShell: { timeoutMs: 20_000 } });
    expect(nix).toMatchObject({ nixShell: hidden, foundVia: 'login shell', loginShellNixPath: 'nixpkgs=/from/login/shell' });
  });

  it('gives up on a login shell that hangs, within the timeout', async () => {
    const m = emptyMachine();
    writeFileSync(path.join(m.home, '.bash_profile'), 'sleep 30\n');
    // Without the limit the shell would print its environment after 30 s: undefined proves it gave up.
    const env = await readLoginShellEnv({ env: { HOME: m.home, PATH: '/usr/bin:/bin' }, shell: '/bin/bash', timeoutMs: 1_000 });
    expect(env).toBeUndefined();
  });
});

describe('saneChildPath', () => {
  it('puts nix first, keeps absolute caller entries, adds the profiles and the system folders, once each', () => {
    const value = saneChildPath('/nix/bin', { env: { HOME: '/h', USER: 'u', PATH: '/usr/bin:relative:/opt/x/bin::/nix/bin' } });
    const entries = value.split(':');
    expect(entries[0]).toBe('/nix/bin');
    expect(entries.slice(1, 3)).toEqual(['/usr/bin', '/opt/x/bin']);
    expect(entries).not.toContain('relative');
    expect(entries).not.toContain('');
    expect(entries).toEqual(expect.arrayContaining(['/h/.nix-profile/bin', '/etc/profiles/per-user/u/bin', '/run/current-system/sw/bin', '/nix/var/nix/profiles/default/bin', '/bin', '/usr/sbin', '/sbin']));
    expect(new Set(entries).size).toBe(entries.length);
  });
});
