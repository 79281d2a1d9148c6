// A start whose ledger entry was taken away while it ran. `colima-k8s down`
// or the tray's Quit in ANOTHER process tears down every ledger entry, and
// takes over one that is still starting (it claims the entry, then kills the
// recorded colima start: orphaned-start.ts). The start must then never report
// success, and never leave a VM nobody records:
//   - it failed (its colima start was killed): say that a teardown ended it;
//   - it completed anyway (the teardown came too late to kill it, or the
//     entry was removed before the VM came up): check `colima list`; a VM
//     that is up is recorded again, so a later `down` or Quit deletes it, and
//     the start still fails, saying so.
// The errors are CONFLICT, not CANCELLED: the user did not cancel this start,
// and the tray does not report cancelled ones.
import type { ColimaClient } from '../colima/client-api.js';
import { AppError, userMessage } from '../errors.js';
import type { Ledger, LedgerEntry, RecordedEntry } from '../ledger/ledger.js';
import type { Logger } from '../log.js';

export type LostEntry =
  | { readonly kind: 'teardown'; readonly by: number }
  | { readonly kind: 'taken'; readonly by: number }
  | { readonly kind: 'removed' };

/** Why the entry no longer belongs to the start of process `pid`, or undefined while it does. */
export function whyNotOurs(entry: RecordedEntry | undefined, pid: number): LostEntry | undefined {
  if (!entry) return { kind: 'removed' };
  if (entry.teardownBy !== undefined) return { kind: 'teardown', by: entry.teardownBy };
  if (entry.pid !== pid) return { kind: 'taken', by: entry.pid };
  return undefined;
}

/** The error a start that failed while it lost its entry throws, or undefined when the entry is still its own. */
export function lostDuringStart(ledger: Ledger, profile: string, pid: number, cause: unknown): AppError | undefined {
  let lost: LostEntry | undefined;
  try {
    lost = whyNotOurs(ledger.get(profile), pid);
  } catch {
    return undefined; // the ledger cannot be read: the start's own error says more
  }
  if (!lost) return undefined;
  return new AppError('CONFLICT', `${describe(profile, lost)}; the start reported: ${userMessage(cause).replace(/\.$/, '')}.`, { cause });
}

export interface CompletedButLostDeps {
  readonly ledger: Ledger;
  readonly colima: ColimaClient;
  readonly logger: Logger;
  readonly pid: number;
  /** The entry to record again when the VM is up: what this start recorded. */
  readonly entry: LedgerEntry;
}

/** `colima start` returned successfully but the entry is no longer this start's (markStarted refused). Always throws. */
export async function completedButLost(deps: CompletedButLostDeps): Promise<never> {
  const { ledger, colima, logger, entry } = deps;
  const profile = entry.profile;
  const lost = whyNotOurs(ledger.get(profile), deps.pid) ?? { kind: 'removed' };
  if (lost.kind !== 'removed') {
    // Still recorded: whoever holds the entry (the teardown, or another start) deals with the VM.
    throw new AppError('CONFLICT', `${describe(profile, lost)}.`);
  }
  let up: boolean;
  let unknown = '';
  try {
    up = (await colima.list({ logger })).some((i) => i.name === profile);
  } catch (e) {
    // Not knowing is treated as "up": an entry for a VM that is gone costs one quick teardown; a VM without one is forgotten.
    up = true;
    unknown = ` (colima list failed: ${userMessage(e)})`;
  }
  if (!up) {
    throw new AppError('CONFLICT', `The start of ${profile} was undone by a teardown in another colima-k8s process (colima-k8s down or the tray's Quit) while it ran; no VM is left. Start it again if you still want it.`);
  }
  ledger.record({ ...entry, state: 'started' });
  logger.log('warn', `ledger: ${profile} was torn down by another process while starting, but its VM is up; recorded it again${unknown}`);
  throw new AppError(
    'CONFLICT',
    `${profile} was torn down by another colima-k8s process (colima-k8s down or the tray's Quit) while it was starting, but its VM came up afterwards${unknown}. ` +
      `It is recorded again as started by colima-k8s: quitting the app (or colima-k8s down) deletes it, or start it again to use it.`,
  );
}

function describe(profile: string, lost: LostEntry): string {
  switch (lost.kind) {
    case 'teardown':
      return `The start of ${profile} was ended by a teardown (colima-k8s down or the tray's Quit, process ${lost.by}), which stops and deletes its VM`;
    case 'taken':
      return `Another colima-k8s process (pid ${lost.by}) started ${profile} again while this start ran; that process manages it now`;
    case 'removed':
      return `The start of ${profile} was ended by a teardown in another colima-k8s process (colima-k8s down or the tray's Quit), which removed its VM`;
  }
}
