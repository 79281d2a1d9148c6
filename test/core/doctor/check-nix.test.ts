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

  it('passes with the real nix of this machine (a read-only store query succeeds)', async () => {
    const deps = host.deps({ env: { ...process.env }, locateNixShell: realNixShell });
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
});
