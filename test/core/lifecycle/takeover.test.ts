// A teardown while ANOTHER controller (here in the same process; the CLI tests
// do it with two processes) is still starting an instance: the teardown takes
// the entry over and ends that start before it stops and deletes, so the VM
// cannot come up after the teardown; the start fails saying why. And a start
// whose entry is gone when colima start returns never reports success.
import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ColimaClient } from '../../../main/core/colima/client-api.js';
import { isAppError } from '../../../main/core/errors.js';
import { LifecycleController } from '../../../main/core/lifecycle/controller.js';
import { processIdentity, systemProcessProbe } from '../../../main/core/ledger/process-probe.js';
import { memoryLogger } from '../../../main/core/log.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { FAST_TIMEOUTS, useSimCore } from '../../fixtures/sim-core-services.js';
import { caught } from '../../fixtures/caught.js';

vi.mock('electron', () => ({ default: {} }));

const sim = useSimCore({ timeouts: { ...FAST_TIMEOUTS, orphanGraceMs: 1_000 } });
beforeEach(() => {
  sim.core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes: false });
});

const listed = async (): Promise<string[]> => (await sim.core.colima.list()).map((i) => `${i.name}:${i.status}`);
const colimaStart = () => sim.env.calls().find((c) => c.program === 'colima' && c.argv[0] === 'start');

/** A second controller on the same app home (what another tray or CLI process has). */
function otherController(colima: ColimaClient = sim.core.colima, logger = memoryLogger()): LifecycleController {
  return new LifecycleController({ store: sim.core.store, ledger: sim.core.ledger, colima, kubectl: sim.core.kubectl, timeouts: { ...FAST_TIMEOUTS, orphanGraceMs: 1_000 }, logger });
}

describe('a teardown during another controller\'s start', () => {
  it('takes the entry over, ends that start first, then deletes: the VM never comes up and the start says why', async () => {
    // The simulated start waits before it creates the VM: a teardown that did not end it would find nothing to
    // delete, remove the entry, and the VM would come up afterwards with no entry.
    sim.env.setFaults({ startDelayMs: 3_000 });
    const starting = caught(sim.core.controller.start('dev', { owner: 'cli' }));
    await vi.waitFor(() => expect(sim.core.ledger.get('dev')?.startProcess?.identity && colimaStart()).toBeTruthy(), { timeout: 30_000, interval: 20 });
    const colimaPid = colimaStart()!.pid;

    const log = memoryLogger();
    const result = await otherController(sim.core.colima, log).teardownAll();

    expect(result).toEqual({ ok: true, remaining: [] });
    expect(log.lines.some((l) => /dev: a start of it in this process is still running and this teardown takes it over; stopping its colima start/.test(l))).toBe(true);
    const error = await starting;
    expect(isAppError(error, 'CONFLICT')).toBe(true);
    expect((error as Error).message).toMatch(/^The start of dev was ended by a teardown \(colima-k8s down or the tray's Quit, process \d+\), which stops and deletes its VM; the start reported: /);
    expect(systemProcessProbe().groupExists(colimaPid)).toBe(false);
    expect(sim.core.ledger.list()).toEqual([]);
    expect(sim.core.controller.snapshot().instances.dev).toMatchObject({ phase: 'error', error: { message: (error as Error).message } });
    // Longer than the rest of the simulated start: the VM never appears.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(await listed()).toEqual([]);
    expect(sim.env.colimaCalls().filter((a) => a[0] === 'start')).toHaveLength(1);
  });

  it('a start that learns at the spawn that a teardown claimed its entry kills its own colima start at once', async () => {
    sim.env.setFaults({ startDelayMs: 2_000 });
    // The claim lands after the entry is written and before colima is spawned (while, in the app, nix may
    // still be preparing the environment): the teardown saw no start process to kill.
    const claiming: ColimaClient = {
      ...sim.core.colima,
      start: (profile, options) => {
        sim.core.ledger.claimForTeardown([profile.name], 4242);
        return sim.core.colima.start(profile, options);
      },
    };
    const log = memoryLogger();
    const controller = otherController(claiming, log);
    const error = await caught(controller.start('dev'));
    expect(isAppError(error, 'CONFLICT')).toBe(true);
    expect((error as Error).message).toMatch(/^The start of dev was ended by a teardown \(colima-k8s down or the tray's Quit, process 4242\)/);
    const stopped = log.lines.map((l) => /ledger: dev was taken over while colima started it; stopping this colima start \(process group (\d+)\)/.exec(l)).find(Boolean);
    expect(stopped).toBeTruthy();
    // Gone at once or, for a member still being reaped, after run.ts's kill grace (the bound is far above it).
    await vi.waitFor(() => expect(systemProcessProbe().groupExists(Number(stopped![1]))).toBe(false), { timeout: 30_000, interval: 50 });
    // Still recorded (the teardown that claimed it deletes it), never marked started.
    expect(sim.core.ledger.get('dev')).toMatchObject({ state: 'starting', teardownBy: 4242 });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await listed()).toEqual([]);
  });
});

describe('a start of an entry another live process is tearing down', () => {
  it('is refused until that teardown has finished; a claim by a process that died is taken back', async () => {
    await sim.core.controller.start('dev');
    const tearingDown = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    try {
      sim.core.ledger.claimForTeardown(['dev'], tearingDown.pid!);
      const error = await caught(otherController().start('dev'));
      expect(isAppError(error, 'BUSY')).toBe(true);
      expect((error as Error).message).toBe(`"dev" is being torn down by another colima-k8s process (pid ${tearingDown.pid}); start it again when that has finished.`);
      expect(sim.core.ledger.get('dev')!.teardownBy).toBe(tearingDown.pid);
    } finally {
      tearingDown.kill('SIGKILL');
      await new Promise((resolve) => tearingDown.once('exit', resolve));
    }
    await otherController().start('dev');
    expect(sim.core.ledger.get('dev')).toMatchObject({ state: 'started' });
    expect(sim.core.ledger.get('dev')!.teardownBy).toBeUndefined();
  });
});

describe('a start whose entry is gone when colima start returns', () => {
  /** colima start, then `after` (what another process did meanwhile, e.g. an older teardown that removed the entry). */
  const startThen = (after: (profile: string) => Promise<void> | void): ColimaClient => ({
    ...sim.core.colima,
    start: async (profile, options) => {
      await sim.core.colima.start(profile, options);
      await after(profile.name);
    },
  });

  it('records the VM again and fails loudly when the VM is up', async () => {
    const error = await caught(otherController(startThen((p) => sim.core.ledger.remove(p))).start('dev', { owner: 'cli' }));
    expect(isAppError(error, 'CONFLICT')).toBe(true);
    expect((error as Error).message).toBe(
      "dev was torn down by another colima-k8s process (colima-k8s down or the tray's Quit) while it was starting, but its VM came up afterwards. " +
        'It is recorded again as started by colima-k8s: quitting the app (or colima-k8s down) deletes it, or start it again to use it.',
    );
    expect(await listed()).toEqual(['dev:Running']);
    expect(sim.core.ledger.get('dev')).toMatchObject({ profile: 'dev', instanceId: 'colima-dev', owner: 'cli', state: 'started', pid: process.pid, ownerIdentity: await processIdentity(process.pid) });
    // So a teardown finds it.
    expect(await sim.core.controller.teardownAll()).toEqual({ ok: true, remaining: [] });
    expect(await listed()).toEqual([]);
  });

  it('fails with a clear message when no VM is left', async () => {
    const gone = startThen(async (p) => {
      sim.core.ledger.remove(p);
      expect((await sim.env.runColimaByHand(['delete', '--force', '--profile', p])).exitCode).toBe(0);
    });
    const error = await caught(otherController(gone).start('dev'));
    expect(isAppError(error, 'CONFLICT')).toBe(true);
    expect((error as Error).message).toBe(
      "The start of dev was undone by a teardown in another colima-k8s process (colima-k8s down or the tray's Quit) while it ran; no VM is left. Start it again if you still want it.",
    );
    expect(sim.core.ledger.list()).toEqual([]);
  });

  it('leaves a claimed entry to the teardown that claimed it', async () => {
    const error = await caught(otherController(startThen((p) => void sim.core.ledger.claimForTeardown([p], 4242))).start('dev'));
    expect((error as Error).message).toBe("The start of dev was ended by a teardown (colima-k8s down or the tray's Quit, process 4242), which stops and deletes its VM.");
    expect(sim.core.ledger.get('dev')).toMatchObject({ state: 'starting', teardownBy: 4242 });
  });
});
