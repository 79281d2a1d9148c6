// runNix's stall watchdog (run-nix.ts): a nix call that prints nothing for
// stallMs is stopped; one that keeps printing progress is never stopped,
// however long it runs. Time is a controllable clock (manual-timers.ts).
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { liveProcessGroups } from '../../../main/core/run.js';
import { runNix, throwUnlessSucceeded } from '../../../main/core/nix/run-nix.js';
import { tempDirs } from '../../fixtures/nix/harness.js';
import { manualTimers } from '../../fixtures/nix/manual-timers.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

const MIN = 60_000;

function script(dir: string, body: string): string {
  const file = path.join(dir, 'fake-nix-store');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('runNix stall timeout', () => {
  it('never stops a call that keeps printing progress, even after far longer than the stall timeout', async () => {
    const dir = tmp.make('stall');
    const file = script(dir, `i=0; while [ $i -lt 30 ]; do echo "copying path '/nix/store/x-p$i' from 'https://cache.nixos.org'..." >&2; i=$((i+1)); sleep 0.01; done; echo done`);
    const timers = manualTimers();
    // Every line: 9 simulated minutes pass (below the 10-minute stall timeout): 270 minutes in all.
    const r = await runNix(file, [], { env: process.env, stallMs: 10 * MIN, timers, timeoutMs: 60_000, onStderrLine: () => timers.advance(9 * MIN) });
    expect(timers.now()).toBe(270 * MIN);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'done\n', timedOut: false, cancelled: false });
    expect(r.stalledMs).toBeUndefined();
    expect(timers.armed()).toBeGreaterThanOrEqual(31);
    expect(timers.pending()).toBe(0);
  });

  it('stops a call silent for the stall timeout and says nix reported no progress; nothing is left running', async () => {
    const dir = tmp.make('stall');
    const file = script(dir, `echo "copying path '/nix/store/x-colima' from 'https://cache.nixos.org'..." >&2; exec sleep 600`);
    const timers = manualTimers();
    let lines = 0;
    const run = runNix(file, [], { env: process.env, stallMs: 10 * MIN, timers, timeoutMs: 60_000, killGraceMs: 200, onStderrLine: () => lines++ });
    await until(() => lines === 1);
    timers.advance(10 * MIN - 1);
    expect(liveProcessGroups().length).toBeGreaterThan(0);
    timers.advance(1);
    const r = await run;
    expect(r).toMatchObject({ timedOut: true, cancelled: false, stalledMs: 10 * MIN });
    const e = catching(() => throwUnlessSucceeded(r, 'Building the environment'));
    expect(isAppError(e, 'TIMEOUT')).toBe(true);
    expect(String((e as Error).message)).toContain('nix reported no progress for 10 min');
    expect(String((e as Error).message)).toContain('COLIMA_K8S_NIX_STALL_MINUTES');
    expect(liveProcessGroups()).toEqual([]);
  });

  it("a cancel during the watch is a cancel, not a stall", async () => {
    const dir = tmp.make('stall');
    const file = script(dir, `echo "copying path '/nix/store/x-colima' from 'https://cache.nixos.org'..." >&2; exec sleep 600`);
    const timers = manualTimers();
    const abort = new AbortController();
    let lines = 0;
    const run = runNix(file, [], { env: process.env, stallMs: 10 * MIN, timers, timeoutMs: 60_000, killGraceMs: 200, signal: abort.signal, onStderrLine: () => lines++ });
    await until(() => lines === 1);
    abort.abort();
    const r = await run;
    expect(r).toMatchObject({ cancelled: true });
    expect(r.stalledMs).toBeUndefined();
    expect(isAppError(catching(() => throwUnlessSucceeded(r, 'x')), 'CANCELLED')).toBe(true);
  });
});

function catching(f: () => void): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
