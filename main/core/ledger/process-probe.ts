// What crash recovery asks the OS about processes recorded in the ledger:
// whether a pid or a process group still exists, and an identity for a pid
// that tells the process we recorded from a later one that reuses its pid.
//
// The identity is exact and does not depend on the wall clock:
//   - Linux: the boot id plus the start time in clock ticks since boot
//     (field 22 of /proc/<pid>/stat). A pid reused after our process ended
//     has a later start time; after a reboot the boot id differs.
//   - macOS (and the BSDs): `ps -o lstart=` (the start time the kernel stored
//     at fork, to the second; a clock change later does not alter it). A pid
//     reused within the same second is the residual risk.
//   - elsewhere: unknown (undefined); callers then rely on the pid alone.
import { readFileSync } from 'node:fs';
import { runCommand } from '../run.js';
import { isProcessAlive } from '../files.js';

export interface ProcessProbe {
  /** A process with this pid exists. */
  isAlive(pid: number): boolean;
  /** At least one process is in the group `pgid`. */
  groupExists(pgid: number): boolean;
  /** The identity of the process `pid`, or undefined when it is gone or cannot be read. */
  identity(pid: number): Promise<string | undefined>;
  /** Sends `signal` to every process of the group; a group that is already gone is not an error. */
  signalGroup(pgid: number, signal: NodeJS.Signals): void;
}

export function systemProcessProbe(platform: NodeJS.Platform = process.platform): ProcessProbe {
  return {
    isAlive: isProcessAlive,
    groupExists(pgid) {
      assertSignalableGroup(pgid);
      // runCommand makes no process group there, so a recorded pid never names one.
      if (platform === 'win32') return false;
      try {
        process.kill(-pgid, 0);
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    identity: (pid) => processIdentity(pid, platform),
    signalGroup(pgid, signal) {
      assertSignalableGroup(pgid);
      try {
        process.kill(-pgid, signal);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
      }
    },
  };
}

/** kill(-1) signals every process of the user and kill(-0) our own group: refuse both, whatever a ledger says. */
function assertSignalableGroup(pgid: number): void {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new RangeError(`not a process group that may be signalled: ${pgid}`);
}

export async function processIdentity(pid: number, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (platform === 'linux') return linuxIdentity(pid);
  if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') return psStartTime(pid);
  return undefined;
}

function linuxIdentity(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ...`: comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = fields[19]; // field 22 overall; fields[0] is field 3 (state)
    if (!startTicks || !/^\d+$/.test(startTicks)) return undefined;
    return `${bootId()}:${startTicks}`;
  } catch {
    return undefined;
  }
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown-boot';
  }
}

async function psStartTime(pid: number): Promise<string | undefined> {
  try {
    // LC_ALL=C: the same text whatever the user's locale.
    const r = await runCommand('/bin/ps', ['-o', 'lstart=', '-p', String(pid)], { env: { LC_ALL: 'C', PATH: '/usr/bin:/bin' }, timeoutMs: 10_000 });
    const text = r.stdout.trim().replace(/\s+/g, ' ');
    return r.exitCode === 0 && text ? `lstart:${text}` : undefined;
  } catch {
    return undefined;
  }
}
