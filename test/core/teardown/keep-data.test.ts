// Keep-data decides whether a teardown deletes the data disk (`delete --data`),
// which cannot be undone. The choice may change after the start: the data is
// deleted only when neither the ledger entry nor the profile as it is now says
// keep.
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { FAST_TIMEOUTS, useSimCore } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const sim = useSimCore({ timeouts: FAST_TIMEOUTS });

const profile = (name: string, keepData: boolean) => ({ ...DEFAULT_PROFILE, name, cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes: false, keepData });
const deletes = (): string[] => sim.env.colimaCalls().filter((a) => a[0] === 'delete').map((a) => a.join(' ')).sort();

describe('keep-data at teardown', () => {
  it('follows a change made after the start, in both directions, through the controller', async () => {
    sim.core.controller.saveProfile(profile('keep', false));
    sim.core.controller.saveProfile(profile('drop', true));
    await sim.core.controller.start('keep');
    await sim.core.controller.start('drop');
    // Changed while running (the window's or `colima-k8s profile set`'s save).
    sim.core.controller.saveProfile(profile('keep', true), 'keep');
    sim.core.controller.saveProfile(profile('drop', false), 'drop');
    expect(sim.core.ledger.get('keep')!.keepData).toBe(true);
    expect(sim.core.ledger.get('drop')!.keepData).toBe(false);

    expect(await sim.core.controller.teardownAll()).toEqual({ ok: true, remaining: [] });
    expect(deletes()).toEqual(['delete --force --data --profile drop', 'delete --force --profile keep']);
  });

  it('keeps the data when only the profile says keep (the entry predates the change), or only the entry does', async () => {
    sim.core.controller.saveProfile(profile('a', false));
    sim.core.controller.saveProfile(profile('b', true));
    await sim.core.controller.start('a');
    await sim.core.controller.start('b');
    // Saved behind the controller's back (another process's store): the entry still says "delete".
    sim.core.store.save(profile('a', true), 'a');
    expect(sim.core.ledger.get('a')!.keepData).toBe(false);
    // The profile says delete, the entry (from the start) says keep.
    sim.core.store.save(profile('b', false), 'b');
    expect(sim.core.ledger.get('b')!.keepData).toBe(true);

    expect(await sim.core.controller.teardownAll()).toEqual({ ok: true, remaining: [] });
    expect(deletes()).toEqual(['delete --force --profile a', 'delete --force --profile b']);
  });

  it('follows the entry alone when the profile is gone', async () => {
    sim.core.controller.saveProfile(profile('gone', false));
    await sim.core.controller.start('gone');
    sim.core.store.remove('gone');
    expect(await sim.core.controller.teardownAll()).toEqual({ ok: true, remaining: [] });
    expect(deletes()).toEqual(['delete --force --data --profile gone']);
  });
});
