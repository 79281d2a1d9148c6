// KubectlClient against the kubectl simulator, which shares its kubeconfig and
// the colima simulator's state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import { allNodesReady, createKubectlClient } from '../../../main/core/colima/kubectl.js';
import type { ColimaClient, KubectlClient } from '../../../main/core/colima/client-api.js';
import { AppError } from '../../../main/core/errors.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { createSimHome, type SimHome } from '../../fixtures/sim-control.js';

const dev: Profile = { ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 };

let sim: SimHome;
let colima: ColimaClient;
let kubectl: KubectlClient;
beforeEach(() => {
  sim = createSimHome();
  colima = createColimaClient(sim.runner, { platform: 'linux' });
  kubectl = createKubectlClient(sim.runner);
});
afterEach(() => sim.cleanup());

const otherCluster = {
  apiVersion: 'v1', kind: 'Config',
  clusters: [{ name: 'work', cluster: { server: 'https://10.0.0.1:6443' } }],
  contexts: [{ name: 'work', context: { cluster: 'work', user: 'work' } }],
  users: [{ name: 'work', user: { token: 't' } }],
  'current-context': 'work',
};

describe('current context and contexts', () => {
  it('is undefined without a kubeconfig (kubectl exits 1: current-context is not set)', async () => {
    expect(await kubectl.currentContext()).toBeUndefined();
    expect(await kubectl.contexts()).toEqual([]);
  });

  it('follows a colima start with Kubernetes (it activates its context)', async () => {
    sim.writeKubeconfig(otherCluster);
    await colima.start(dev);
    expect(await kubectl.currentContext()).toBe('colima-dev');
    expect(await kubectl.contexts()).toEqual(['colima-dev', 'work']);
  });

  it('is not switched by a start with switchKubeContext off (--activate=false)', async () => {
    sim.writeKubeconfig(otherCluster);
    await colima.start({ ...dev, switchKubeContext: false });
    expect(sim.calls('colima').at(-1)!.argv).toContain('--activate=false');
    expect(await kubectl.currentContext()).toBe('work');
    expect(await kubectl.contexts()).toContain('colima-dev');
  });
});

describe('useContext', () => {
  it('switches to an existing context and names a missing one in its error', async () => {
    sim.writeKubeconfig(otherCluster);
    await colima.start(dev);
    await kubectl.useContext('work');
    expect(await kubectl.currentContext()).toBe('work');
    expect(sim.calls('kubectl').at(-2)!.argv).toEqual(['config', 'use-context', '--', 'work']);

    const e = await kubectl.useContext('nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('COMMAND_FAILED');
    expect((e as AppError).message).toBe('Switching kubectl to context "nope" failed: no context exists with the name: "nope"');
  });
});

describe('removeContextEntries', () => {
  it('cleans what colima leaves after deleting a stopped instance, and tolerates a second call', async () => {
    sim.writeKubeconfig(otherCluster);
    await colima.start(dev);
    await colima.stop('dev');
    await colima.delete('dev', { deleteData: true });
    // colima-cli §4, §14.8: the entries survive the delete of a stopped instance.
    expect(await kubectl.contexts()).toContain('colima-dev');

    await kubectl.removeContextEntries('colima-dev');
    const cfg = sim.kubeconfig();
    expect(cfg.contexts.map((c) => c.name)).toEqual(['work']);
    expect(cfg.clusters.map((c) => c.name)).toEqual(['work']);
    expect(cfg.users.map((c) => c.name)).toEqual(['work']);
    // It was current: cleared like colima's own teardown does, not left dangling.
    expect(await kubectl.currentContext()).toBeUndefined();

    await expect(kubectl.removeContextEntries('colima-dev')).resolves.toBeUndefined();
    expect(sim.calls('kubectl').slice(-4).map((c) => c.argv)).toEqual([
      ['config', 'current-context'],
      ['config', 'delete-context', '--', 'colima-dev'],
      ['config', 'delete-cluster', '--', 'colima-dev'],
      ['config', 'unset', '--', 'users.colima-dev'],
    ]);
  });

  it('leaves the current context alone when it is another one', async () => {
    sim.writeKubeconfig(otherCluster);
    await colima.start({ ...dev, switchKubeContext: false });
    await kubectl.removeContextEntries('colima-dev');
    expect(await kubectl.currentContext()).toBe('work');
    expect(await kubectl.contexts()).toEqual(['work']);
  });
});

describe('nodesReady', () => {
  it('is true while the instance runs with Kubernetes, false once stopped or unknown', async () => {
    await colima.start(dev);
    expect(await kubectl.nodesReady('colima-dev')).toBe(true);
    expect(sim.calls('kubectl').at(-1)!.argv).toEqual(['--context', 'colima-dev', 'get', 'nodes', '-o', 'json']);
    await colima.stop('dev');
    expect(await kubectl.nodesReady('colima-dev')).toBe(false);
    expect(await kubectl.nodesReady('no-such-context')).toBe(false);
  });

  it('waits for the node to report Ready', async () => {
    sim.setFaults({ nodeReadyDelayMs: 1500 });
    await colima.start(dev);
    expect(await kubectl.nodesReady('colima-dev')).toBe(false);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await kubectl.nodesReady('colima-dev')).toBe(true);
  });
});

describe('allNodesReady', () => {
  const node = (ready: string) => ({ status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready }] } });
  it('needs at least one node and every node Ready=True', () => {
    expect(allNodesReady(JSON.stringify({ items: [] }))).toBe(false);
    expect(allNodesReady(JSON.stringify({ items: [node('True')] }))).toBe(true);
    expect(allNodesReady(JSON.stringify({ items: [node('True'), node('False')] }))).toBe(false);
    expect(allNodesReady(JSON.stringify({ items: [{ status: {} }] }))).toBe(false);
    expect(() => allNodesReady('The connection to the server was refused')).toThrowError(AppError);
  });
});
