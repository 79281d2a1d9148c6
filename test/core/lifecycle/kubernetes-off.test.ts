// colima keeps a profile's settings in colima.yaml and uses them for every flag
// the next `colima start` leaves out (colima-cli §2.2). A profile switched from
// Kubernetes on to off must therefore say --kubernetes=false, or k3s comes back.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoreServices } from '../../../main/core/services.js';
import { createIntegrationEnv, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { FAST_TIMEOUTS, simCoreServices } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

let env: IntegrationEnv;
let core: CoreServices;

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  core = simCoreServices(env, { timeouts: FAST_TIMEOUTS });
});
afterEach(() => {
  core.controller.dispose();
  env.cleanup();
});

describe('turning Kubernetes off for a profile that had it', () => {
  it('starts the VM without k3s, although colima saved kubernetes: enabled', async () => {
    const base = core.store.get(core.store.activeProfile());
    core.controller.saveProfile({ ...base, name: 'dev', cpus: 2, memoryGiB: 2, kubernetes: true });
    await core.controller.start('dev');
    expect((await core.colima.list()).find((i) => i.name === 'dev')?.runtime).toBe('containerd+k3s');
    await core.controller.stop('dev');

    core.controller.saveProfile({ ...core.store.get('dev'), kubernetes: false }, 'dev');
    await core.controller.start('dev');
    const starts = env.colimaCalls().filter((a) => a[0] === 'start');
    expect(starts.at(-1)).toContain('--kubernetes=false');
    expect((await core.colima.list()).find((i) => i.name === 'dev')?.runtime).toBe('containerd');
  });
});
