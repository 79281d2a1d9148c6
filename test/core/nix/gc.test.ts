// Everything that runs the real `nix-collect-garbage -d` on nix environments.
// Each test gets a nix store of its own (test/fixtures/nix/private-store.ts):
// vitest runs files in parallel, and a GC of the shared /nix/store would delete
// other tests' not-yet-rooted paths (and theirs could delete ours). The fake
// tools also get a unique store path, so the two environments of one test
// never share them.
import { appendFileSync, existsSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentRoots, pruneStaleRoots } from '../../../main/core/nix/cache-store.js';
import { inUseMarker } from '../../../main/core/nix/in-use.js';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { NixToolRunner } from '../../../main/core/nix/nix-tool-runner.js';
import { runCommand } from '../../../main/core/run.js';
import { countingNix, hermeticShell, tempDirs } from '../../fixtures/nix/harness.js';
import { privateNixStore, type PrivateNixStore } from '../../fixtures/nix/private-store.js';

const tmp = tempDirs();
const stores: PrivateNixStore[] = [];
/** Stops the stand-in for another live process of the app. */
let stopHolder = new AbortController();
afterEach(() => {
  stopHolder.abort();
  stopHolder = new AbortController();
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

  it('pruneStaleRoots keeps the newest environment of every shell.nix group and what another process uses; releases only older keys', async () => {
    const { dir, shellNix, options, cacheDir, store, collectGarbage } = await setup();
    // Another shell.nix (the tray with another COLIMA_K8S_SHELL_NIX than this gc): its own group.
    const otherShell = hermeticShell(tmp.make('gc-other'), { unique: true });
    const other = await resolveNixEnvironment({ ...options, shellNix: otherShell });
    const otherTools = store.storePathOf(other.which('colima')!);

    const old = await resolveNixEnvironment(options);
    const oldTools = store.storePathOf(old.which('colima')!);
    // A live process (the tray) runs with `old`, then the CLI captures an edited shell.nix.
    const holder = runCommand('sleep', ['60'], { timeoutMs: 60_000, signal: stopHolder.signal, onSpawn: (pid) => writeFileSync(inUseMarker(old.dir, pid), '') });
    writeFileSync(path.join(dir, 'bin', 'added-tool'), '#!/bin/sh\necho added\n', { mode: 0o755 });
    appendFileSync(shellNix, '\n# edited\n');
    const edited = await resolveNixEnvironment(options);
    expect(edited.key).not.toBe(old.key);
    expect(store.storePathOf(edited.which('colima')!)).not.toBe(oldTools);
    // The capture released no folder the live process uses (removeOtherKeys).
    expect(old.isIntact()).toBe(true);

    // Nothing to release: each group's newest, and `old` is in use.
    expect(pruneStaleRoots(cacheDir, [edited])).toEqual([]);
    expect(pruneStaleRoots(cacheDir, [])).toEqual([]);

    stopHolder.abort();
    await holder;
    const removed = pruneStaleRoots(cacheDir, []);
    expect(removed).toEqual([old.dir]);
    expect(readdirSync(path.dirname(edited.dir)).sort()).toEqual([edited.key]);
    expect(other.isIntact()).toBe(true);
    expect(edited.isIntact()).toBe(true);

    await collectGarbage();
    // Released: gone from the store. Both groups' newest: kept and served from cache.
    expect(existsSync(oldTools)).toBe(false);
    expect(existsSync(otherTools)).toBe(true);
    expect((await resolveNixEnvironment(options)).fromCache).toBe(true);
    const again = await resolveNixEnvironment({ ...options, shellNix: otherShell });
    expect(again.fromCache).toBe(true);
    expect((await runCommand(again.which('colima')!, ['version'], { env: again.env() })).stdout).toContain('colima version 0.0.0-fake');
  });

  it('an environment whose roots folder lost every root but shell.drv is not intact, and is captured again', async () => {
    const { options, counting } = await setup();
    const env = await resolveNixEnvironment(options);
    const others = readdirSync(env.rootsDir).filter((n) => n !== 'shell.drv');
    expect(others.length).toBeGreaterThan(0);
    for (const name of others) unlinkSync(path.join(env.rootsDir, name));
    // What is left is alive, but nothing protects the tools on PATH any more.
    expect(currentRoots(env).map((r) => [path.basename(r.link), r.alive])).toEqual([['shell.drv', true]]);
    expect(env.isIntact()).toBe(false);

    const again = await resolveNixEnvironment(options);
    expect(again.fromCache).toBe(false);
    expect(counting.evaluations()).toBe(2);
    expect(again.isIntact()).toBe(true);
  });

  it('re-captures when a GC removed an environment whose roots were released (cache check finds missing store paths)', async () => {
    const { options, cacheDir, counting, store, collectGarbage } = await setup();
    const first = await resolveNixEnvironment(options);
    const toolsPath = store.storePathOf(first.which('colima')!);
    // Released from outside (pruneStaleRoots keeps every group's newest environment).
    rmSync(first.rootsDir, { recursive: true, force: true });
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
    rmSync((await runner.environment()).rootsDir, { recursive: true, force: true });
    await collectGarbage();
    expect(existsSync(colima)).toBe(false);

    const r = await runner.run('colima', ['status', '--profile', 'dev']);
    expect(r.stdout).toBe('fake-colima: [status] [--profile] [dev]\n');
    expect(counting.shellRuns()).toBe(2);
    expect(runner.status()).toMatchObject({ kind: 'ready', fromCache: false });
  });
});
