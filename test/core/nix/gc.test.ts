// Everything that runs the real `nix-collect-garbage -d` lives in this one file
// (vitest runs files in parallel; the other nix tests hold their own roots).
// Each test's fake tools get a unique store path, so no other test's roots can
// keep them alive and hide a bug.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentRoots, pruneStaleRoots } from '../../../main/core/nix/cache-store.js';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { NixToolRunner } from '../../../main/core/nix/tool-runner.js';
import { runCommand, assertSucceeded } from '../../../main/core/run.js';
import { baseEnv, countingNix, hermeticShell, tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

async function collectGarbage(nixCollectGarbage: string | undefined): Promise<string> {
  if (!nixCollectGarbage) throw new Error('nix-collect-garbage is not next to nix-shell on this machine');
  const r = assertSucceeded(await runCommand(nixCollectGarbage, ['-d'], { env: process.env, timeoutMs: 120_000 }), 'nix-collect-garbage -d');
  return r.stdout + r.stderr;
}

async function setup() {
  const dir = tmp.make('gc');
  const shellNix = hermeticShell(dir, { unique: true });
  const counting = await countingNix(dir);
  const cacheDir = path.join(dir, 'cache');
  const options = { shellNix, cacheDir, nix: counting.nix, baseEnv: baseEnv(counting.env) };
  return { dir, shellNix, cacheDir, counting, options };
}

describe('GC roots', () => {
  it('keep the cached environment through nix-collect-garbage -d: still served from cache, colima still runs', async () => {
    const { counting, options } = await setup();
    const env = await resolveNixEnvironment(options);
    const colima = env.which('colima')!;
    const toolsPath = colima.split('/').slice(0, 4).join('/');

    const roots = currentRoots(env);
    expect(roots.map((r) => path.basename(r.link))).toEqual(expect.arrayContaining(['shell.drv', 'input', 'input-2', 'path']));
    expect(roots.every((r) => r.alive && r.target.startsWith('/nix/store/'))).toBe(true);
    expect(roots.map((r) => r.target)).toContain(toolsPath);

    await collectGarbage(counting.nix.nixCollectGarbage);
    expect(existsSync(toolsPath)).toBe(true);

    const again = await resolveNixEnvironment(options);
    expect(again.fromCache).toBe(true);
    expect(counting.evaluations()).toBe(1);
    expect(counting.shellRuns()).toBe(1);
    const r = await runCommand(again.which('colima')!, ['version'], { env: again.env() });
    expect(r.stdout).toContain('colima version 0.0.0-fake');
  });

  it('pruneStaleRoots releases other environments but keeps the current one', async () => {
    const { options, cacheDir } = await setup();
    const current = await resolveNixEnvironment(options);
    const otherShell = hermeticShell(tmp.make('gc-other'), { unique: true });
    const other = await resolveNixEnvironment({ ...options, shellNix: otherShell });
    const otherTools = other.which('colima')!.split('/').slice(0, 4).join('/');

    const removed = pruneStaleRoots(cacheDir, [current]);
    expect(removed).toEqual([other.dir]);
    expect(currentRoots(current).every((r) => r.alive)).toBe(true);
    expect(existsSync(current.dir)).toBe(true);

    await collectGarbage(options.nix.nixCollectGarbage);
    // Released: gone from the store. Kept: served from cache.
    expect(existsSync(otherTools)).toBe(false);
    expect((await resolveNixEnvironment(options)).fromCache).toBe(true);
  });

  it('re-captures when a GC removed an environment whose roots were released (cache check finds missing store paths)', async () => {
    const { options, cacheDir, counting } = await setup();
    const first = await resolveNixEnvironment(options);
    const toolsPath = first.which('colima')!.split('/').slice(0, 4).join('/');
    pruneStaleRoots(cacheDir, []);
    await collectGarbage(options.nix.nixCollectGarbage);
    expect(existsSync(toolsPath)).toBe(false);
    expect(first.isIntact()).toBe(false);

    const again = await resolveNixEnvironment(options);
    expect(again.fromCache).toBe(false);
    expect(counting.evaluations()).toBe(2);
    expect(existsSync(again.which('colima')!)).toBe(true);
  });

  it('the tool runner recovers when the program vanished under it (re-captures once, then runs)', async () => {
    const { options, cacheDir, counting } = await setup();
    const runner = new NixToolRunner({ ...options, baseEnv: () => baseEnv(counting.env) });
    expect((await runner.run('colima', ['version'])).stdout).toContain('0.0.0-fake');
    pruneStaleRoots(cacheDir, []);
    await collectGarbage(options.nix.nixCollectGarbage);

    const r = await runner.run('colima', ['status', '--profile', 'dev']);
    expect(r.stdout).toBe('fake-colima: [status] [--profile] [dev]\n');
    expect(counting.shellRuns()).toBe(2);
    expect(runner.status()).toMatchObject({ kind: 'ready', fromCache: false });
  });
});
