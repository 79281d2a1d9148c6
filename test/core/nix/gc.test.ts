// Everything that runs the real `nix-collect-garbage -d` on nix environments.
// Each test gets a nix store of its own (test/fixtures/nix/private-store.ts):
// vitest runs files in parallel, and a GC of the shared /nix/store would delete
// other tests' not-yet-rooted paths (and theirs could delete ours). The fake
// tools also get a unique store path, so the two environments of one test
// never share them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentRoots, pruneStaleRoots } from '../../../main/core/nix/cache-store.js';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { NixToolRunner } from '../../../main/core/nix/tool-runner.js';
import { runCommand } from '../../../main/core/run.js';
import { countingNix, hermeticShell, tempDirs } from '../../fixtures/nix/harness.js';
import { privateNixStore, type PrivateNixStore } from '../../fixtures/nix/private-store.js';

const tmp = tempDirs();
const stores: PrivateNixStore[] = [];
afterEach(() => {
  tmp.cleanup();
  for (const s of stores.splice(0)) s.cleanup();
});

async function setup() {
  const store = privateNixStore('gc-store');
  stores.push(store);
  const dir = tmp.make('gc');
  const shellNix = hermeticShell(dir, { unique: true });
  const counting = await countingNix(dir);
  const cacheDir = path.join(dir, 'cache');
  const options = { shellNix, cacheDir, nix: counting.nix, baseEnv: store.env(counting.env) };
  const collectGarbage = () => store.collectGarbage(counting.nix.nixCollectGarbage);
  return { dir, shellNix, cacheDir, counting, options, store, collectGarbage };
}

describe('GC roots', () => {
  it('keep the cached environment through nix-collect-garbage -d: still served from cache, colima still runs', async () => {
    const { counting, options, store, collectGarbage } = await setup();
    const env = await resolveNixEnvironment(options);
    const toolsPath = store.storePathOf(env.which('colima')!);

    const roots = currentRoots(env);
    expect(roots.map((r) => path.basename(r.link))).toEqual(expect.arrayContaining(['shell.drv', 'input', 'input-2', 'path']));
    // In the private store, not /nix/store: the GC below cannot touch other tests.
    expect(roots.every((r) => r.alive && r.target.startsWith(`${store.storeDir}/`))).toBe(true);
    expect(roots.map((r) => r.target)).toContain(toolsPath);

    await collectGarbage();
    expect(existsSync(toolsPath)).toBe(true);

    const again = await resolveNixEnvironment(options);
    expect(again.fromCache).toBe(true);
    expect(counting.evaluations()).toBe(1);
    expect(counting.shellRuns()).toBe(1);
    const r = await runCommand(again.which('colima')!, ['version'], { env: again.env() });
    expect(r.stdout).toContain('colima version 0.0.0-fake');
  });

  it('pruneStaleRoots releases other environments but keeps the current one', async () => {
    const { options, cacheDir, store, collectGarbage } = await setup();
    const current = await resolveNixEnvironment(options);
    const otherShell = hermeticShell(tmp.make('gc-other'), { unique: true });
    const other = await resolveNixEnvironment({ ...options, shellNix: otherShell });
    const otherTools = store.storePathOf(other.which('colima')!);
    expect(otherTools).not.toBe(store.storePathOf(current.which('colima')!));

    const removed = pruneStaleRoots(cacheDir, [current]);
    expect(removed).toEqual([other.dir]);
    expect(currentRoots(current).every((r) => r.alive)).toBe(true);
    expect(existsSync(current.dir)).toBe(true);

    await collectGarbage();
    // Released: gone from the store. Kept: served from cache.
    expect(existsSync(otherTools)).toBe(false);
    expect((await resolveNixEnvironment(options)).fromCache).toBe(true);
  });

  it('re-captures when a GC removed an environment whose roots were released (cache check finds missing store paths)', async () => {
    const { options, cacheDir, counting, store, collectGarbage } = await setup();
    const first = await resolveNixEnvironment(options);
    const toolsPath = store.storePathOf(first.which('colima')!);
    pruneStaleRoots(cacheDir, []);
    await collectGarbage();
    expect(existsSync(toolsPath)).toBe(false);
    expect(first.isIntact()).toBe(false);

    const again = await resolveNixEnvironment(options);
    expect(again.fromCache).toBe(false);
    expect(counting.evaluations()).toBe(2);
    expect(existsSync(again.which('colima')!)).toBe(true);
  });

  it('the tool runner recovers when the program vanished under it (re-captures once, then runs)', async () => {
    const { options, cacheDir, counting, store, collectGarbage } = await setup();
    const runner = new NixToolRunner({ ...options, baseEnv: () => store.env(counting.env) });
    expect((await runner.run('colima', ['version'])).stdout).toContain('0.0.0-fake');
    const colima = (await runner.environment()).which('colima')!;
    pruneStaleRoots(cacheDir, []);
    await collectGarbage();
    expect(existsSync(colima)).toBe(false);

    const r = await runner.run('colima', ['status', '--profile', 'dev']);
    expect(r.stdout).toBe('fake-colima: [status] [--profile] [dev]\n');
    expect(counting.shellRuns()).toBe(2);
    expect(runner.status()).toMatchObject({ kind: 'ready', fromCache: false });
  });
});
