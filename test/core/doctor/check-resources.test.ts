import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHostCapacity, resourcesCheck } from '../../../main/core/doctor/check-resources.js';
import type { DoctorDeps, Finding, HostCapacity } from '../../../main/core/doctor/types.js';
import type { ColimaInstance } from '../../../main/core/colima/client-api.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { fakeHost, type FakeHost } from './fake-host.js';

const GiB = 2 ** 30;
const signal = new AbortController().signal;
const roomy: HostCapacity = { cpus: 8, totalMemoryBytes: 32 * GiB, freeMemoryBytes: 20 * GiB, freeDiskBytes: 500 * GiB };

describe('enough CPU, memory and disk for the active profile', () => {
  let host: FakeHost;
  beforeEach(() => (host = fakeHost()));
  afterEach(() => host.cleanup());

  const check = async (profile: Profile | undefined, capacity: HostCapacity, extra: Partial<DoctorDeps> = {}): Promise<Finding[]> => {
    const r = await resourcesCheck.run(host.deps({ activeProfile: () => profile, hostCapacity: async () => capacity, ...extra }), signal);
    if (!Array.isArray(r)) throw new Error(`skipped: ${JSON.stringify(r)}`);
    return [...r];
  };

  it('passes when the machine has room', async () => {
    expect(await check(DEFAULT_PROFILE, roomy)).toEqual([]);
  });

  it('is skipped without an active profile', async () => {
    expect(await resourcesCheck.run(host.deps({ activeProfile: () => undefined }), signal)).toEqual({ skipped: 'there is no active profile' });
  });

  it('is an error when the profile wants more CPUs or memory than the machine has', async () => {
    const r = await check({ ...DEFAULT_PROFILE, cpus: 12, memoryGiB: 48 }, roomy);
    expect(r.map((f) => [f.id, f.severity, f.title, f.fix])).toEqual([
      ['resources.cpu', 'error', 'Profile "k8s" asks for 12 CPUs; this machine has 8', 'colima-k8s profile set k8s --cpu 8'],
      ['resources.memory', 'error', 'Profile "k8s" asks for 48 GiB of memory; this machine has 32 GiB', 'colima-k8s profile set k8s --memory 16'],
    ]);
  });

  it('counts what other running VMs hold, and not the profile\'s own running instance', async () => {
    const others: ColimaInstance[] = [
      { name: 'big', status: 'Running', cpus: 6, memoryBytes: 28 * GiB },
      { name: 'gone', status: 'Stopped', cpus: 8, memoryBytes: 32 * GiB },
    ];
    // macOS: free memory is estimated from the other VMs, not os.freemem().
    const r = await check(DEFAULT_PROFILE, roomy, { platform: 'darwin', listInstances: async () => others });
    expect(r.map((f) => [f.id, f.severity, f.fix])).toEqual([
      ['resources.cpu', 'warning', 'colima-k8s profile set k8s --cpu 2'],
      ['resources.memory', 'warning', 'colima-k8s profile set k8s --memory 4'],
    ]);
    expect(r[1]!.title).toBe('Only about 4 GiB of memory is free; profile "k8s" asks for 8 GiB');

    const ownRunning = await check(DEFAULT_PROFILE, { ...roomy, freeMemoryBytes: 1 * GiB }, { listInstances: async () => [{ name: 'k8s', status: 'Running', cpus: 4 }] });
    expect(ownRunning).toEqual([]);
  });

  it('uses the free memory Linux reports', async () => {
    const r = await check(DEFAULT_PROFILE, { ...roomy, freeMemoryBytes: 5.3 * GiB });
    expect(r.map((f) => [f.id, f.severity, f.fix])).toEqual([['resources.memory', 'warning', 'colima-k8s profile set k8s --memory 5']]);
  });

  it('warns when the data disk may outgrow the free space, and is an error below the minimum', async () => {
    const tight = await check(DEFAULT_PROFILE, { ...roomy, freeDiskBytes: 40.5 * GiB });
    expect(tight.map((f) => [f.id, f.severity, f.title, f.fix])).toEqual([
      ['resources.disk', 'warning', 'Profile "k8s" allows a 100 GiB data disk; 40.5 GiB is free', 'colima-k8s profile set k8s --disk 40'],
    ]);
    const full = await check(DEFAULT_PROFILE, { ...roomy, freeDiskBytes: 2 * GiB });
    expect(full.map((f) => [f.id, f.severity, f.fix])).toEqual([['resources.disk', 'error', 'colima-k8s gc']]);
  });

  it('reads the real machine: CPUs, memory and the free space of a folder that does not exist yet', async () => {
    const c = await readHostCapacity(`${host.home}/.colima/not/yet`);
    expect(c.cpus).toBeGreaterThan(0);
    expect(c.totalMemoryBytes).toBeGreaterThan(c.freeMemoryBytes);
    expect(c.freeDiskBytes).toBeGreaterThan(0);
  });
});
