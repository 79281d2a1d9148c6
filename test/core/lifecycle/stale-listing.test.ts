// A `colima list` that began before an operation changed an instance's phase
// is stale for that instance: a refresh that returns after a start completed
// must not turn `running` back into what colima reported before the start.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ColimaClient } from '../../../main/core/colima/client-api.js';
import { InstanceTable } from '../../../main/core/lifecycle/instances.js';
import { LifecycleController } from '../../../main/core/lifecycle/controller.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { deferred } from '../../fixtures/fake-controller.js';
import { FAST_TIMEOUTS, useSimCore } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const sim = useSimCore({ timeouts: FAST_TIMEOUTS });
beforeEach(() => {
  sim.core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes: false });
});

describe('a stale colima list', () => {
  it('returning after a start completed leaves the instance running', async () => {
    // The first `colima list` (the refresh) is read at once but delivered only when the test says so.
    const release = deferred<void>();
    let first = true;
    const slowFirstList: ColimaClient = {
      ...sim.core.colima,
      list: async (options) => {
        const listing = await sim.core.colima.list(options);
        if (first) {
          first = false;
          await release.promise;
        }
        return listing;
      },
    };
    const controller = new LifecycleController({ store: sim.core.store, ledger: sim.core.ledger, colima: slowFirstList, kubectl: sim.core.kubectl, timeouts: FAST_TIMEOUTS });
    const refresh = controller.refresh();
    await vi.waitFor(() => expect(first).toBe(false));
    await controller.start('dev');
    expect(controller.snapshot().instances.dev?.phase).toBe('running');

    release.resolve();
    await refresh;
    // That listing (no VM yet) predates the start.
    expect(controller.snapshot().instances.dev?.phase).toBe('running');
    // A listing that began afterwards is applied as usual.
    expect((await sim.env.runColimaByHand(['stop', '--profile', 'dev'])).exitCode).toBe(0);
    await controller.refresh();
    expect(controller.snapshot().instances.dev?.phase).toBe('stopped');
  });

  it('is ignored only for the instances that changed since it began', () => {
    const table = new InstanceTable();
    table.apply('a', { type: 'observed', phase: 'stopped' });
    const asOf = table.observation();
    table.apply('b', { type: 'start' });
    table.apply('b', { type: 'started' });
    table.observe([{ name: 'a', status: 'Running' }], ['a', 'b'], asOf);
    expect(table.phase('a')).toBe('running');
    expect(table.phase('b')).toBe('running');
    table.observe([], ['a', 'b'], table.observation());
    expect([table.phase('a'), table.phase('b')]).toEqual(['gone', 'gone']);
  });
});
