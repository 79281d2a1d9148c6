// KubectlClient against the kubectl simulator AND a real kubectl (Debian's
// kubernetes-client 1.20, test/fixtures/real-kubectl.ts), each with the colima
// simulator and a throwaway kubeconfig. Where the two differ, the simulator is wrong.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import { allNodesReady, createKubectlClient } from '../../../main/core/colima/kubectl.js';
import type { ColimaClient, KubectlClient } from '../../../main/core/colima/client-api.js';
import { AppError } from '../../../main/core/errors.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { caught } from '../../fixtures/caught.js';
import { countingRunner, type CountingRunner } from '../../fixtures/counting-runner.js';
import { BOTH_KUBECTLS, createSimHome, USER_KUBECONFIG, type SimHome } from '../../fixtures/sim-control.js';

const dev: Profile = { ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 };

describe.each(BOTH_KUBECTLS)('with %s', (_name, options) => {
  let sim: SimHome;
  let colima: ColimaClient;
  let runner: CountingRunner;
  let kubectl: KubectlClient;
  beforeEach(() => {
    sim = createSimHome({}, options);
    colima = createColimaClient(sim.runner, { platform: 'linux' });
    runner = countingRunner(sim.runner);
    kubectl = createKubectlClient(runner);
  });
  afterEach(() => sim?.cleanup());
  const kubectlArgs = (): string[][] => runner.calls.filter((c) => c.program === 'kubectl').map((c) => [...c.args]);

  describe('current context and contexts', () => {
    it('is undefined without a kubeconfig (kubectl exits 1: current-context is not set)', async () => {
      expect(await kubectl.currentContext()).toBeUndefined();
      expect(await kubectl.contexts()).toEqual([]);
    });

    it('follows a colima start with Kubernetes (it activates its context)', async () => {
      sim.writeKubeconfig(USER_KUBECONFIG);
      await colima.start(dev);
      expect(await kubectl.currentContext()).toBe('colima-dev');
      expect(await kubectl.contexts()).toEqual(['colima-dev', 'work']);
    });

    it('is not switched by a start with switchKubeContext off (--activate=false)', async () => {
      sim.writeKubeconfig(USER_KUBECONFIG);
      await colima.start({ ...dev, switchKubeContext: false });
      expect(sim.calls('colima').at(-1)!.argv).toContain('--activate=false');
      expect(await kubectl.currentContext()).toBe('work');
      expect(await kubectl.contexts()).toContain('colima-dev');
    });

    it('is undefined after `config unset current-context`, and contexts still list', async () => {
      sim.writeKubeconfig(USER_KUBECONFIG);
      await colima.start(dev);
      await kubectl.removeContextEntries('colima-dev');
      expect(sim.kubeconfig()['current-context']).toBe('');
      expect(await kubectl.currentContext()).toBeUndefined();
      expect(await kubectl.contexts()).toEqual(['work']);
    });
  });

  describe('useContext', () => {
    it('switches to an existing context and names a missing one in its error', async () => {
      sim.writeKubeconfig(USER_KUBECONFIG);
      await colima.start(dev);
      await kubectl.useContext('work');
      expect(await kubectl.currentContext()).toBe('work');
      expect(kubectlArgs().at(-2)).toEqual(['config', 'use-context', '--', 'work']);

      const e = await caught(kubectl.useContext('nope'));
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('COMMAND_FAILED');
      expect((e as AppError).message).toBe('Switching kubectl to context "nope" failed: no context exists with the name: "nope"');
      expect(await kubectl.currentContext()).toBe('work');
    });

    it('takes a context whose name starts with "-" after `--`', async () => {
      sim.writeKubeconfig({ ...USER_KUBECONFIG, contexts: [...USER_KUBECONFIG.contexts, { name: '-dash', context: { cluster: 'work', user: 'work' } }] });
      await kubectl.useContext('-dash');
      expect(await kubectl.currentContext()).toBe('-dash');
      await kubectl.removeContextEntries('-dash');
      expect(await kubectl.contexts()).toEqual(['work']);
      expect(await kubectl.currentContext()).toBeUndefined();
    });
  });

  describe('removeContextEntries', () => {
    it('cleans what colima leaves after deleting a stopped instance, and tolerates a second call', async () => {
      sim.writeKubeconfig(USER_KUBECONFIG);
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
      expect(kubectlArgs().slice(-4)).toEqual([
        ['config', 'current-context'],
        ['config', 'delete-context', '--', 'colima-dev'],
        ['config', 'delete-cluster', '--', 'colima-dev'],
        ['config', 'unset', '--', 'users.colima-dev'],
      ]);
    });

    it('leaves the current context alone when it is another one', async () => {
      sim.writeKubeconfig(USER_KUBECONFIG);
      await colima.start({ ...dev, switchKubeContext: false });
      await kubectl.removeContextEntries('colima-dev');
      expect(await kubectl.currentContext()).toBe('work');
      expect(await kubectl.contexts()).toEqual(['work']);
      expect(sim.kubeconfig().users.map((u) => u.name)).toEqual(['work']);
    });

    it('does nothing to a kubeconfig without the entries (and without any kubeconfig)', async () => {
      await expect(kubectl.removeContextEntries('colima-dev')).resolves.toBeUndefined();
      sim.writeKubeconfig(USER_KUBECONFIG);
      await expect(kubectl.removeContextEntries('colima-dev')).resolves.toBeUndefined();
      const cfg = sim.kubeconfig();
      expect([cfg['current-context'], cfg.contexts.map((c) => c.name), cfg.users.map((u) => u.name)]).toEqual(['work', ['work'], ['work']]);
    });

    it('leaves kubeconfig readable by the colima simulator: a later start and delete still merge and revert', async () => {
      sim.writeKubeconfig(USER_KUBECONFIG);
      await colima.start(dev);
      await kubectl.useContext('work'); // a real kubectl rewrites the file as YAML here
      await colima.delete('dev', { deleteData: true });
      expect(await kubectl.contexts()).toEqual(['work']);
      expect(await kubectl.currentContext()).toBe('work');
    });
  });

  describe('nodesReady', () => {
    it('is true while the instance runs with Kubernetes; kubectl\'s reason once stopped or unknown', async () => {
      await colima.start(dev);
      expect(await kubectl.nodesReady('colima-dev')).toBe(true);
      expect(kubectlArgs().at(-1)).toEqual(['--context', 'colima-dev', 'get', 'nodes', '-o', 'json']);
      await colima.stop('dev');
      const port = new URL(sim.kubeconfig().clusters.find((c) => c.name === 'colima-dev')!.cluster!.server!).port;
      const refused = await caught(kubectl.nodesReady('colima-dev'));
      expect((refused as AppError).code).toBe('COMMAND_FAILED');
      expect((refused as AppError).message).toBe(
        `kubectl get nodes failed: The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
      );
      const unknown = await caught(kubectl.nodesReady('no-such-context'));
      expect((unknown as AppError).message).toBe('kubectl get nodes failed: Error in configuration: context was not found for specified context: no-such-context');
    });

    it('waits for the node to report Ready', async () => {
      // NotReady until the test lifts the fault (a delay no loaded machine outlasts), then Ready.
      sim.setFaults({ nodeReadyDelayMs: 600_000 });
      await colima.start(dev);
      expect(await kubectl.nodesReady('colima-dev')).toBe(false);
      sim.setFaults({ nodeReadyDelayMs: 0 });
      expect(await kubectl.nodesReady('colima-dev')).toBe(true);
    });
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
