// clusterGlance against the colima simulator with the kubectl simulator AND a real
// kubectl (it reads the kubeconfig entry and asks the API server stand-in): every
// field, for a running, a stopped, a missing and an errored (API server gone) instance.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import { createKubectlClient } from '../../../main/core/colima/kubectl.js';
import type { ColimaClient } from '../../../main/core/colima/client-api.js';
import { clusterGlance, type ClusterGlance } from '../../../main/core/cluster/glance.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { countingRunner, type CountingRunner } from '../../fixtures/counting-runner.js';
import { BOTH_KUBECTLS, createSimHome, waitFor, type SimHome } from '../../fixtures/sim-control.js';
import { isProcessAlive } from '../../../main/core/files.js';


const GiB = 2 ** 30;
const dev: Profile = { ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 };
describe.each(BOTH_KUBECTLS)('clusterGlance with %s', (_name, options) => {
  let sim: SimHome;
  let colima: ColimaClient;
  let runner: CountingRunner;
  const glance = (extra: Partial<Parameters<typeof clusterGlance>[0]> = {}): Promise<ClusterGlance> =>
    clusterGlance({ profile: 'dev', colima: createColimaClient(runner, { platform: 'linux' }), kubectl: createKubectlClient(runner, { timeoutMs: 20_000 }), ...extra });
  beforeEach(() => {
    sim = createSimHome({}, options);
    colima = createColimaClient(sim.runner, { platform: 'linux' });
    runner = countingRunner(sim.runner);
  });
  afterEach(() => sim?.cleanup());

  it('shows every field of a running instance in 3 processes', async () => {
    await colima.start(dev);
    const k3s = sim.instance('dev')!.k3s as { port: number; version: string };
    const g = await glance({ runningSince: 1_000, now: () => 61_000 });
    expect(g.status).toBe('running');
    expect(g.colimaStatus).toBe('Running');
    expect(g.error).toBeUndefined();
    expect(g.context).toEqual({ known: true, value: 'colima-dev' });
    expect(g.apiServer).toEqual({ known: true, value: `http://127.0.0.1:${k3s.port}` });
    expect(g.serverVersion).toEqual({ known: true, value: k3s.version });
    expect(k3s.version).toMatch(/^v1\.\d+\.\d+\+k3s\d$/);
    expect(g.nodes).toEqual({ known: true, value: { total: 1, ready: 1 } });
    expect(g.ready).toEqual({ known: true, value: true });
    expect(g.cpus).toEqual({ known: true, value: 2 });
    expect(g.memoryBytes).toEqual({ known: true, value: 2 * GiB });
    expect(g.diskBytes).toEqual({ known: true, value: 20 * GiB });
    expect(g.runtime).toEqual({ known: true, value: 'containerd' });
    expect(g.kubernetesEnabled).toEqual({ known: true, value: true });
    expect(g.vmAddress.known).toBe(false);
    expect(g.vmAddress).toMatchObject({ reason: expect.stringContaining('no reachable address') });
    expect(g.uptimeMs).toEqual({ known: true, value: 60_000 });
    expect(g.spawns).toBe(3);
    expect(runner.calls.map((c) => [c.program, ...c.args.slice(0, 4)])).toEqual([
      ['colima', 'list', '--json'],
      ['kubectl', 'config', 'view', '--minify', '-o'],
      ['kubectl', '--context', 'colima-dev', 'get', 'nodes'],
    ]);
  });

  it('says uptime is unknown without runningSince (colima prints none), and spends 2 processes given the list line', async () => {
    await colima.start(dev);
    const instance = (await colima.list()).find((i) => i.name === 'dev')!;
    const g = await glance({ instance });
    expect(g.uptimeMs).toEqual({ known: false, reason: 'colima does not report uptime' });
    expect(g.spawns).toBe(2);
    expect(runner.calls.every((c) => c.program === 'kubectl')).toBe(true);
  });

  it('reports a node that is not Ready yet', async () => {
    sim.setFaults({ nodeReadyDelayMs: 10 * 60_000 });
    await colima.start(dev);
    const g = await glance();
    expect(g.nodes).toEqual({ known: true, value: { total: 1, ready: 0 } });
    expect(g.ready).toEqual({ known: true, value: false });
  });

  it('gives a stopped instance explicit unknowns with reasons, in 1 process', async () => {
    await colima.start(dev);
    await colima.stop('dev');
    const g = await glance();
    expect(g.status).toBe('stopped');
    expect(g.cpus).toEqual({ known: true, value: 2 });
    expect(g.diskBytes).toEqual({ known: true, value: 20 * GiB });
    expect(g.runtime).toEqual({ known: true, value: 'containerd' });
    for (const f of ['context', 'apiServer', 'serverVersion', 'nodes', 'ready', 'vmAddress', 'uptimeMs'] as const) {
      expect(g[f]).toEqual({ known: false, reason: 'the instance is Stopped' });
    }
    expect(g.spawns).toBe(1);
  });

  it('says so for an instance colima does not have', async () => {
    const g = await glance();
    expect(g.status).toBe('missing');
    expect(g.cpus).toEqual({ known: false, reason: 'colima has no instance dev' });
    expect(g.context).toEqual({ known: false, reason: 'colima has no instance dev' });
    expect(g.spawns).toBe(1);
  });

  it('reports an errored instance (Running, API server unreachable) with kubectl\'s reason', async () => {
    await colima.start(dev);
    // The API server dies (k3s crashed): the stand-in exits, the simulator refuses.
    const stateFile = path.join(sim.base, '_lima', 'colima-dev', 'sim-state.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { k3s: { running: boolean; serverPid?: number } };
    const pid = state.k3s.serverPid;
    state.k3s.running = false;
    writeFileSync(stateFile, JSON.stringify(state));
    if (pid) {
      process.kill(pid, 'SIGTERM');
      await waitFor(() => !isProcessAlive(pid));
    }
    const g = await glance();
    expect(g.status).toBe('running');
    expect(g.error).toMatch(/connection to the server 127\.0\.0\.1:\d+ was refused/);
    expect(g.context).toEqual({ known: true, value: 'colima-dev' });
    expect(g.apiServer.known).toBe(true);
    for (const f of ['serverVersion', 'nodes', 'ready'] as const) {
      expect(g[f]).toMatchObject({ known: false, reason: expect.stringContaining('kubectl cannot reach the cluster') });
    }
    expect(g.cpus).toEqual({ known: true, value: 2 });
    expect(g.spawns).toBe(3);
  });

  it('says the kubeconfig has no context when its entries were removed (2 processes)', async () => {
    await colima.start(dev);
    await createKubectlClient(sim.runner).removeContextEntries('colima-dev');
    const g = await glance();
    expect(g.context).toEqual({ known: false, reason: 'the kubeconfig has no context colima-dev' });
    expect(g.apiServer).toEqual({ known: false, reason: 'the kubeconfig has no context colima-dev' });
    expect(g.spawns).toBe(2);
  });

  it('asks no kubectl for an instance without Kubernetes', async () => {
    await colima.start({ ...dev, kubernetes: false });
    const g = await glance();
    expect(g.kubernetesEnabled).toEqual({ known: true, value: false });
    expect(g.context).toEqual({ known: false, reason: 'Kubernetes is not enabled on this instance' });
    expect(g.spawns).toBe(1);
  });
});

describe('clusterGlance with a VM address (macOS --network-address, kubectl simulator)', () => {
  let sim: SimHome;
  beforeEach(() => {
    sim = createSimHome({ COLIMA_SIM_PLATFORM: 'darwin' });
  });
  afterEach(() => sim?.cleanup());

  it('shows the VM address and the API server on it', async () => {
    await createColimaClient(sim.runner, { platform: 'darwin' }).start(dev);
    const address = sim.instance('dev')!.address as string;
    expect(address).toMatch(/^192\.168\.106\.\d+$/);
    const g = await clusterGlance({ profile: 'dev', colima: createColimaClient(sim.runner), kubectl: createKubectlClient(sim.runner) });
    expect(g.vmAddress).toEqual({ known: true, value: address });
    expect(g.apiServer).toMatchObject({ known: true, value: expect.stringContaining(`${address}:`) });
    expect(g.ready).toEqual({ known: true, value: true });
  });
});
