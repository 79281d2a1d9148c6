// NixToolRunner against the real nix-shell and the hermetic shell.nix.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { countedRunnerSetup, tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

const setup = (extraEnv: Record<string, string> = {}) => countedRunnerSetup(tmp, { prefix: 'runner', extraEnv });

describe('NixToolRunner', () => {
  it('runs a program of the environment by absolute path and reports resolving → ready', async () => {
    const { make, statuses } = await setup();
    const runner = make();
    expect(runner.status()).toEqual({ kind: 'unresolved' });
    const r = await runner.run('colima', ['version']);
    expect(r.exitCode).toBe(0);
    expect(r.file).toMatch(/^\/nix\/store\/.+-fake-colima-tools\/bin\/colima$/);
    expect(r.stdout).toContain('colima version 0.0.0-fake');
    expect(statuses.map((s) => s.kind)).toEqual(['resolving', 'ready']);
    expect(runner.status()).toMatchObject({ kind: 'ready', fromCache: false });

    // A second runner (the next app start) gets it from the cache.
    const next = make();
    await next.run('kubectl', ['get', 'nodes']);
    expect(next.status()).toMatchObject({ kind: 'ready', fromCache: true });
  });

  it('shares one capture between concurrent callers', async () => {
    const { make, counting } = await setup();
    const runner = make();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => runner.run('colima', ['list', String(i)])));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 6 }, (_, i) => `fake-colima: [list] [${i}]\n`));
    expect(counting.shellRuns()).toBe(1);
    expect(counting.evaluations()).toBe(1);
  });

  it('passes hostile arguments through literally and runs none of them', async () => {
    const { make, dir } = await setup();
    const pwned = path.join(dir, 'pwned');
    const hostile = [
      `x; touch ${pwned}`,
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `a\nb; touch ${pwned}`,
      `x'; touch ${pwned}; echo '`,
      `"; touch ${pwned}; echo "`,
      '*',
      '',
      '--profile=$HOME',
    ];
    const r = await make().run('colima', ['start', '--profile', ...hostile]);
    expect(existsSync(pwned)).toBe(false);
    expect(r.stdout).toBe(`fake-colima: [start] [--profile]${hostile.map((a) => ` [${a}]`).join('')}\n`);
  });

  it('removes COLIMA_PROFILE from the child environment (it silently filters `colima list`)', async () => {
    const { make } = await setup({ COLIMA_PROFILE: 'someone-elses', KEEP_THIS: 'kept' });
    const r = await make().run('env', []);
    expect(r.stdout).not.toMatch(/^COLIMA_PROFILE=/m);
    expect(r.stdout).toMatch(/^KEEP_THIS=kept$/m);
    expect(r.stdout).toMatch(/^COLIMA_SHELL_HOOK_RAN=1$/m);
  });

  it('says which shell.nix lacks a program that is not in the environment', async () => {
    const { make, shellNix } = await setup();
    const e = await make().run('definitely-not-a-tool-xyz', []).catch((x: unknown) => x);
    expect(isAppError(e, 'SPAWN_FAILED')).toBe(true);
    expect(String((e as Error).message)).toContain(shellNix);
  });

  it('reload() evaluates again even when the cache matches', async () => {
    const { make, counting } = await setup();
    const runner = make();
    await runner.run('colima', ['version']);
    const env = await runner.reload();
    expect(env.fromCache).toBe(false);
    expect(counting.evaluations()).toBe(2);
    expect(runner.current()).toBe(env);
  });

  it('reports fallback when shell.nix broke after a good capture, and error when there never was one', async () => {
    const { make, shellNix } = await setup();
    await make().run('colima', ['version']);
    writeFileSync(shellNix, 'this is ( not nix\n');
    const runner = make();
    const r = await runner.run('colima', ['version']);
    expect(r.stdout).toContain('0.0.0-fake');
    const status = runner.status();
    expect(status.kind).toBe('fallback');
    if (status.kind === 'fallback') expect(status.reason).toMatch(/error/);

    const fresh = await setup();
    writeFileSync(fresh.shellNix, 'this is ( not nix\n');
    const broken = fresh.make();
    const e = await broken.run('colima', ['version']).catch((x: unknown) => x);
    expect(isAppError(e, 'NIX_EVAL_FAILED')).toBe(true);
    expect(broken.status()).toMatchObject({ kind: 'error' });
    expect(fresh.statuses.map((s) => s.kind)).toEqual(['resolving', 'error']);
  });
});
