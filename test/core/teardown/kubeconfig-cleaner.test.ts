// KubeconfigCleaner (the teardown's kubeconfig work) against the kubectl
// simulator AND a real kubectl (test/fixtures/real-kubectl.ts): the user's
// context is put back after our instances are deleted, their stale entries go.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import type { ColimaClient } from '../../../main/core/colima/client-api.js';
import { createKubectlClient } from '../../../main/core/colima/kubectl.js';
import type { LedgerEntry } from '../../../main/core/ledger/ledger.js';
import { memoryLogger } from '../../../main/core/log.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { KubeconfigCleaner } from '../../../main/core/teardown/kubeconfig.js';
import { BOTH_KUBECTLS, createSimHome, USER_KUBECONFIG, type SimHome } from '../../fixtures/sim-control.js';

const profile = (name: string): Profile => ({ ...DEFAULT_PROFILE, name, cpus: 1, memoryGiB: 1, diskGiB: 10 });
const entry = (name: string, previousContext: string | undefined, startedAt: string): LedgerEntry => ({
  profile: name, instanceId: `colima-${name}`, keepData: false, switchedContext: previousContext !== undefined,
  ...(previousContext !== undefined ? { previousContext } : {}), startedAt, pid: 1,
});
describe.each(BOTH_KUBECTLS)('KubeconfigCleaner with %s', (_name, options) => {
  let sim: SimHome;
  let colima: ColimaClient;
  beforeEach(() => {
    sim = createSimHome({}, options);
    colima = createColimaClient(sim.runner, { platform: 'linux' });
  });
  afterEach(() => sim?.cleanup());
  const cleaner = () => new KubeconfigCleaner(createKubectlClient(sim.runner), memoryLogger());

  it('removes a stopped-then-deleted instance\'s entries and switches back to the user\'s context', async () => {
    sim.writeKubeconfig(USER_KUBECONFIG);
    await colima.start(profile('a'));
    expect(sim.kubeconfig()['current-context']).toBe('colima-a');
    const a = entry('a', 'work', '2026-08-21T10:00:00Z');
    const c = cleaner();
    c.start();
    await colima.stop('a');
    await c.removeEntries(a);
    await colima.delete('a', { deleteData: true });
    expect(await c.restorePreviousContext([a], [a])).toBe('work');
    expect(c.problemFor('a')).toBeUndefined();
    const cfg = sim.kubeconfig();
    expect([cfg['current-context'], cfg.contexts.map((x) => x.name), cfg.clusters.map((x) => x.name), cfg.users.map((x) => x.name)])
      .toEqual(['work', ['work'], ['work'], ['work']]);
  });

  it('restores through a chain after colima unset the context (deleting running instances)', async () => {
    sim.writeKubeconfig(USER_KUBECONFIG);
    await colima.start(profile('a'));
    await colima.start(profile('b'));
    const a = entry('a', 'work', '2026-08-21T10:00:00Z');
    const b = entry('b', 'colima-a', '2026-08-21T10:05:00Z');
    const c = cleaner();
    c.start();
    await colima.delete('b', { deleteData: true });
    await colima.delete('a', { deleteData: true });
    expect(sim.kubeconfig()['current-context']).toBe('');
    await Promise.all([c.removeEntries(a), c.removeEntries(b)]);
    expect(await c.restorePreviousContext([a, b], [a, b])).toBe('work');
    expect(sim.kubeconfig().contexts.map((x) => x.name)).toEqual(['work']);
  });

  it('leaves a context the user switched to alone', async () => {
    sim.writeKubeconfig({ ...USER_KUBECONFIG, contexts: [...USER_KUBECONFIG.contexts, { name: 'prod', context: { cluster: 'work', user: 'work' } }] });
    await colima.start(profile('a'));
    await createKubectlClient(sim.runner).useContext('prod');
    const a = entry('a', 'work', '2026-08-21T10:00:00Z');
    const c = cleaner();
    c.start();
    await colima.stop('a');
    await c.removeEntries(a);
    expect(await c.restorePreviousContext([a], [a])).toBeUndefined();
    expect(sim.kubeconfig()['current-context']).toBe('prod');
    expect(sim.kubeconfig().contexts.map((x) => x.name).sort()).toEqual(['prod', 'work']);
  });
});
