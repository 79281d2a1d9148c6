// The app's shell.nix pinned to a nixpkgs tarball (nix/nixpkgs-pin.json), with
// the REAL nix-shell, offline: the tarballs are local fake nixpkgs (file://)
// with their real hashes (test/fixtures/nix/pinned-nixpkgs.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeCacheKey } from '../../../main/core/nix/cache-key.js';
import { childBaseEnv, resolveNixEnvironment, type ResolveNixEnvironmentOptions } from '../../../main/core/nix/environment.js';
import { runCommand } from '../../../main/core/run.js';
import { writePinFile } from '../../../main/core/toolchain/pin.js';
import { runtimeInvocation } from '../../../main/core/toolchain/runtime.js';
import { caught } from '../../fixtures/caught.js';
import { baseEnv, countingNix, tempDirs } from '../../fixtures/nix/harness.js';
import { fakeNixpkgsTarball, pinnedProject } from '../../fixtures/nix/pinned-nixpkgs.js';
import { privateNixStore, type PrivateNixStore } from '../../fixtures/nix/private-store.js';

const tmp = tempDirs();
const stores: PrivateNixStore[] = [];
afterEach(() => {
  tmp.cleanup();
  for (const s of stores.splice(0)) s.cleanup();
});

/** A pinned copy of the app's shell.nix, counting nix tools, and an env whose channels point nowhere. */
async function setup(o: { privateStore?: boolean } = {}) {
  const dir = tmp.make('pin');
  const store = o.privateStore ? privateNixStore('pin-store') : undefined;
  if (store) stores.push(store);
  const env = (extra: Record<string, string> = {}) => (store ? store.env(extra) : baseEnv(extra));
  const pin = await fakeNixpkgsTarball(dir, { colima: '0.9.1' }, { env: env() });
  const shellNix = pinnedProject(dir, pin);
  const counting = await countingNix(dir);
  // No usable channel: a pinned shell.nix must not need one.
  const base = env({ ...counting.env, NIX_PATH: `nixpkgs=${path.join(dir, 'no-such-channel')}` });
  const options: ResolveNixEnvironmentOptions = { shellNix, cacheDir: path.join(dir, 'cache'), nix: counting.nix, baseEnv: base };
  const captures = () => counting.calls().filter((c) => c.startsWith('nix-shell ') && c.includes('--run')).length;
  return { dir, pin, shellNix, counting, options, base, captures, store, env };
}

async function colimaVersion(env: Awaited<ReturnType<typeof resolveNixEnvironment>>): Promise<string> {
  const r = await runCommand(env.which('colima')!, ['version'], { env: env.env() });
  return r.stdout.trim();
}

describe('the pinned shell.nix (real nix-shell, local tarball)', () => {
  it('captures colima, kubectl, the docker wrapper and openssh from the pinned nixpkgs, with no channel at all', async () => {
    const { options } = await setup();
    const env = await resolveNixEnvironment(options);
    expect(env.fallback).toBeUndefined();
    expect(await colimaVersion(env)).toBe('colima version 0.9.1');
    for (const tool of ['kubectl', 'docker']) expect(env.which(tool)).toMatch(new RegExp(`^/nix/store/[a-z0-9]{32}-${tool}/bin/${tool}$`));
    if (process.platform === 'linux') expect(env.which('ssh')).toMatch(/-ssh\/bin\/ssh$/);
  });

  it("takes nix-shell's own bash from the pin too (-I nixpkgs=<pinned source>), not from the user's channels", async () => {
    const { options } = await setup();
    const env = await resolveNixEnvironment({ ...options, baseEnv: { ...options.baseEnv, NIX_BUILD_SHELL: undefined } });
    expect(env.diff.pathPrefix[0]).toMatch(/^\/nix\/store\/[a-z0-9]{32}-host-bash\/bin$/);
  });

  it('is a cache hit the second time, and a channel change elsewhere does not re-evaluate it', async () => {
    const { options, captures, counting, dir, base } = await setup();
    await resolveNixEnvironment(options);
    const again = await resolveNixEnvironment({ ...options, baseEnv: { ...options.baseEnv, NIX_PATH: `nixpkgs=${path.join(dir, 'another-channel')}` } });
    expect(again.fromCache).toBe(true);
    expect(captures()).toBe(1);
    // The key never asked nix where <nixpkgs> is.
    expect(counting.calls().filter((c) => c.includes('--find-file'))).toEqual([]);
    const key = await computeCacheKey({ nix: counting.nix, shellNix: options.shellNix, invocation: {}, env: childBaseEnv(base, counting.nix) });
    expect(key.parts.nixpkgs).toBe('(pinned)');
    expect(key.inputs).toContain('nix/nixpkgs-pin.json:');
  });

  it('re-evaluates when the pin moves, and gets the new versions', async () => {
    const { options, captures, dir, shellNix } = await setup();
    expect(await colimaVersion(await resolveNixEnvironment(options))).toBe('colima version 0.9.1');
    const newer = await fakeNixpkgsTarball(dir, { colima: '0.10.3' });
    writePinFile(path.join(path.dirname(shellNix), 'nix', 'nixpkgs-pin.json'), newer);
    const moved = await resolveNixEnvironment(options);
    expect(moved.fromCache).toBe(false);
    expect(captures()).toBe(2);
    expect(await colimaVersion(moved)).toBe('colima version 0.10.3');
  });

  it('survives nix-collect-garbage -d (GC roots): served from cache, colima still runs', async () => {
    const { options, captures, store, counting } = await setup({ privateStore: true });
    const env = await resolveNixEnvironment(options);
    await store!.collectGarbage(counting.nix.nixCollectGarbage);
    expect(existsSync(env.which('colima')!)).toBe(true);
    const again = await resolveNixEnvironment(options);
    expect(again.fromCache).toBe(true);
    expect(captures()).toBe(1);
    expect(await colimaVersion(again)).toBe('colima version 0.9.1');
  });

  it('a wrong hash gives a clear error, and the previous environment stays in use', async () => {
    const { options, shellNix, dir } = await setup();
    const first = await resolveNixEnvironment(options);
    const bad = await fakeNixpkgsTarball(dir, { colima: '0.10.3' });
    const pinFile = path.join(path.dirname(shellNix), 'nix', 'nixpkgs-pin.json');
    writePinFile(pinFile, { ...bad, sha256: '0'.repeat(52) });
    const fallback = await resolveNixEnvironment(options);
    expect(fallback.key).toBe(first.key);
    expect(fallback.fallback?.reason).toMatch(/does not match the sha256 in its pin/);
    expect(await colimaVersion(fallback)).toBe('colima version 0.9.1');

    // Without a previous environment, the same sentence is the error.
    const e = await caught(resolveNixEnvironment({ ...options, cacheDir: path.join(dir, 'fresh-cache') }));
    expect(String((e as Error).message)).toMatch(/The pinned nixpkgs file:\/\/.* does not match the sha256 in its pin/);
    expect(JSON.parse(readFileSync(pinFile, 'utf8')).sha256).toBe('0'.repeat(52));
  });

  it('runtime docker gets the real docker client; containerd gets the wrapper, which names the profile', async () => {
    const { options, dir } = await setup();
    const sim = path.join(dir, 'sim');
    const containerd = await resolveNixEnvironment(options);
    const wrapper = await runCommand(containerd.which('docker')!, ['ps', '-a'], { env: containerd.env({ ...options.baseEnv, COLIMA_K8S_PROFILE: 'k8s' }) });
    expect(wrapper.stdout).toBe('colima (fake-nixpkgs) nerdctl --profile k8s -- ps -a\n');
    const byDefault = await runCommand(containerd.which('docker')!, ['ps'], { env: containerd.env({ ...options.baseEnv, COLIMA_PROFILE: undefined }) });
    expect(byDefault.stdout).toBe('colima (fake-nixpkgs) nerdctl --profile default -- ps\n');

    const docker = await resolveNixEnvironment(runtimeInvocation(options, 'docker'));
    expect(runtimeInvocation(options, 'containerd')).toBe(options);
    expect(docker.key).not.toBe(containerd.key);
    const real = await runCommand(docker.which('docker')!, ['ps'], { env: docker.env() });
    expect(real.stdout).toBe('docker (fake-nixpkgs) ps\n');
    expect(existsSync(sim)).toBe(false);
  });
});
