// colima keeps a profile's settings in colima.yaml and uses them for every flag
// the next `colima start` leaves out (colima-cli §2.2). A profile switched from
// Kubernetes on to off must therefore say --kubernetes=false, or k3s comes back.
import { describe, expect, it, vi } from 'vitest';
import { FAST_TIMEOUTS, useSimCore } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const sim = useSimCore({ timeouts: FAST_TIMEOUTS });

describe('turning Kubernetes off for a profile that had it', () => {
  it('starts the VM without k3s, although colima saved kubernetes: enabled', async () => {
    const base = sim.core.store.get(sim.core.store.activeProfile());
    sim.core.controller.saveProfile({ ...base, name: 'dev', cpus: 2, memoryGiB: 2, kubernetes: true });
    await sim.core.controller.start('dev');
    expect((await sim.core.colima.list()).find((i) => i.name === 'dev')?.runtime).toBe('containerd+k3s');
    await sim.core.controller.stop('dev');

    sim.core.controller.saveProfile({ ...sim.core.store.get('dev'), kubernetes: false }, 'dev');
    await sim.core.controller.start('dev');
    const starts = sim.env.colimaCalls().filter((a) => a[0] === 'start');
    expect(starts.at(-1)).toContain('--kubernetes=false');
    expect((await sim.core.colima.list()).find((i) => i.name === 'dev')?.runtime).toBe('containerd');
  });
});
