// resolveNixEnvironment against the real nix-shell, with the hermetic shell.nix.
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { runCommand } from '../../../main/core/run.js';
import { baseEnv, countingNix, hermeticShell, tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

async function setup(options: { unique?: boolean } = {}) {
  const dir = tmp.make('env');
  const shellNix = hermeticShell(dir, options);
  const counting = await countingNix(dir);
  const cacheDir = path.join(dir, 'cache');
  const resolve = (extra: Partial<Parameters<typeof resolveNixEnvironment>[0]> = {}) =>
    resolveNixEnvironment({ shellNix, cacheDir, nix: counting.nix, baseEnv: baseEnv(counting.env), ...extra });
  return { dir, shellNix, cacheDir, counting, resolve };
}

describe('resolveNixEnvironment', () => {
  it('captures the shell environment: tools on PATH ahead of the caller, shellHook exports, no shell noise', async () => {
    const { resolve, shellNix } = await setup();
    const env = await resolve();
    expect(env.fromCache).toBe(false);
    expect(env.fallback).toBeUndefined();
    expect(env.shellNix).toBe(shellNix);

    const colima = env.which('colima');
    expect(colima).toMatch(/^\/nix\/store\/[a-z0-9]{32}-fake-colima-tools\/bin\/colima$/);
    const vars = env.env();
    expect(vars.COLIMA_SHELL_HOOK_RAN).toBe('1');
    expect(vars.HERMETIC_SHELL).toBe('1');
    expect(vars.IN_NIX_SHELL).toBe('impure');
    for (const noise of ['_', 'PWD', 'OLDPWD', 'SHLVL', '__ck8s_n', 'COLIMA_K8S_NIX_ENV_DUMP']) expect(env.diff.set).not.toHaveProperty(noise);

    // PATH = nix's entries, then the base PATH (which now can differ from capture time).
    expect(env.diff.pathPrefix.some((p) => p.endsWith('-fake-colima-tools/bin'))).toBe(true);
    const later = env.env({ PATH: '/opt/later/bin:relative/bin:/usr/bin', ADDED_LATER: 'yes' });
    expect(later.PATH).toBe([...env.diff.pathPrefix, '/opt/later/bin', '/usr/bin'].join(':'));
    expect(later.ADDED_LATER).toBe('yes');
    expect(later.PATH.split(':').every((p) => p.startsWith('/'))).toBe(true);

    const r = await runCommand(colima!, ['version'], { env: vars });
    expect(r.stdout).toContain('colima version 0.0.0-fake');
  });

  it('uses the cache on the second call: no evaluation and no nix-shell run', async () => {
    const { resolve, counting } = await setup();
    const first = await resolve();
    expect(counting.evaluations()).toBe(1);
    expect(counting.shellRuns()).toBe(1);

    const second = await resolve();
    expect(second.fromCache).toBe(true);
    expect(second.key).toBe(first.key);
    expect(second.which('colima')).toBe(first.which('colima'));
    expect(counting.evaluations()).toBe(1);
    expect(counting.shellRuns()).toBe(1);
  });

  it('evaluates again when shell.nix changes, and then releases the old key folder', async () => {
    const { resolve, counting, shellNix } = await setup();
    const first = await resolve();
    appendFileSync(shellNix, '\n# edited\n');
    const second = await resolve();
    expect(second.fromCache).toBe(false);
    expect(second.key).not.toBe(first.key);
    expect(counting.evaluations()).toBe(2);
    expect(readdirSync(path.dirname(second.dir))).toEqual([second.key]);
    expect(existsSync(first.dir)).toBe(false);
  });

  it('re-evaluates when another nix input next to shell.nix changes, not when only its mtime does', async () => {
    const { resolve, dir, counting } = await setup();
    const helper = path.join(dir, 'overlay.nix');
    writeFileSync(helper, '{ }\n');
    const first = await resolve();
    writeFileSync(helper, '{ }\n'); // same bytes, new mtime
    expect((await resolve()).key).toBe(first.key);
    writeFileSync(helper, '{ x = 1; }\n');
    const third = await resolve();
    expect(third.key).not.toBe(first.key);
    expect(counting.evaluations()).toBe(2);
  });

  it('falls back to the last good environment when shell.nix breaks, and says why', async () => {
    const { resolve, shellNix } = await setup();
    const good = await resolve();
    writeFileSync(shellNix, '{ system ? builtins.currentSystem }: this is not nix (\n');
    const env = await resolve();
    expect(env.fallback?.reason).toMatch(/syntax error|error:/);
    expect(env.key).toBe(good.key);
    const r = await runCommand(env.which('colima')!, ['version'], { env: env.env() });
    expect(r.stdout).toContain('colima version 0.0.0-fake');
  });

  it('throws NIX_EVAL_FAILED with nix\'s error lines when there is no previous environment', async () => {
    const { resolve, shellNix } = await setup();
    writeFileSync(shellNix, 'builtins.throw "shell.nix is broken on purpose"\n');
    const e = await resolve().catch((x: unknown) => x);
    expect(isAppError(e, 'NIX_EVAL_FAILED')).toBe(true);
    if (!isAppError(e)) throw e;
    expect(e.message).toContain('shell.nix is broken on purpose');
    expect(e.details.logTail?.join('\n')).toContain('shell.nix is broken on purpose');
  });

  it('with --pure, drops the caller\'s PATH and variables (except --keep)', async () => {
    const { resolve, counting } = await setup();
    const caller = baseEnv({ ...counting.env, DROP_ME: 'x', KEEP_ME: 'y' });
    const env = await resolve({ pure: true, keep: ['KEEP_ME'], baseEnv: caller });
    const vars = env.env({ ...caller, PATH: '/usr/bin:/bin' });
    expect(vars.DROP_ME).toBeUndefined();
    expect(vars.KEEP_ME).toBe('y');
    expect(vars.PATH.split(':')).not.toContain('/usr/bin');
    expect(env.which('colima')).toMatch(/fake-colima-tools\/bin\/colima$/);
    expect(env.which('sh')).toBeUndefined();
  });

  it('keeps the pure and impure environments apart in the cache key', async () => {
    const { resolve } = await setup();
    const impure = await resolve();
    const pure = await resolve({ pure: true });
    expect(pure.key).not.toBe(impure.key);
    expect(pure.fromCache).toBe(false);
    // Separate groups: capturing one does not release the other.
    expect((await resolve()).fromCache).toBe(true);
    expect((await resolve({ pure: true })).fromCache).toBe(true);
  });

  it('reports a shellHook that exits before the dump instead of caching an empty environment', async () => {
    const { resolve, shellNix } = await setup();
    writeFileSync(shellNix, readFileSync(shellNix, 'utf8').replace('export COLIMA_SHELL_HOOK_RAN=1', 'exit 0'));
    const e = await resolve().catch((x: unknown) => x);
    expect(isAppError(e, 'NIX_EVAL_FAILED')).toBe(true);
    expect(String((e as Error).message)).toMatch(/printed no environment/);
  });

  it('stops a capture that takes too long (TIMEOUT) and one that is cancelled (CANCELLED)', async () => {
    const { resolve, shellNix } = await setup();
    writeFileSync(shellNix, readFileSync(shellNix, 'utf8').replace('export COLIMA_SHELL_HOOK_RAN=1', 'sleep 30'));
    // Without the limit the hook would sleep 30 s and then succeed: TIMEOUT proves the limit fired.
    const timedOut = await resolve({ timeoutMs: 1_500 }).catch((x: unknown) => x);
    expect(isAppError(timedOut, 'TIMEOUT')).toBe(true);

    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const cancelled = await resolve({ signal: ac.signal }).catch((x: unknown) => x);
    expect(isAppError(cancelled, 'CANCELLED')).toBe(true);
  });

  it('says what to do when shell.nix does not exist or the options are invalid', async () => {
    const { resolve, dir } = await setup();
    const missing = await resolve({ shellNix: path.join(dir, 'nope.nix') }).catch((x: unknown) => x);
    expect(isAppError(missing, 'NOT_FOUND')).toBe(true);
    expect(String((missing as Error).message)).toContain('COLIMA_K8S_SHELL_NIX');
    const bad = await resolve({ pure: true, keep: ['NOT A NAME'] }).catch((x: unknown) => x);
    expect(isAppError(bad, 'INVALID_INPUT')).toBe(true);
  });
});
