import { describe, expect, it } from 'vitest';
import { doctorDepsForApp } from '../../../main/core/doctor/app-deps.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import type { NixEnvironment } from '../../../main/core/nix/index.js';

describe("the doctor's sources in the app", () => {
  it('reads the ledger, the saved profiles, the active profile, colima list and the environment PATH from the services', async () => {
    const dev = { ...DEFAULT_PROFILE, name: 'dev' };
    const deps = doctorDepsForApp(
      {
        nixRunner: { environment: async () => ({ env: () => ({ PATH: '/nix/store/x-colima/bin:/usr/bin' }) }) as unknown as NixEnvironment },
        colima: { list: async () => [{ name: 'dev', status: 'Running' }] },
        ledger: { list: () => [{ profile: 'k8s' }] },
        store: { list: () => [DEFAULT_PROFILE, dev], get: (n) => (n === 'dev' ? dev : undefined), activeProfile: () => 'dev' },
      },
      { env: { PATH: '/usr/bin:/bin' }, platform: 'linux', homeDir: '/home/me', locate: { loginShell: false } },
    );
    expect(await deps.environmentPath?.()).toBe('/nix/store/x-colima/bin:/usr/bin');
    expect(await deps.listInstances?.()).toEqual([{ name: 'dev', status: 'Running' }]);
    expect(await deps.ledgerProfiles?.()).toEqual(['k8s']);
    expect(deps.appProfileNames?.()).toEqual(['k8s', 'dev']);
    expect(deps.activeProfile?.()).toBe(dev);
    // The real locator, on this machine's PATH.
    expect(await deps.locateNixShell(new AbortController().signal)).toMatch(/\/nix-shell$/);
  });

  it('has no environment PATH without a nix runner', () => {
    const deps = doctorDepsForApp(
      { nixRunner: undefined, colima: { list: async () => [] }, ledger: { list: () => [] }, store: { list: () => [], get: () => undefined, activeProfile: () => 'k8s' } },
      { env: {}, platform: 'darwin', homeDir: '/Users/me' },
    );
    expect(deps.environmentPath).toBeUndefined();
    expect(deps.activeProfile?.()).toBeUndefined();
  });
});
