import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envOverridesCheck } from '../../../main/core/doctor/check-env-overrides.js';
import { foreignInstancesCheck } from '../../../main/core/doctor/check-foreign-instances.js';
import type { DoctorCheck, DoctorDeps } from '../../../main/core/doctor/types.js';
import type { ColimaInstance } from '../../../main/core/colima/client-api.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { fakeHost, type FakeHost } from './fake-host.js';

const signal = new AbortController().signal;
const run = (check: DoctorCheck, deps: DoctorDeps) => check.run(deps, signal);

const INSTANCES: ColimaInstance[] = [
  { name: 'k8s', status: 'Running', cpus: 4, memoryBytes: 8 * 2 ** 30 },
  { name: 'dev', status: 'Running', cpus: 2, memoryBytes: 2 * 2 ** 30 },
  { name: 'old', status: 'Stopped' },
  { name: 'default', status: 'Broken' },
];

describe('colima instances the app did not start', () => {
  let host: FakeHost;
  beforeEach(() => (host = fakeHost()));
  afterEach(() => host.cleanup());

  it('warns about each running instance missing from the ledger, never about the app\'s own or stopped ones', async () => {
    const r = await run(foreignInstancesCheck, host.deps({ listInstances: async () => INSTANCES, ledgerProfiles: async () => ['k8s', 'old'] }));
    expect(r).toEqual([
      {
        id: 'foreign-instances.dev',
        checkId: 'foreign-instances',
        category: 'instances',
        severity: 'warning',
        title: 'colima profile "dev" is running, but the app did not start it',
        explanation:
          'It was started outside the app (by hand, by another tool, or before the app existed) and uses 2 CPUs and 2 GiB memory. ' +
          'The app leaves it alone: quitting will not stop or delete it. Stop it yourself if you do not need it.',
        fix: 'colima stop --profile dev',
      },
    ]);
  });

  it('passes when every running instance is in the ledger', async () => {
    expect(await run(foreignInstancesCheck, host.deps({ listInstances: async () => INSTANCES.slice(0, 1), ledgerProfiles: () => ['k8s'] }))).toEqual([]);
  });

  it('is skipped, with the reason, when it cannot list instances or read the ledger', async () => {
    expect(await run(foreignInstancesCheck, host.deps({ ledgerProfiles: () => [] }))).toEqual({ skipped: 'the colima instance list is not available here' });
    expect(await run(foreignInstancesCheck, host.deps({ listInstances: async () => [] }))).toEqual({
      skipped: 'the ledger of app-started instances is not available here',
    });
  });
});

describe('DOCKER_HOST, KUBECONFIG and COLIMA_PROFILE overrides', () => {
  let host: FakeHost;
  beforeEach(() => (host = fakeHost()));
  afterEach(() => host.cleanup());

  it('passes without overrides', async () => {
    expect(await run(envOverridesCheck, host.deps())).toEqual([]);
  });

  it('reports each override with its effect and the command that removes it', async () => {
    const env = {
      HOME: host.home,
      COLIMA_PROFILE: 'dev',
      DOCKER_HOST: 'tcp://10.0.0.5:2375',
      KUBECONFIG: '/work/a.yaml:/work/b.yaml',
      LIMA_HOME: '/srv/lima',
    };
    const r = await run(envOverridesCheck, host.deps({ env, activeProfile: () => DEFAULT_PROFILE }));
    if (!Array.isArray(r)) throw new Error('skipped');
    const byId = Object.fromEntries(r.map((f) => [f.id, f]));
    expect(Object.keys(byId)).toEqual(['env-overrides.COLIMA_PROFILE', 'env-overrides.DOCKER_HOST', 'env-overrides.KUBECONFIG', 'env-overrides.LIMA_HOME']);
    expect(byId['env-overrides.COLIMA_PROFILE']).toMatchObject({ severity: 'info', fix: 'unset COLIMA_PROFILE' });
    expect(byId['env-overrides.COLIMA_PROFILE']!.explanation).toContain('silently filters `colima list`');
    // The default profile uses containerd: docker's DOCKER_HOST hardly matters there.
    expect(byId['env-overrides.DOCKER_HOST']).toMatchObject({ severity: 'info', fix: 'unset DOCKER_HOST' });
    expect(byId['env-overrides.DOCKER_HOST']!.explanation).toContain('"tcp://10.0.0.5:2375"');
    expect(byId['env-overrides.KUBECONFIG']).toMatchObject({ severity: 'warning', title: 'KUBECONFIG lists 2 files', fix: 'unset KUBECONFIG' });
    expect(byId['env-overrides.KUBECONFIG']!.explanation).toContain('into the first KUBECONFIG file, /work/a.yaml');
    expect(byId['env-overrides.LIMA_HOME']).toMatchObject({ severity: 'info' });
  });

  it('is a warning for DOCKER_HOST when the profile uses docker, and clears launchd\'s copy on macOS', async () => {
    const r = await run(
      envOverridesCheck,
      host.deps({ env: { DOCKER_HOST: 'unix:///x.sock', KUBECONFIG: '/k/config' }, platform: 'darwin', activeProfile: () => ({ ...DEFAULT_PROFILE, runtime: 'docker' }) }),
    );
    if (!Array.isArray(r)) throw new Error('skipped');
    expect(r.map((f) => [f.id, f.severity, f.fix])).toEqual([
      ['env-overrides.DOCKER_HOST', 'warning', 'unset DOCKER_HOST; launchctl unsetenv DOCKER_HOST'],
      ['env-overrides.KUBECONFIG', 'info', 'unset KUBECONFIG; launchctl unsetenv KUBECONFIG'],
    ]);
  });
});
