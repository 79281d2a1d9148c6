// ColimaClient driving the colima simulator through the real runCommand
// (test/fixtures/direct-runner.ts): exact argv, streamed progress, and errors.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import type { ColimaClient, ColimaLogLine } from '../../../main/core/colima/client-api.js';
import { AppError } from '../../../main/core/errors.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { runCommand } from '../../../main/core/run.js';
import type { ToolRunner } from '../../../main/core/tool-runner.js';
import { createSimHome, simBinDir, type SimHome } from '../../fixtures/sim-control.js';

const GiB = 2 ** 30;
const dev: Profile = { ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 1.5, diskGiB: 20 };
const plain: Profile = { ...dev, name: 'plain', kubernetes: false };

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected the call to fail');
}

let sim: SimHome;
let client: ColimaClient;
beforeEach(() => {
  sim = createSimHome();
  client = createColimaClient(sim.runner, { platform: 'linux' });
});
afterEach(() => sim.cleanup());

describe('start', () => {
  it('runs the exact argv and streams the stages of a fresh start in order', async () => {
    const lines: ColimaLogLine[] = [];
    await client.start(dev, { onLog: (l) => lines.push(l) });

    expect(sim.calls('colima').at(-1)!.argv).toEqual([
      'start', '--profile', 'dev', '--cpus', '2', '--memory', '1.5', '--disk', '20', '--runtime', 'containerd', '--kubernetes',
    ]);
    expect(lines[0]).toEqual({ level: 'info', msg: 'starting colima [profile=dev]' });
    expect(lines.flatMap((l) => (l.stage ? [l.stage] : []))).toEqual([
      'creating and starting (vm)',
      'downloading disk image (vm)',
      'provisioning (containerd)',
      'starting (containerd)',
      'provisioning (kubernetes)',
      'downloading and installing (kubernetes)',
      'loading oci images (kubernetes)',
      'starting (kubernetes)',
      'updating config (kubernetes)',
    ]);
    expect(lines.at(-2)).toEqual({ level: 'info', msg: 'Switched to context "colima-dev".', context: 'kubernetes' });
    expect(lines.at(-1)?.msg).toBe('done');

    expect(await client.status('dev')).toEqual({
      displayName: 'colima [profile=dev]', driver: 'QEMU', arch: expect.any(String), runtime: 'containerd',
      kubernetes: true, cpus: 2, memoryBytes: 1.5 * GiB, diskBytes: 20 * GiB,
    });
  });

  it('delivers progress while colima is still running (streamed, not at exit)', async () => {
    // colima holds after its first lines until the test has seen one: if lines
    // arrived only at exit, the start would end (after the hold's limit) first.
    sim.setFaults({ startHeldUntil: 'first-line-seen' });
    let endedBeforeFirstLine: boolean | undefined;
    await client.start(plain, {
      onLog: () => {
        if (endedBeforeFirstLine !== undefined) return;
        endedBeforeFirstLine = sim.events().some((e) => e.event === 'end' && e.argv[0] === 'start');
        sim.release('first-line-seen');
      },
    });
    expect(endedBeforeFirstLine).toBe(false);
    expect(sim.events().filter((e) => e.argv[0] === 'start').map((e) => e.event)).toEqual(['begin', 'end']);
  });

  it('resolves on an already running instance (colima warns and exits 0)', async () => {
    await client.start(plain);
    const lines: ColimaLogLine[] = [];
    await client.start({ ...plain, cpus: 3 }, { onLog: (l) => lines.push(l) });
    expect(lines).toEqual([{ level: 'warning', msg: 'already running, ignoring' }]);
  });

  it('turns a failing VM stage into COMMAND_FAILED with the fatal message and the log tail', async () => {
    sim.setFaults({ startFailsAt: 'creating and starting' });
    const e = await rejection(client.start(dev));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toBe("error starting vm: error at 'creating and starting': exit status 1");
    expect(e.details.logTail).toEqual([
      'starting colima [profile=dev]',
      'runtime: containerd+k3s',
      'creating and starting ... [vm]',
      "fatal: error starting vm: error at 'creating and starting': exit status 1",
    ]);
    expect((await client.list()).map((i) => [i.name, i.status])).toEqual([['dev', 'Stopped']]);
  });

  it('leaves the VM running when the failure comes after it is up (colima-cli §2.5)', async () => {
    sim.setFaults({ startFailsAt: 'kubernetes:downloading and installing' });
    const e = await rejection(client.start(dev));
    expect(e.message).toBe("error provisioning kubernetes: error at 'downloading and installing': exit status 1");
    expect((await client.list()).map((i) => [i.name, i.status])).toEqual([['dev', 'Running']]);
    // colima never recorded the runtime, so status fails the way the real one does (§5).
    const s = await rejection(client.status('dev'));
    expect(s.message).toBe('error retrieving current runtime: empty value');
  });

  it('survives a progress listener that throws', async () => {
    await expect(client.start(plain, { onLog: () => { throw new Error('listener bug'); } })).resolves.toBeUndefined();
    expect((await client.status('plain'))?.runtime).toBe('containerd');
  });

  it('is cancelled by its AbortSignal (CANCELLED)', async () => {
    sim.setFaults({ startDelayMs: 30_000 });
    const abort = new AbortController();
    // Cancelled once colima has printed its first line (then it waits 30 s), whatever the machine's load.
    const e = await rejection(client.start(plain, { signal: abort.signal, onLog: () => abort.abort() }));
    expect(e.code).toBe('CANCELLED');
    expect(e.details.logTail).toContain('starting colima [profile=plain]');
  });
});

describe('stop', () => {
  it('times out on a hung stop (TIMEOUT), then a forced stop works', async () => {
    await client.start(plain);
    sim.setFaults({ stopHangs: true });
    const e = await rejection(client.stop('plain', { timeoutMs: 1500 }));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/did not finish within 2 s.*forced stop/);
    expect(e.details.logTail).toEqual(['stopping colima [profile=plain]']);

    const lines: ColimaLogLine[] = [];
    await client.stop('plain', { force: true, onLog: (l) => lines.push(l) });
    expect(lines.map((l) => l.stage ?? l.msg)).toEqual(['stopping colima [profile=plain]', 'stopping (containerd)', 'stopping (vm)', 'done']);
    expect(await client.status('plain')).toBeNull();
    expect(sim.calls('colima').slice(-3).map((c) => c.argv)).toEqual([
      ['stop', '--profile', 'plain'],
      ['stop', '--force', '--profile', 'plain'],
      ['status', '--json', '--profile', 'plain'],
    ]);
  });

  it('succeeds on a profile that does not exist (colima prints `not running`)', async () => {
    const lines: ColimaLogLine[] = [];
    await client.stop('ghost', { onLog: (l) => lines.push(l) });
    expect(lines.map((l) => l.msg)).toEqual(['stopping colima [profile=ghost]', 'not running', 'done']);
  });

  it('fails with colima\'s message when forcing a missing profile', async () => {
    const e = await rejection(client.stop('ghost', { force: true }));
    expect(e.message).toBe("error stopping vm: error at 'stopping': exit status 1");
  });
});

describe('delete', () => {
  it('always passes --force; a failing teardown is reported, the retry works', async () => {
    await client.start(plain);
    sim.setFaults({ deleteFailsTimes: 1 });
    const e = await rejection(client.delete('plain', { deleteData: true }));
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toBe('error during teardown of vm: exit status 1');
    expect((await client.list()).map((i) => i.name)).toEqual(['plain']);

    const lines: ColimaLogLine[] = [];
    await client.delete('plain', { deleteData: true, onLog: (l) => lines.push(l) });
    expect(lines.map((l) => l.msg)).toEqual(['deleting colima [profile=plain]', 'deleting ...', 'deleting container data', 'done']);
    expect(await client.list()).toEqual([]);
    expect(sim.calls('colima').filter((c) => c.argv[0] === 'delete').map((c) => c.argv)).toEqual([
      ['delete', '--force', '--data', '--profile', 'plain'],
      ['delete', '--force', '--data', '--profile', 'plain'],
    ]);
  });

  it('keeps the data disk without deleteData (argv has no --data)', async () => {
    await client.start(plain);
    await client.delete('plain', { deleteData: false });
    expect(sim.calls('colima').at(-1)!.argv).toEqual(['delete', '--force', '--profile', 'plain']);
    expect(await client.list()).toEqual([]);
  });
});

describe('status', () => {
  it('is null for a stopped and for a missing profile, an object while running', async () => {
    expect(await client.status('ghost')).toBeNull();
    await client.start(plain);
    expect((await client.status('plain'))?.kubernetes).toBe(false);
    await client.stop('plain');
    expect(await client.status('plain')).toBeNull();
  });
});

describe('list', () => {
  it('returns [] when there are no instances', async () => {
    expect(await client.list()).toEqual([]);
  });

  it('returns every instance even when the caller has COLIMA_PROFILE set (the runner strips it)', async () => {
    sim.cleanup();
    sim = createSimHome({ COLIMA_PROFILE: 'a' });
    client = createColimaClient(sim.runner, { platform: 'linux' });
    await client.start({ ...plain, name: 'a' });
    await client.start({ ...plain, name: 'b', cpus: 1, memoryGiB: 1 });
    await client.stop('b');
    expect(await client.list()).toEqual([
      { name: 'a', status: 'Running', arch: expect.any(String), cpus: 2, memoryBytes: 1.5 * GiB, diskBytes: 20 * GiB, runtime: 'containerd' },
      { name: 'b', status: 'Stopped', arch: expect.any(String), cpus: 1, memoryBytes: 1 * GiB, diskBytes: 20 * GiB, runtime: 'containerd' },
    ]);
    expect(sim.calls('colima').every((c) => c.colimaProfileEnv === null)).toBe(true);
  });

  it('reports `error retrieving instances` as COMMAND_FAILED (what COLIMA_PROFILE would cause)', async () => {
    // A runner that does NOT strip COLIMA_PROFILE: colima filters to a missing profile (§6).
    const leaky: ToolRunner = {
      run: (program, args, options) =>
        runCommand(path.join(simBinDir(), program), args, { ...options, env: { ...sim.runner.env, COLIMA_PROFILE: 'missing' } }),
    };
    const e = await rejection(createColimaClient(leaky).list());
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.message).toBe('error retrieving instances: exit status 1');
  });
});

describe('pullImage and version', () => {
  it('pulls into k8s.io with the exact argv; a failed pull carries nerdctl\'s reason', async () => {
    await client.start(dev);
    await client.pullImage('dev', 'nginx:1.27');
    expect(sim.calls('colima').at(-1)!.argv).toEqual(['nerdctl', '--profile', 'dev', '--', '--namespace', 'k8s.io', 'pull', 'nginx:1.27']);

    sim.setFaults({ pullFails: ['ghcr.io/acme/missing:1'] });
    const e = await rejection(client.pullImage('dev', 'ghcr.io/acme/missing:1'));
    expect(e.message).toBe(
      'Could not pull ghcr.io/acme/missing:1 into dev: failed to resolve reference "ghcr.io/acme/missing:1": ghcr.io/acme/missing:1: not found',
    );
  });

  it('fails to pull into a stopped profile with colima\'s message', async () => {
    const e = await rejection(client.pullImage('ghost', 'nginx'));
    expect(e.message).toBe('Could not pull nginx into ghost: colima [profile=ghost] is not running');
  });

  it('reads the version in both packagings', async () => {
    expect(await client.version()).toEqual({ version: '0.10.1', commit: '490420d' });
    const gh = createSimHome({ COLIMA_SIM_VERSION: 'v0.10.3', COLIMA_SIM_COMMIT: '490420d9b98d' });
    try {
      expect(await createColimaClient(gh.runner).version()).toEqual({ version: '0.10.3', commit: '490420d9b98d' });
    } finally {
      gh.cleanup();
    }
  });
});
