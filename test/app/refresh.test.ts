// State refresh against the colima simulator's real instance folder, the real
// fs.watch and the real controller: a change made "in a terminal" shows within
// 5 s, and an idle app spawns at most 2 processes a minute. Time is simulated
// (ManualClock); spawns are counted by the runner.
import { appendFileSync, mkdirSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readInstancesFolder, startStateRefresh, type StateRefresher, type WatchFolder } from '../../main/app/refresh.js';
import { DEFAULT_PROFILE } from '../../main/core/profiles/validate.js';
import type { CoreServices } from '../../main/core/services.js';
import { countingRunner, type CountingRunner } from '../fixtures/counting-runner.js';
import { createDirectRunner } from '../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../fixtures/integration-env.js';
import { ManualClock } from '../fixtures/manual-clock.js';
import { simCoreServices } from '../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const realWatch: WatchFolder = (folder, listener) => watch(folder, { persistent: false }, () => listener());
const START_BY_HAND = ['start', '--profile', 'dev', '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd'];

describe('state refresh', () => {
  let env: IntegrationEnv;
  let core: CoreServices;
  let runner: CountingRunner;
  let clock: ManualClock;
  let refresher: StateRefresher | undefined;
  let refreshedAt: number[];
  let limaDir: string;

  const byHand = async (args: readonly string[]): Promise<void> => {
    const r = await env.runColimaByHand(args);
    expect(r.exitCode, r.stderr).toBe(0);
  };
  const start = async (): Promise<StateRefresher> => {
    refresher = startStateRefresh({
      instancesDir: limaDir,
      refresh: async () => {
        refreshedAt.push(clock.now());
        await core.controller.refresh();
      },
      watch: realWatch,
      timers: clock,
    });
    await refresher.whenIdle();
    return refresher;
  };
  const settle = () => refresher!.whenIdle();
  const phaseOf = (name: string) => core.controller.snapshot().instances[name]?.phase;

  beforeEach(() => {
    env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
    runner = countingRunner(createDirectRunner(SIM_DIR, env.env));
    core = simCoreServices(env, { runner });
    core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 });
    clock = new ManualClock();
    refreshedAt = [];
    limaDir = path.join(env.colimaBase, '_lima');
  });
  afterEach(() => {
    refresher?.stop();
    refresher = undefined;
    env.cleanup();
  });

  it('`colima stop` typed in a terminal shows within 5 s (simulated), with one `colima list`', async () => {
    await byHand(START_BY_HAND);
    await core.controller.refresh();
    expect(phaseOf('dev')).toBe('running');
    const r = await start();
    const spawnsBefore = runner.calls.length;

    const changedAt = clock.now();
    await byHand(['stop', '--profile', 'dev']);
    // The real fs.watch event arrives (real time); the check it schedules waits for simulated time.
    await vi.waitFor(() => expect(clock.dueWithin(5_000)).toBeGreaterThan(0), { timeout: 30_000 });
    await clock.advance(5_000, () => r.whenIdle());

    expect(phaseOf('dev')).toBe('stopped');
    expect(refreshedAt).toHaveLength(1);
    expect(refreshedAt[0]! - changedAt).toBeLessThanOrEqual(5_000);
    expect(runner.calls.slice(spawnsBefore).map((c) => [c.program, ...c.args])).toEqual([['colima', 'list', '--json']]);
  });

  it('spawns at most 2 processes per idle minute, even while the VM writes its logs', async () => {
    await byHand(START_BY_HAND);
    const log = path.join(limaDir, 'colima-dev', 'ha.stderr.log');
    writeFileSync(log, 'hostagent started\n');
    await start();
    const spawnsBefore = runner.calls.length;

    const minutes = 10;
    for (let m = 0; m < minutes; m++) {
      appendFileSync(log, `tick ${m}\n`);
      // Wait until the watcher has seen the write, so the log noise is part of the measurement.
      await vi.waitFor(() => expect(clock.dueWithin(1_000)).toBeGreaterThan(0), { timeout: 30_000 });
      await clock.advance(60_000, settle);
    }

    const spawns = runner.calls.length - spawnsBefore;
    expect(spawns / minutes).toBeLessThanOrEqual(2);
    // Exactly the safety refresh: one `colima list` a minute; the log writes cost no process.
    expect(spawns).toBe(minutes);
    expect(new Set(runner.calls.slice(spawnsBefore).map((c) => c.args.join(' ')))).toEqual(new Set(['list --json']));
  });

  it('before colima ever ran (no _lima yet) it polls the folder without spawning, and sees the first instance within 5 s', async () => {
    await start();
    const spawnsBefore = runner.calls.length;
    await clock.advance(59_000, settle);
    expect(runner.calls.length - spawnsBefore).toBe(0);

    const changedAt = clock.now();
    await byHand(START_BY_HAND);
    await clock.advance(5_000, settle);
    expect(refreshedAt[0]! - changedAt).toBeLessThanOrEqual(5_000);
    expect(phaseOf('dev')).toBe('running');
  });

  it('a stream of folder events does not postpone the look (throttled, not debounced)', async () => {
    const listeners: (() => void)[] = [];
    const fakeWatch: WatchFolder = (_folder, listener) => {
      listeners.push(listener);
      return { close() {}, on: () => undefined };
    };
    let key = 'a';
    let refreshes = 0;
    refresher = startStateRefresh({
      instancesDir: '/watched',
      refresh: async () => void refreshes++,
      watch: fakeWatch,
      timers: clock,
      readFolder: async () => ({ ids: [], key }),
    });
    await refresher.whenIdle();
    key = 'b';
    for (let t = 0; t < 20; t++) {
      listeners.forEach((l) => l());
      await clock.advance(100, settle);
    }
    expect(refreshes).toBe(1);
  });

  it('the folder fingerprint ignores logs and sees pid/socket files come and go', async () => {
    const dir = path.join(env.root, 'lima');
    mkdirSync(path.join(dir, 'colima-dev'), { recursive: true });
    expect(await readInstancesFolder(path.join(env.root, 'missing'))).toBeUndefined();
    const idle = await readInstancesFolder(dir);
    expect(idle?.ids).toEqual(['colima-dev']);
    writeFileSync(path.join(dir, 'colima-dev', 'serial.log'), 'x');
    const withLog = await readInstancesFolder(dir);
    expect(withLog?.key.split(':')[1]).toBe('');
    appendFileSync(path.join(dir, 'colima-dev', 'serial.log'), 'more');
    expect((await readInstancesFolder(dir))?.key).toBe(withLog?.key);
    writeFileSync(path.join(dir, 'colima-dev', 'ha.pid'), '123');
    expect((await readInstancesFolder(dir))?.key).toContain(':ha.pid');
  });
});
