// verifyCluster against the colima and kubectl simulators: a pod really "runs" in
// the simulated cluster (kubectl-pods.mjs). Time limits run on a manual clock that
// only the injected sleep advances; order comes from the simulator's call log.
// After every case no pod is left (sim state and `kubectl get pods`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import { createKubectlClient } from '../../../main/core/colima/kubectl.js';
import type { KubectlClusterClient } from '../../../main/core/colima/client-api.js';
import { verifyCluster, type VerifyOptions } from '../../../main/core/cluster/verify.js';
import { AppError } from '../../../main/core/errors.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { createSimHome, type SimHome } from '../../fixtures/sim-control.js';

const dev: Profile = { ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 };

function manualTime(onSleep: (n: number) => void = () => {}) {
  let t = 0;
  let sleeps = 0;
  return {
    now: () => t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      onSleep(++sleeps);
      if (signal?.aborted) throw new AppError('CANCELLED', 'The operation was cancelled.');
      t += ms;
    },
  };
}

describe('verifyCluster (simulator)', () => {
  let sim: SimHome;
  beforeEach(async () => {
    sim = createSimHome();
    await createColimaClient(sim.runner, { platform: 'linux' }).start(dev);
  });
  afterEach(() => sim?.cleanup());

  const verify = (extra: Partial<VerifyOptions> = {}) =>
    verifyCluster({ profile: 'dev', kubectl: createKubectlClient(sim.runner), isOwned: (p) => p === 'dev', randomSuffix: () => 'abc123', ...manualTime(), ...extra });
  const verbs = (): string[] => sim.calls('kubectl').map((c) => c.argv[4] ?? '');
  async function expectNoPodLeft(): Promise<void> {
    expect(sim.instance('dev')!.pods).toEqual({});
    const r = await sim.runner.run('kubectl', ['--context', 'colima-dev', 'get', 'pods', '-o', 'name']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
  }

  it('passes: runs the pod, reads its output, deletes it (4 processes)', async () => {
    const r = await verify();
    expect(r).toMatchObject({ ok: true, podName: 'ck8s-verify-abc123', context: 'colima-dev', image: 'busybox', cleanedUp: true, spawns: 4 });
    expect(r.reason).toBeUndefined();
    expect(sim.calls('kubectl').map((c) => c.argv)).toEqual([
      ['--context', 'colima-dev', '--namespace', 'default', 'run', 'ck8s-verify-abc123', '--image=busybox', '--restart=Never', '--command', '--', 'sh', '-c', 'echo colima-k8s-verify-ok'],
      ['--context', 'colima-dev', '--namespace', 'default', 'get', 'pod', 'ck8s-verify-abc123', '-o', 'json'],
      ['--context', 'colima-dev', '--namespace', 'default', 'logs', 'ck8s-verify-abc123'],
      ['--context', 'colima-dev', '--namespace', 'default', 'delete', 'pod', 'ck8s-verify-abc123', '--wait=false', '--ignore-not-found'],
    ]);
    await expectNoPodLeft();
  });

  it('fails with image-pull-failed for an image that cannot be pulled (pullFails)', async () => {
    sim.setFaults({ pullFails: ['example.invalid/nope:1'] });
    const r = await verify({ image: 'example.invalid/nope:1' });
    expect(r).toMatchObject({ ok: false, reason: 'image-pull-failed', cleanedUp: true });
    expect(r.message).toContain('ErrImagePull');
    expect(verbs()).toEqual(['run', 'get', 'delete']);
    await expectNoPodLeft();
  });

  it('fails with node-not-ready when the pod is never scheduled (podNeverRuns), at the limit of the manual clock', async () => {
    sim.setFaults({ podNeverRuns: true });
    const r = await verify({ limitMs: 5_000, pollMs: 1_000 });
    expect(r).toMatchObject({ ok: false, reason: 'node-not-ready', cleanedUp: true, spawns: 8 });
    expect(r.message).toMatch(/not scheduled within 5 s .*untolerated taint \{node\.kubernetes\.io\/not-ready/);
    expect(verbs()).toEqual(['run', 'get', 'get', 'get', 'get', 'get', 'get', 'delete']);
    await expectNoPodLeft();
  });

  it('fails with node-not-ready while the node reports NotReady (nodeReadyDelayMs)', async () => {
    sim.setFaults({ nodeReadyDelayMs: 10 * 60_000 });
    const r = await verify({ limitMs: 2_000, pollMs: 1_000 });
    expect(r).toMatchObject({ ok: false, reason: 'node-not-ready', cleanedUp: true });
    await expectNoPodLeft();
  });

  it('stops when cancelled and still deletes the pod', async () => {
    sim.setFaults({ podNeverRuns: true });
    const controller = new AbortController();
    const time = manualTime((n) => {
      if (n === 2) controller.abort();
    });
    const r = await verify({ ...time, signal: controller.signal, limitMs: 60_000 });
    expect(r).toMatchObject({ ok: false, reason: 'cancelled', cleanedUp: true });
    expect(verbs()).toEqual(['run', 'get', 'get', 'delete']);
    await expectNoPodLeft();
  });

  it('refuses an instance the app did not start, running nothing', async () => {
    const r = await verify({ isOwned: () => false });
    expect(r).toMatchObject({ ok: false, reason: 'not-owned', spawns: 0 });
    expect(sim.calls('kubectl')).toEqual([]);
  });

  it('reports kubectl-failed when the cluster cannot be reached, and still tries the delete', async () => {
    await createColimaClient(sim.runner, { platform: 'linux' }).stop('dev');
    const r = await verify();
    expect(r).toMatchObject({ ok: false, reason: 'kubectl-failed', cleanedUp: false });
    expect(r.message).toMatch(/was refused/);
    expect(verbs()).toEqual(['run', 'delete']);
  });
});

describe('verifyCluster (fake kubectl)', () => {
  it('times out on a pod that stays Pending without being unschedulable', async () => {
    const deleted: string[] = [];
    const kubectl: Pick<KubectlClusterClient, 'runPod' | 'podState' | 'podLogs' | 'deletePod'> = {
      runPod: async () => {},
      podState: async () => ({ phase: 'Pending', waitingReason: 'ContainerCreating' }),
      podLogs: async () => '',
      deletePod: async (_c, name) => void deleted.push(name),
    };
    const r = await verifyCluster({ profile: 'dev', kubectl, isOwned: () => true, limitMs: 3_000, pollMs: 1_000, randomSuffix: () => 'x', ...manualTime() });
    expect(r).toMatchObject({ ok: false, reason: 'timeout', spawns: 6 });
    expect(r.message).toContain('ContainerCreating');
    expect(deleted).toEqual(['ck8s-verify-x']);
  });
});
