// How NixToolRunner waits for an environment, against the real nix-shell: a
// cancelled run stops waiting at once, a preferCachedEnvironment run does not
// wait for a re-evaluation, and an edited shell.nix is noticed. The "slow
// build" is a gate: the build of the tools waits until the test creates a
// file, so "finished while the build still ran" is a fact, not a timing.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { countedRunnerSetup, tempDirs } from '../../fixtures/nix/harness.js';
import { hasSettled, isRunning, until } from '../run-helpers.js';

const tmp = tempDirs();
const gates: string[] = [];
afterEach(() => {
  // Never leave a build waiting on a gate.
  for (const g of gates.splice(0)) writeFileSync(path.join(g, 'open'), '');
  tmp.cleanup();
});

const setup = () => countedRunnerSetup(tmp, { prefix: 'runner-wait', unique: true, inputsCheckIntervalMs: 0 });

/**
 * Edits shell.nix so building the tools waits for `<gate>/open` (and writes
 * the builder's pid to `<gate>/builder.pid`). Changes the key and the tools'
 * store path, like a real edit that needs a long build.
 */
function gateTheBuild(shellNix: string) {
  const gate = tmp.make('gate');
  gates.push(gate);
  const text = readFileSync(shellNix, 'utf8');
  const start = '/bin/mkdir -p "$out/bin"';
  expect(text).toContain(start);
  writeFileSync(shellNix, text.replace(start, `echo $$ > ${gate}/builder.pid; while [ ! -e ${gate}/open ]; do /bin/sleep 0.05; done; ${start}`));
  const pidFile = path.join(gate, 'builder.pid');
  return {
    /** Resolves once the build is waiting at the gate; gives the builder's pid. */
    building: async () => {
      await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 60_000, 'the gated build');
      return Number(readFileSync(pidFile, 'utf8').trim());
    },
    open: () => writeFileSync(path.join(gate, 'open'), ''),
  };
}

describe('NixToolRunner waiting for the environment', () => {
  it('a cancelled run stops waiting at once; the capture goes on for other waiters, and stops when none is left', async () => {
    const { shellNix, make, counting, statuses } = await setup();
    const gate = gateTheBuild(shellNix);
    const runner = make();

    // Two waiters: one that is cancelled, one that keeps waiting.
    const cancelled = new AbortController();
    const first = runner.run('colima', ['version'], { signal: cancelled.signal });
    const patient = runner.run('colima', ['list']);
    await gate.building();
    cancelled.abort();
    const e = await first.catch((x: unknown) => x);
    expect(isAppError(e, 'CANCELLED')).toBe(true);
    // The build still waits at the gate, so the capture is still running for `patient`.
    expect(await hasSettled(patient)).toBe(false);
    gate.open();
    expect((await patient).stdout).toBe('fake-colima: [list]\n');
    expect(counting.shellRuns()).toBe(1);

    // Alone, a cancelled waiter takes the capture down with it: its build is killed.
    const again = make();
    const next = gateTheBuild(shellNix);
    const alone = new AbortController();
    const run = again.run('colima', ['version'], { signal: alone.signal });
    const builder = await next.building();
    alone.abort();
    expect(isAppError(await run.catch((x: unknown) => x), 'CANCELLED')).toBe(true);
    await until(() => !isRunning(builder), 20_000, 'the abandoned build to be stopped');
    // Nothing failed: once the capture has wound down, the status is what it was, not an error.
    await until(() => again.status().kind !== 'resolving', 20_000, 'the abandoned capture to end');
    expect(again.status()).toEqual({ kind: 'unresolved' });
    expect(statuses.some((s) => s.kind === 'error')).toBe(false);

    // And a later run captures afresh.
    next.open();
    expect((await again.run('colima', ['version'])).stdout).toContain('0.0.0-fake');
  });

  it('a run whose signal is already aborted starts no capture', async () => {
    const { make, counting } = await setup();
    const e = await make().run('colima', ['version'], { signal: AbortSignal.abort() }).catch((x: unknown) => x);
    expect(isAppError(e, 'CANCELLED')).toBe(true);
    expect(counting.evaluations()).toBe(0);
  });

  it('preferCachedEnvironment runs with the cached environment at once while an edited shell.nix builds; a normal run waits for the new one', async () => {
    const { shellNix, make } = await setup();
    const runner = make();
    const old = await runner.run('colima', ['version']);
    const gate = gateTheBuild(shellNix);

    const normal = runner.run('colima', ['version']);
    await gate.building();
    const preferred = await runner.run('colima', ['status'], { preferCachedEnvironment: true });
    expect(preferred.file).toBe(old.file);
    expect(preferred.stdout).toBe('fake-colima: [status]\n');
    expect(await hasSettled(normal)).toBe(false);

    // A fresh process (the CLI's `down`) has no current environment: the cache's newest.
    const cli = make();
    const fromCli = await cli.run('colima', ['stop'], { preferCachedEnvironment: true });
    expect(fromCli.file).toBe(old.file);
    expect(cli.status()).toEqual({ kind: 'unresolved' });
    expect(await hasSettled(normal)).toBe(false);

    gate.open();
    const waited = await normal;
    expect(waited.file).not.toBe(old.file);
    expect(waited.stdout).toContain('0.0.0-fake');
    // Now the new environment is the current one for every kind of run.
    expect((await runner.run('colima', ['list'], { preferCachedEnvironment: true })).file).toBe(waited.file);
    expect((await cli.run('colima', ['list'], { preferCachedEnvironment: true })).file).toBe(waited.file);
    expect(cli.status()).toMatchObject({ kind: 'ready', fromCache: true });
  });

  it('notices an edited shell.nix in a long-running runner and resolves it again', async () => {
    const { shellNix, make, counting } = await setup();
    const runner = make();
    await runner.run('colima', ['version']);
    const first = runner.current()!;
    await runner.run('colima', ['version']);
    expect(counting.evaluations()).toBe(1);

    appendFileSync(shellNix, '\n# edited\n');
    await runner.run('colima', ['version']);
    expect(runner.current()!.key).not.toBe(first.key);
    expect(counting.evaluations()).toBe(2);
    // Unchanged since: no more evaluations.
    await runner.run('colima', ['version']);
    expect(counting.evaluations()).toBe(2);
  });
});
