// Who a ledger entry belongs to, and what a tray launch does with it.
//
// The rule (launchDecision, the one place it is decided):
//   - owner process is this process          → own: nothing to decide;
//   - owner process is another live process  → in use: left alone (a CLI
//     start under way, or a CLI `start` run by hand that has not exited);
//   - owner process is dead, and the owner was the tray, or its `colima start`
//     never completed                        → reap: a crash's leftover, torn
//     down at launch with a notification;
//   - owner process is dead, the owner was a CLI run and its start completed
//                                            → adopt: someone's working
//     cluster from `colima-k8s start`; kept running, shown as app-started,
//     torn down when the tray quits (teardownAll covers the whole ledger).
// `colima-k8s down` (and the tray's Quit) ignores all this: it tears down
// every entry, and takes over one that another live process is still starting
// (its start is ended first and fails saying so: orphaned-start.ts, lost-entry.ts).
//
// "Dead" is decided by ownerStatus: the pid is gone, or it now belongs to
// another process (the entry's ownerIdentity differs: process-probe.ts). An
// entry without an identity (older ledgers, platforms without one) relies on
// the pid alone; a reused pid then looks alive, which errs on the side of
// leaving the VM alone (quitting the tray still tears it down).
import type { LedgerOwner, RecordedEntry, StartState } from './entry.js';
import type { ProcessProbe } from './process-probe.js';

export type OwnerStatus = 'self' | 'alive' | 'dead';
export type LaunchDecision = 'own' | 'in-use' | 'reap' | 'adopt';

/** This process: its pid and (when it can be read) its identity. */
export interface SelfProcess {
  readonly pid: number;
  readonly identity?: string;
}

/** The fields the rules read (the ledger's entries, or a view of them). */
export type OwnedEntry = Pick<RecordedEntry, 'profile' | 'pid' | 'owner' | 'state' | 'ownerIdentity'>;

export function launchDecision(entry: { readonly owner: LedgerOwner; readonly state: StartState }, owner: OwnerStatus): LaunchDecision {
  if (owner === 'self') return 'own';
  if (owner === 'alive') return 'in-use';
  return entry.owner === 'tray' || entry.state !== 'started' ? 'reap' : 'adopt';
}

export async function ownerStatus(entry: OwnedEntry, self: SelfProcess, probe: Pick<ProcessProbe, 'isAlive' | 'identity'>): Promise<OwnerStatus> {
  if (entry.pid === self.pid) {
    // Our pid, but recorded by an earlier process that had it (e.g. after a reboot): that one is gone.
    const differs = entry.ownerIdentity !== undefined && self.identity !== undefined && entry.ownerIdentity !== self.identity;
    return differs ? 'dead' : 'self';
  }
  if (!probe.isAlive(entry.pid)) return 'dead';
  if (entry.ownerIdentity === undefined) return 'alive';
  const now = await probe.identity(entry.pid);
  // Unreadable now (it may have just exited): trust the pid, which leaves the VM alone.
  return now === undefined || now === entry.ownerIdentity ? 'alive' : 'dead';
}

export interface LaunchPlan<E extends OwnedEntry> {
  readonly reap: readonly E[];
  readonly adopt: readonly E[];
  readonly inUse: readonly E[];
}

/** Applies launchDecision to every entry. */
export async function planLaunch<E extends OwnedEntry>(
  entries: readonly E[],
  self: SelfProcess,
  probe: Pick<ProcessProbe, 'isAlive' | 'identity'>,
): Promise<LaunchPlan<E>> {
  const decided = await Promise.all(entries.map(async (e) => ({ e, decision: launchDecision(e, await ownerStatus(e, self, probe)) })));
  const pick = (d: LaunchDecision): E[] => decided.filter((x) => x.decision === d).map((x) => x.e);
  return { reap: pick('reap'), adopt: pick('adopt'), inUse: pick('in-use') };
}
