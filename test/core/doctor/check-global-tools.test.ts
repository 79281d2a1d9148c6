import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { globalToolsCheck } from '../../../main/core/doctor/check-global-tools.js';
import type { Finding } from '../../../main/core/doctor/types.js';
import { fakeHost, type FakeHost } from './fake-host.js';

const signal = new AbortController().signal;

async function findings(host: FakeHost, overrides: Parameters<FakeHost['deps']>[0]): Promise<Finding[]> {
  const r = await globalToolsCheck.run(host.deps(overrides), signal);
  if (!Array.isArray(r)) throw new Error(`skipped: ${JSON.stringify(r)}`);
  return [...r];
}

describe('global tools that shadow the nix environment', () => {
  let host: FakeHost;
  let envBin: string;
  beforeEach(() => {
    host = fakeHost();
    // The app's environment: colima and docker from the store, nothing else.
    host.exe('store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-colima-0.10.1/bin/colima');
    host.exe('store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-docker/bin/docker');
    envBin = [path.join(host.store, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-colima-0.10.1/bin'), path.join(host.store, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-docker/bin')].join(':');
  });
  afterEach(() => host.cleanup());

  it('passes when no global tool exists', async () => {
    host.dir('usr-local/bin');
    expect(await findings(host, { env: { HOME: host.home, PATH: path.join(host.root, 'usr-local/bin'), NIX_STORE_DIR: host.store } })).toEqual([]);
  });

  it('warns about a global colima on PATH even though the environment provides one', async () => {
    const colima = host.exe('usr-local/bin/colima');
    const userPath = [path.join(host.root, 'usr-local/bin'), '/nonexistent'].join(':');
    const env = { HOME: host.home, PATH: userPath, NIX_STORE_DIR: host.store };
    const [f, ...rest] = await findings(host, { env, environmentPath: async () => `${envBin}:${userPath}` });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      id: `global-tools.colima.${colima}`,
      checkId: 'global-tools',
      category: 'tools',
      severity: 'warning',
      title: `A global colima at ${colima}`,
      // The folder is writable here, so no sudo; renaming is reversible.
      fix: `mv ${colima} ${colima}.disabled`,
    });
    expect(f!.explanation).toContain('Commands typed in a terminal run this colima');
    expect(f!.explanation).toContain('~/.colima');
  });

  it('is an error when a Homebrew kubectl wins inside the environment (the environment lacks kubectl)', async () => {
    const real = host.exe('opt-homebrew/Cellar/kubernetes-cli/1.30.1/bin/kubectl');
    const kubectl = host.link(real, 'opt-homebrew/bin/kubectl');
    const brewBin = path.join(host.root, 'opt-homebrew/bin');
    const env = { HOME: host.home, PATH: brewBin, NIX_STORE_DIR: host.store };
    const [f] = await findings(host, { env, environmentPath: async () => `${envBin}:${brewBin}` });
    expect(f).toMatchObject({
      severity: 'error',
      title: `A global kubectl at ${kubectl} (Homebrew formula kubernetes-cli)`,
      fix: 'brew uninstall kubernetes-cli',
    });
    expect(f!.explanation).toContain('does not provide kubectl, so the app runs this one');
  });

  it('warns about a global limactl in a MacPorts folder that is not on this PATH (a GUI app\'s PATH is minimal)', async () => {
    const limactl = host.exe('opt-local/bin/limactl');
    const [f] = await findings(host, {
      globalToolDirs: [path.join(host.root, 'opt-local/bin')],
      environmentPath: async () => envBin,
    });
    expect(f).toMatchObject({ severity: 'warning', title: `A global limactl at ${limactl}` });
    expect(f!.explanation).toContain("Its folder is not on this program's PATH, but shells usually add it");
  });

  it('names the nix-env package of a colima in the user profile and says when the environment is not resolved', async () => {
    const real = host.exe('store/cccccccccccccccccccccccccccccccc-colima-0.9.1/bin/colima');
    const colima = host.link(real, '~/.nix-profile/bin/colima');
    const env = { HOME: host.home, PATH: path.dirname(colima), NIX_STORE_DIR: host.store };
    const [f] = await findings(host, { env, environmentPath: async () => undefined });
    expect(f).toMatchObject({ severity: 'warning', title: `A global colima at ${colima} (nix profile package colima)`, fix: 'nix-env --uninstall colima' });
    expect(f!.explanation).toContain('not resolved yet');
  });

  it('ignores tools inside the nix store (this or another nix-shell on PATH) and quotes hostile paths in the fix', async () => {
    const odd = host.exe("we'ird $(dir)/bin/docker");
    const storeBin = path.join(host.store, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-docker/bin');
    const env = { HOME: host.home, PATH: `${storeBin}:${path.dirname(odd)}`, NIX_STORE_DIR: host.store };
    const all = await findings(host, { env, environmentPath: async () => envBin });
    expect(all.map((f) => f.title)).toEqual([`A global docker at ${odd}`]);
    expect(all[0]!.fix).toBe(`mv '${odd.replace("'", `'\\''`)}' '${odd.replace("'", `'\\''`)}.disabled'`);
  });

  it('treats a failing environment lookup as unknown instead of failing', async () => {
    host.exe('usr-local/bin/colima');
    const env = { HOME: host.home, PATH: path.join(host.root, 'usr-local/bin'), NIX_STORE_DIR: host.store };
    const [f] = await findings(host, {
      env,
      environmentPath: async () => {
        throw new Error('nix is missing');
      },
    });
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.explanation).toContain('not resolved yet');
  });
});

describe('who installed a global tool', () => {
  it('asks dpkg on Debian (merged /usr: /bin/x is /usr/bin/x), the machine CI runs on', async () => {
    const { toolOwner, removalFix } = await import('../../../main/core/doctor/tool-owner.js');
    const owner = await toolOwner('/bin/dpkg-query', { storeDir: '/nix/store', platform: 'linux' });
    expect(owner).toEqual({ kind: 'debian-package', pkg: 'dpkg' });
    expect(removalFix('/bin/dpkg-query', owner)).toBe('sudo apt-get remove dpkg');
  });

  it('reads a package with an architecture suffix and skips diversion lines', async () => {
    const { toolOwner } = await import('../../../main/core/doctor/tool-owner.js');
    const calls: string[][] = [];
    const owner = await toolOwner('/usr/bin/kubectl', {
      storeDir: '/nix/store',
      platform: 'linux',
      dpkgQuery: process.execPath, // any existing file: the run below answers
      run: async (file, args) => {
        calls.push([file, ...args]);
        const stdout = 'diversion by x from: /usr/bin/kubectl\ngoogle-cloud-cli:amd64, other: /usr/bin/kubectl\n';
        return { file, args, exitCode: 0, signal: null, stdout, stderr: '', timedOut: false, cancelled: false, durationMs: 1 };
      },
    });
    expect(calls[0]).toEqual([process.execPath, '-S', '/usr/bin/kubectl']);
    expect(owner).toEqual({ kind: 'debian-package', pkg: 'google-cloud-cli' });
  });
});
