// A `colima start` whose owner died mid-start keeps running: runCommand spawns
// it as the leader of its own process group (so timeouts can kill the whole
// colima → limactl → qemu tree), and a SIGKILLed parent cannot take that group
// down with it. Left alone, it may create or resume the VM AFTER a teardown
// reported it gone. So before an entry whose start never completed is
// stopped or deleted, its recorded process group is killed: SIGTERM, SIGKILL
// after a grace, then a wait until it is gone.
//
// A teardown (`colima-k8s down`, the tray's Quit) goes further: it TAKES OVER
// entries that another live process is still starting. Stopping and deleting
// underneath a running `colima start` would let that start create the VM
// again right after the teardown removed its entry, and nobody would know of
// it. So the teardown first claims the entry in the ledger (Ledger
// claimForTeardown: the owner's start can no longer complete or record a new
// process, and fails saying why: start-instance.ts), then kills the recorded
// start the same way as an orphan's, then stops and deletes.
//
// Only a group that still looks like ours is signalled (orphanedStartAction):
// the entry is `starting`, its owner process is dead (or, in a takeover,
// any owner: a live one's start is deliberately ended), the group exists,
// and its leader is either gone (a group id cannot be reused while the group
// has members) or has the identity recorded at spawn. Residual risk: when the
// leader's identity cannot be read (no /proc, `ps` failing) or was never
// recorded (the owner died in the instant between the spawn and that write),
// the decision falls back to "group exists", and a reused pid that leads a
// group of its own would be signalled.
import { userMessage } from '../errors.js';
import type { RecordedEntry } from '../ledger/ledger.js';
import type { Logger } from '../log.js';
import { ownerStatus, type OwnerStatus, type SelfProcess } from '../ledger/ownership.js';
import type { ProcessProbe } from '../ledger/process-probe.js';
import { sleep } from '../timing.js';

/** The group leader now: gone, the recorded process, another process, or unknown. */
export type LeaderCheck = 'gone' | 'matches' | 'differs' | 'unknown';

export interface OrphanFacts {
  readonly owner: OwnerStatus;
  readonly groupExists: boolean;
  readonly leader: LeaderCheck;
}

/**
 * `orphans`: only starts whose owner died (before a start, a stop, a launch).
 * `takeover`: a teardown's, which also ends the start of a live owner.
 */
export type OrphanMode = 'orphans' | 'takeover';

export function orphanedStartAction(entry: Pick<RecordedEntry, 'state' | 'startProcess'>, facts: OrphanFacts, mode: OrphanMode = 'orphans'): 'kill' | 'leave' {
  if (entry.state !== 'starting' || !entry.startProcess) return 'leave';
  if ((mode === 'orphans' && facts.owner !== 'dead') || !facts.groupExists) return 'leave';
  return facts.leader === 'differs' ? 'leave' : 'kill';
}

export interface OrphanDeps {
  readonly probe: ProcessProbe;
  readonly self: SelfProcess;
  readonly logger: Logger;
  /** Between SIGTERM and SIGKILL. */
  readonly graceMs: number;
  /** How long to wait for the group to be gone after SIGKILL before going on anyway. */
  readonly goneWaitMs?: number;
  readonly pollMs?: number;
  readonly mode?: OrphanMode;
}

/** Kills the orphaned starts among `entries` (with mode `takeover`, every start under way); resolves with their profiles. Never throws. */
export async function stopOrphanedStarts(entries: readonly RecordedEntry[], deps: OrphanDeps): Promise<readonly string[]> {
  const killed = await Promise.all(entries.map((e) => stopOrphanedStart(e, deps).catch((err: unknown) => {
    deps.logger.log('error', `${e.profile}: could not check or stop its orphaned colima start: ${userMessage(err)}`);
    return false;
  })));
  return entries.filter((_, i) => killed[i]).map((e) => e.profile);
}

/** A controller's guard: knows its own process (identity read once) and stops the orphaned starts among entries. */
export class OrphanedStartGuard {
  private identity: Promise<string | undefined> | undefined;

  constructor(private readonly options: { readonly probe: ProcessProbe; readonly pid: number; readonly logger: Logger; readonly graceMs: number }) {}

  /** processIdentity() of this process (what its ledger entries record as ownerIdentity). */
  ownIdentity(): Promise<string | undefined> {
    this.identity ??= this.options.probe.identity(this.options.pid).catch(() => undefined);
    return this.identity;
  }

  /** `logger`: the log of the operation that asks (default the guard's own). */
  async stop(entries: readonly RecordedEntry[], logger: Logger = this.options.logger, mode: OrphanMode = 'orphans'): Promise<readonly string[]> {
    if (!entries.some((e) => e.state === 'starting' && e.startProcess)) return [];
    const { probe, pid, graceMs } = this.options;
    const identity = await this.ownIdentity();
    return stopOrphanedStarts(entries, { probe, self: { pid, ...(identity !== undefined ? { identity } : {}) }, logger, graceMs, mode });
  }
}

async function stopOrphanedStart(entry: RecordedEntry, deps: OrphanDeps): Promise<boolean> {
  const start = entry.startProcess;
  if (entry.state !== 'starting' || !start) return false;
  const { probe, logger } = deps;
  const facts: OrphanFacts = {
    owner: await ownerStatus(entry, deps.self, probe),
    groupExists: probe.groupExists(start.pgid),
    leader: await leaderCheck(start.pgid, start.identity, probe),
  };
  const mode = deps.mode ?? 'orphans';
  if (orphanedStartAction(entry, facts, mode) === 'leave') {
    if (facts.groupExists && (facts.owner === 'dead' || mode === 'takeover')) {
      logger.log('warn', `${entry.profile}: process group ${start.pgid} is not the recorded colima start any more; left alone`);
    }
    return false;
  }
  logger.log('warn', `${entry.profile}: ${killReason(entry, facts.owner)}; stopping its colima start (process group ${start.pgid})`);
  probe.signalGroup(start.pgid, 'SIGTERM');
  if (!(await waitUntilGone(start.pgid, deps.graceMs, deps))) {
    logger.log('warn', `${entry.profile}: process group ${start.pgid} ignored SIGTERM for ${deps.graceMs} ms; sending SIGKILL`);
    probe.signalGroup(start.pgid, 'SIGKILL');
    // A killed process does nothing more; a member that has not been reaped yet (zombie) may still count.
    if (!(await waitUntilGone(start.pgid, deps.goneWaitMs ?? 5_000, deps))) logger.log('warn', `${entry.profile}: process group ${start.pgid} still listed after SIGKILL; going on`);
  }
  return true;
}

function killReason(entry: RecordedEntry, owner: OwnerStatus): string {
  if (owner === 'dead') return `its owner (pid ${entry.pid}) died mid-start`;
  // A teardown's takeover: that start then fails, saying a teardown ended it (start-instance.ts).
  if (owner === 'alive') return `process ${entry.pid} is still starting it and this teardown takes it over (that start fails)`;
  return 'a start of it in this process is still running and this teardown takes it over';
}

async function leaderCheck(pgid: number, recorded: string | undefined, probe: ProcessProbe): Promise<LeaderCheck> {
  if (!probe.isAlive(pgid)) return 'gone';
  const now = await probe.identity(pgid);
  if (now === undefined || recorded === undefined) return 'unknown';
  return now === recorded ? 'matches' : 'differs';
}

async function waitUntilGone(pgid: number, ms: number, deps: OrphanDeps): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (!deps.probe.groupExists(pgid)) return true;
    if (Date.now() >= until) return false;
    await sleep(deps.pollMs ?? 25);
  }
}
