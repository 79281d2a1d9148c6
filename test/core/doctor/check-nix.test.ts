import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { NIX_INSTALL_COMMAND, nixCheck } from '../../../main/core/doctor/check-nix.js';
import type { DoctorDeps, Finding } from '../../../main/core/doctor/types.js';
import { AppError } from '../../../main/core/errors.js';
import { locateNix } from '../../../main/core/nix/locate-nix.js';
import { fakeHost, type FakeHost } from './fake-host.js';

const signal = new AbortController().signal;

async function run(deps: DoctorDeps): Promise<Finding[]> {
  const r = await nixCheck.run(deps, signal);
  if (!Array.isArray(r)) throw new Error('skipped');
  return [...r];
}

/** The real nix of this machine, found the way the app finds it. */
const realNixShell = async (): Promise<string> => (await locateNix({ loginShell: false })).nixShell;

describe('nix missing or unusable', () => {
  let host: FakeHost;
  beforeEach(() => (host = fakeHost()));
  afterEach(() => host.cleanup());

  it('is an error with the installer command when nix cannot be found', async () => {
    const deps = host.deps({
      locateNixShell: async () => {
        throw new AppError('NIX_NOT_FOUND', 'Nix was not found (looked in /a, /b).');
      },
    });
    const [f, ...rest] = await run(deps);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'nix.missing', checkId: 'nix', category: 'nix', severity: 'error', title: 'Nix was not found', fix: NIX_INSTALL_COMMAND });
    expect(f!.explanation).toContain('Nix was not found (looked in /a, /b).');
  });

  it('passes with the real nix of this machine when it has a <nixpkgs> (a read-only store query succeeds)', async () => {
    const nixpkgs = host.dir('channels/nixpkgs');
    const deps = host.deps({ env: { ...process.env, HOME: host.home, NIX_PATH: `nixpkgs=${nixpkgs}` }, locateNixShell: realNixShell });
    expect(await run(deps)).toEqual([]);
  });

  it('finds a daemon that is not running (NIX_REMOTE=daemon without a socket) and gives the restart command', async () => {
    const env = { ...process.env, NIX_REMOTE: 'daemon' };
    const [linux] = await run(host.deps({ env, locateNixShell: realNixShell }));
    expect(linux).toMatchObject({ id: 'nix.daemon-unreachable', severity: 'error', fix: 'sudo systemctl restart nix-daemon' });
    expect(linux!.explanation).toContain('cannot connect to socket');
    const [mac] = await run(host.deps({ env, platform: 'darwin', locateNixShell: realNixShell }));
    expect(mac!.fix).toBe('sudo launchctl kickstart -k system/org.nixos.nix-daemon');
  });

  it('warns when nix-shell has no nix-store next to it', async () => {
    const nixShell = host.exe('partial nix/bin/nix-shell');
    const [f] = await run(host.deps({ locateNixShell: async () => nixShell }));
    expect(f).toMatchObject({ id: 'nix.incomplete', severity: 'warning', fix: NIX_INSTALL_COMMAND });
    expect(f!.explanation).toContain(path.join(path.dirname(nixShell), 'nix-store'));
  });

  it('reports a store nix cannot use, with the query to run for the full error', async () => {
    const nixShell = host.exe('broken nix/bin/nix-shell');
    const nixStore = host.file('broken nix/bin/nix-store', "#!/bin/sh\necho \"error: opening lock file '/nix/var/nix/db/big-lock': Permission denied\" >&2\nexit 1\n");
    (await import('node:fs')).chmodSync(nixStore, 0o755);
    const [f] = await run(host.deps({ env: { NIX_STORE_DIR: '/nix/store' }, locateNixShell: async () => nixShell }));
    expect(f).toMatchObject({
      id: 'nix.store-unusable',
      severity: 'error',
      title: 'Nix is installed but cannot use its store',
      fix: `'${nixStore}' --check-validity --print-invalid /nix/store/00000000000000000000000000000000-colima-k8s-doctor-probe`,
    });
    expect(f!.explanation).toContain("opening lock file '/nix/var/nix/db/big-lock': Permission denied");
  });

  describe('with the real nix-shell and no <nixpkgs> (no channel, no NIX_PATH)', () => {
    const noNixpkgsEnv = (): NodeJS.ProcessEnv => {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: host.home };
      delete env.NIX_PATH;
      delete env.COLIMA_K8S_SHELL_NIX;
      return env;
    };

    it('says nix works but <nixpkgs> is missing, and how to add it: a channel, NIX_PATH or a pinned shell.nix', async () => {
      const findings = await run(host.deps({ env: noNixpkgsEnv(), locateNixShell: realNixShell }));
      expect(findings.map((f) => f.id)).toEqual(['nix.no-nixpkgs']);
      const [f] = findings;
      expect(f).toMatchObject({ severity: 'warning', title: 'Nix works, but <nixpkgs> is not found' });
      expect(f!.fix).toBe('nix-channel --add https://nixos.org/channels/nixos-24.11 nixpkgs && nix-channel --update');
      expect(f!.explanation).toContain("file 'nixpkgs' was not found in the Nix search path");
      expect(f!.explanation).toContain('NIX_PATH=nixpkgs=');
      expect(f!.explanation).toMatch(/shell\.nix that pins nixpkgs/);
      expect(f!.fix).not.toMatch(/colima-k8s doctor/);
    });

    it('is an error when the shell.nix in use (COLIMA_K8S_SHELL_NIX) imports <nixpkgs>', async () => {
      const own = host.file('mine/shell.nix', 'with import <nixpkgs> {}; mkShell { packages = [ colima ]; }\n');
      const [f] = await run(host.deps({ env: { ...noNixpkgsEnv(), COLIMA_K8S_SHELL_NIX: own }, locateNixShell: realNixShell }));
      expect(f).toMatchObject({ id: 'nix.no-nixpkgs', severity: 'error' });
      expect(f!.explanation).toContain(`Your shell.nix (${own}) imports <nixpkgs>`);
    });
  });

  describe('COLIMA_K8S_NIX_SHELL pointing nowhere', () => {
    it.each([
      ['a path where nothing exists', (): string => '/nowhere/nix-shell', 'nothing exists at that path'],
      ['a file that is not a program', (): string => host.file('not-nix/nix-shell', 'hello'), 'not an executable program'],
      ['a folder without nix-shell', (): string => host.dir('empty-bin'), 'holds no nix-shell'],
    ])('with %s, names the variable and its value and says to fix or unset it (not to reinstall Nix)', async (_what, value, why) => {
      const bad = value();
      const env = { ...process.env, COLIMA_K8S_NIX_SHELL: bad };
      // Found the way the app finds it: the real locator reading the variable.
      const deps = host.deps({ env, locateNixShell: async (signal) => (await locateNix({ env, loginShell: false, signal })).nixShell });
      const findings = await run(deps);
      expect(findings.map((f) => f.id)).toEqual(['nix.bad-setting']);
      const [f] = findings;
      expect(f).toMatchObject({ severity: 'error', title: 'COLIMA_K8S_NIX_SHELL does not point to a working nix-shell', fix: 'unset COLIMA_K8S_NIX_SHELL' });
      expect(f!.explanation).toContain(`COLIMA_K8S_NIX_SHELL is set to ${JSON.stringify(bad)}`);
      expect(f!.explanation).toContain(why);
      expect(f!.explanation).toMatch(/unset it/);
      expect(`${f!.title} ${f!.explanation} ${f!.fix}`).not.toMatch(/not installed|was not found|install Nix|nixos\.org\/nix\/install/i);
    });

    it('the locator\'s own message names the variable too (what start and status show)', async () => {
      const error = await locateNix({ env: { ...process.env, COLIMA_K8S_NIX_SHELL: '/nowhere/nix-shell' }, loginShell: false }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as AppError).details.field).toBe('COLIMA_K8S_NIX_SHELL');
      expect((error as Error).message).toMatch(/^The configured nix-shell \(\/nowhere\/nix-shell\) is not a working nix-shell/);
      expect((error as Error).message).toContain('unset COLIMA_K8S_NIX_SHELL');
    });
  });
});
