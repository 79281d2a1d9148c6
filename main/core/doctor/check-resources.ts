// Not enough free CPU, memory or disk for the active profile. colima accepts
// any numbers and fails late (or the host swaps), so say it before a start.
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ColimaInstance } from '../colima/client-api.js';
import type { Profile } from '../model.js';
import { shellCommand } from '../maintenance/shell-quote.js';
import { MIN_DISK_GIB } from '../profiles/validate.js';
import { isDirectory, resolveColimaBaseDir } from './colima-base-dir.js';
import { finding, skip, type DoctorCheck, type DoctorDeps, type Finding, type HostCapacity } from './types.js';

const GiB = 2 ** 30;
/** Below this, a first start cannot even unpack the VM image and write its root disk. */
export const MIN_FREE_DISK_GIB = 5;

/** CPUs, memory and the free space of the disk that holds `dir` (or its nearest existing parent). */
export async function readHostCapacity(dir: string): Promise<HostCapacity> {
  let probe = path.resolve(dir);
  while (!isDirectory(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  const fsStats = await statfs(probe);
  return {
    cpus: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    freeDiskBytes: fsStats.bavail * fsStats.bsize,
  };
}

export const resourcesCheck: DoctorCheck = {
  id: 'resources',
  category: 'resources',
  title: 'Enough CPU, memory and disk for the active profile',
  async run(deps) {
    const profile = deps.activeProfile?.();
    if (!profile) return skip('there is no active profile');
    // colima keeps VM disks under its config folder (colima-cli §1: <BASE>/_lima).
    const colimaBase = resolveColimaBaseDir(deps.env, deps.homeDir, deps.platform).dir;
    const host = await (deps.hostCapacity ?? (() => readHostCapacity(colimaBase)))();
    const running = await runningInstances(deps);
    const own = running.find((i) => i.name === profile.name);
    const others = running.filter((i) => i !== own);
    return [...cpuFindings(profile, host, others), ...memoryFindings(profile, host, others, deps.platform, own !== undefined), ...diskFindings(profile, host, colimaBase)];
  },
};

async function runningInstances(deps: DoctorDeps): Promise<readonly ColimaInstance[]> {
  try {
    return ((await deps.listInstances?.()) ?? []).filter((i) => i.status === 'Running');
  } catch {
    return []; // the foreign-instances and nix checks report why colima cannot be asked
  }
}

const setCommand = (p: Profile, flag: string, value: number): string => shellCommand(['colima-k8s', 'profile', 'set', p.name, flag, String(value)]);
const gib = (bytes: number): string => `${+(bytes / GiB).toFixed(1)} GiB`;

function cpuFindings(p: Profile, host: HostCapacity, others: readonly ColimaInstance[]): Finding[] {
  if (p.cpus > host.cpus) {
    return [
      finding(resourcesCheck, {
        id: 'resources.cpu',
        severity: 'error',
        title: `Profile "${p.name}" asks for ${p.cpus} CPUs; this machine has ${host.cpus}`,
        explanation: 'The VM cannot have more virtual CPUs than the host has cores; the start would fail or crawl.',
        fix: setCommand(p, '--cpu', host.cpus),
      }),
    ];
  }
  const othersCpus = others.reduce((n, i) => n + (i.cpus ?? 0), 0);
  if (othersCpus > 0 && othersCpus + p.cpus > host.cpus) {
    return [
      finding(resourcesCheck, {
        id: 'resources.cpu',
        severity: 'warning',
        title: `Running instances already use ${othersCpus} of ${host.cpus} CPUs`,
        explanation: `Profile "${p.name}" adds ${p.cpus} more, so the VMs compete for the cores and everything slows down.`,
        fix: setCommand(p, '--cpu', Math.max(1, host.cpus - othersCpus)),
      }),
    ];
  }
  return [];
}

function memoryFindings(p: Profile, host: HostCapacity, others: readonly ColimaInstance[], platform: NodeJS.Platform, ownRunning: boolean): Finding[] {
  const need = p.memoryGiB * GiB;
  const halfRam = Math.max(1, Math.floor(host.totalMemoryBytes / GiB / 2));
  if (need > host.totalMemoryBytes) {
    return [
      finding(resourcesCheck, {
        id: 'resources.memory',
        severity: 'error',
        title: `Profile "${p.name}" asks for ${p.memoryGiB} GiB of memory; this machine has ${gib(host.totalMemoryBytes)}`,
        explanation: 'The VM cannot be given more memory than the host has.',
        fix: setCommand(p, '--memory', halfRam),
      }),
    ];
  }
  if (ownRunning) return []; // its memory is already taken and counted
  // macOS counts inactive and purgeable pages as used, so os.freemem() is far too
  // low there; estimate from what the other VMs hold instead. Linux reports MemAvailable.
  const othersMemory = others.reduce((n, i) => n + (i.memoryBytes ?? 0), 0);
  const available = platform === 'linux' ? host.freeMemoryBytes : host.totalMemoryBytes - othersMemory;
  if (need <= available) return [];
  return [
    finding(resourcesCheck, {
      id: 'resources.memory',
      severity: 'warning',
      title: `Only about ${gib(Math.max(0, available))} of memory is free; profile "${p.name}" asks for ${p.memoryGiB} GiB`,
      explanation:
        (othersMemory > 0 ? `Other running VMs hold ${gib(othersMemory)}. ` : '') +
        'Starting it would push the host into swap or make the VM fail to boot. Close other programs, stop other instances, or ask for less.',
      fix: setCommand(p, '--memory', Math.max(1, Math.floor((Math.max(0, available) / GiB) * 2) / 2)),
    }),
  ];
}

function diskFindings(p: Profile, host: HostCapacity, colimaBase: string): Finding[] {
  const free = host.freeDiskBytes;
  if (free < MIN_FREE_DISK_GIB * GiB) {
    return [
      finding(resourcesCheck, {
        id: 'resources.disk',
        severity: 'error',
        title: `Only ${gib(free)} free on the disk that holds ${colimaBase}`,
        explanation: `A VM needs at least ${MIN_FREE_DISK_GIB} GiB to unpack its image and root disk. Free space first; collecting nix garbage often frees gigabytes.`,
        fix: 'colima-k8s gc',
      }),
    ];
  }
  if (free >= p.diskGiB * GiB) return [];
  const fits = Math.floor(free / GiB);
  return [
    finding(resourcesCheck, {
      id: 'resources.disk',
      severity: 'warning',
      title: `Profile "${p.name}" allows a ${p.diskGiB} GiB data disk; ${gib(free)} is free`,
      explanation:
        `The data disk is sparse and grows as images and volumes are added, up to ${p.diskGiB} GiB, on the disk that holds ${colimaBase}. ` +
        'When the host disk fills first, the VM fails in confusing ways. Lower the limit or free space.',
      fix: fits >= MIN_DISK_GIB ? setCommand(p, '--disk', fits) : 'colima-k8s gc',
    }),
  ];
}
