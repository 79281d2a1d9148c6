// The readiness wait (waitForNodesReady → kubectl --context <ID> get nodes -o json)
// with a REAL kubectl (test/fixtures/real-kubectl.ts) against the colima
// simulator's loopback API server stand-in (test/fixtures/sim/k8s-api-stub.mjs).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import type { ColimaClient, KubectlClient } from '../../../main/core/colima/client-api.js';
import { createKubectlClient } from '../../../main/core/colima/kubectl.js';
import { AppError } from '../../../main/core/errors.js';
import { waitForNodesReady } from '../../../main/core/lifecycle/readiness.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { caught } from '../../fixtures/caught.js';
import { countingRunner, type CountingRunner } from '../../fixtures/counting-runner.js';
import { createSimHome, waitFor, type SimHome } from '../../fixtures/sim-control.js';
import { isProcessAlive } from '../../../main/core/files.js';

const dev: Profile = { ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 };

let sim: SimHome;
let colima: ColimaClient;
let runner: CountingRunner;
let kubectl: KubectlClient;
beforeEach(() => {
  sim = createSimHome({}, { kubectl: 'real' });
  colima = createColimaClient(sim.runner, { platform: 'linux' });
  runner = countingRunner(sim.runner);
  kubectl = createKubectlClient(runner);
});
afterEach(() => sim?.cleanup());
const polls = (): number => runner.calls.filter((c) => c.args.includes('nodes')).length;
const serverPid = (): number => (sim.instance('dev')!.k3s as { serverPid: number }).serverPid;

describe('readiness with a real kubectl and the API server stand-in', () => {
  it('passes at once when the node is Ready; kubectl version reaches the same server', async () => {
    await colima.start(dev);
    const server = sim.kubeconfig().clusters.find((c) => c.name === 'colima-dev')!.cluster!.server!;
    expect(server).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await waitForNodesReady(kubectl, 'colima-dev', { timeoutMs: 20_000, intervalMs: 100 });
    expect(polls()).toBe(1);
    const v = await sim.runner.run('kubectl', ['--context', 'colima-dev', 'version', '-o', 'json'], { timeoutMs: 20_000 });
    expect(v.exitCode).toBe(0);
    expect(JSON.parse(v.stdout).serverVersion.gitVersion).toMatch(/k3s/);
  });

  it('waits while the node is NotReady (nodeReadyDelayMs), then passes once it is Ready', async () => {
    // The stand-in reads the faults on every request: NotReady until the test lifts the delay.
    sim.setFaults({ nodeReadyDelayMs: 600_000 });
    await colima.start(dev);
    let done = false;
    const wait = waitForNodesReady(kubectl, 'colima-dev', { timeoutMs: 60_000, intervalMs: 100 }).finally(() => (done = true));
    await waitFor(() => polls() >= 3, 30_000);
    expect(done).toBe(false);
    sim.setFaults({ nodeReadyDelayMs: 0 });
    await wait;
    expect(await kubectl.nodesReady('colima-dev')).toBe(true);
  });

  it('gives up with kubectl\'s reason when the API server is gone', async () => {
    await colima.start(dev);
    const pid = serverPid();
    // The server dies while colima still says Running (k3s crashed).
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !isProcessAlive(pid));
    const e = await caught(waitForNodesReady(kubectl, 'colima-dev', { timeoutMs: 600, intervalMs: 200 }));
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('TIMEOUT');
    expect((e as AppError).message).toMatch(
      /^Kubernetes \(context colima-dev\) was not Ready within 1 s \(kubectl get nodes failed: The connection to the server 127\.0\.0\.1:\d+ was refused - did you specify the right host or port\?\)\. Check with: kubectl --context colima-dev get nodes$/,
    );
  });

  it('the stand-in ends with colima stop and delete, and starts again on resume', async () => {
    await colima.start(dev);
    const first = serverPid();
    await colima.stop('dev');
    await waitFor(() => !isProcessAlive(first));
    expect(await caught(kubectl.nodesReady('colima-dev'))).toBeInstanceOf(AppError);
    await colima.start(dev);
    const second = serverPid();
    expect(second).not.toBe(first);
    expect(await kubectl.nodesReady('colima-dev')).toBe(true);
    await colima.delete('dev', { deleteData: true });
    await waitFor(() => !isProcessAlive(second));
  });
});
