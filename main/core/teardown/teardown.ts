// Folder teardown/: stop → delete for ledger instances with escalation, the
// kube context cleanup, and the runner that orders teardown requests. Imports
// the ledger, never the lifecycle.
//
// The quit path: stop then delete every given ledger instance, all in
// parallel, each step with a timeout and escalation (steps.ts); the stale kube
// entries of each stopped instance are removed while the deletes run
// (kubeconfig.ts); then one `colima list` to check they are really gone, the
// user's previous kube context restored, and the ledger updated. Only ledger
// entries are ever passed here, so an instance the app did not start is never
// touched.
import type { ColimaClient, KubectlClient } from '../colima/client-api.js';
import type { TeardownResult } from '../controller-api.js';
import { userMessage } from '../errors.js';
import type { Ledger, LedgerEntry } from '../ledger/ledger.js';
import { nullLogger, type Logger } from '../log.js';
import type { TeardownItem, TeardownStep } from '../model.js';
import { Deadline } from '../timing.js';
import { teardownTimeoutsWithin, type LifecycleTimeouts } from '../timeouts.js';
import { KubeconfigCleaner } from './kubeconfig.js';
import { deleteWithRetry, forProfile, PREFER_CACHED, stopWithEscalation, type StepContext } from './steps.js';

export interface TeardownDeps {
  readonly colima: ColimaClient;
  readonly kubectl: KubectlClient;
  readonly ledger: Ledger;
  readonly timeouts: LifecycleTimeouts;
  /** The teardown's own log: its lines and every colima/kubectl command it runs. */
  readonly logger?: Logger;
  /**
   * The keep-data choice of the profile as it is now (undefined: no such
   * profile any more). The entry's own is the one recorded at its start (or
   * last saved); either one saying "keep" keeps the data disk.
   */
  readonly profileKeepsData?: (profile: string) => boolean | undefined;
}

export interface TeardownOptions {
  /** The whole teardown must end within this (`down --timeout`). */
  readonly totalMs?: number;
  readonly signal?: AbortSignal;
  /** Called with every item's current step after each change. */
  readonly onProgress?: (items: readonly TeardownItem[]) => void;
  /** What `totalMs` is measured on (tests pass a controllable clock). */
  readonly clock?: () => number;
}

export async function teardownInstances(entries: readonly LedgerEntry[], deps: TeardownDeps, options: TeardownOptions = {}): Promise<TeardownResult> {
  const logger = deps.logger ?? nullLogger;
  const items = new Map<string, TeardownItem>(entries.map((e) => [e.profile, Object.freeze({ profile: e.profile, step: 'waiting' as TeardownStep })]));
  const set = (profile: string, step: TeardownStep, message?: string): void => {
    items.set(profile, Object.freeze({ profile, step, ...(message !== undefined ? { message } : {}) }));
    options.onProgress?.(Object.freeze([...items.values()]));
  };
  options.onProgress?.(Object.freeze([...items.values()]));
  if (entries.length === 0) return { ok: true, remaining: [] };

  const ledgerAtStart = deps.ledger.list();
  const timeouts = options.totalMs !== undefined ? teardownTimeoutsWithin(options.totalMs, deps.timeouts) : deps.timeouts;
  const ctx: StepContext = { colima: deps.colima, timeouts, deadline: new Deadline(options.totalMs, options.clock), logger, signal: options.signal };
  const failures = new Map<string, string>();
  const kube = new KubeconfigCleaner(deps.kubectl, logger);
  kube.start();
  const cleanups: Promise<void>[] = [];

  await Promise.all(
    entries.map(async (entry) => {
      const own = forProfile(ctx, entry.profile);
      try {
        set(entry.profile, 'stopping');
        const stop = await stopWithEscalation(own, entry.profile, () => set(entry.profile, 'force-stopping'));
        if (ctx.deadline.expired()) throw new Error('the teardown ran out of time before the delete');
        // Stopped: its delete will not touch kubeconfig, so clean it now, while the deletes run.
        if (!stop.problem) cleanups.push(kube.removeEntries(entry));
        set(entry.profile, 'deleting', stop.problem);
        await deleteWithRetry(own, entry.profile, !keepsData(entry, deps, own.logger), (attempt) =>
          set(entry.profile, 'deleting', `attempt ${attempt} failed, retrying`),
        );
      } catch (e) {
        failures.set(entry.profile, userMessage(e));
        set(entry.profile, 'failed', userMessage(e));
      }
    }),
  );

  const deleted = await confirmGone(deps.colima, entries.filter((e) => !failures.has(e.profile)), failures, set, logger);
  for (const entry of deleted) {
    set(entry.profile, 'cleaning-kubeconfig');
    // Instances whose stop failed were deleted running; colima cleaned most of it, check the rest now.
    cleanups.push(kube.removeEntries(entry));
  }
  await Promise.all(cleanups);
  await kube.restorePreviousContext(deleted, ledgerAtStart);
  for (const entry of deleted) {
    deps.ledger.remove(entry.profile);
    set(entry.profile, 'done', kube.problemFor(entry.profile));
  }

  const remaining = entries.filter((e) => failures.has(e.profile)).map((e) => ({ profile: e.profile, reason: failures.get(e.profile)! }));
  for (const r of remaining) logger.log('error', `teardown of ${r.profile} failed: ${r.reason}`);
  return { ok: remaining.length === 0, remaining };
}

/**
 * Deleting the data disk cannot be undone, so it is deleted only when neither
 * the ledger entry nor the profile as it is now says keep; a profile that
 * cannot be read counts as "keep".
 */
function keepsData(entry: LedgerEntry, deps: TeardownDeps, logger: Logger): boolean {
  if (entry.keepData) return true;
  try {
    return deps.profileKeepsData?.(entry.profile) === true;
  } catch (e) {
    logger.log('warn', `could not read the profile's keep-data choice (${userMessage(e)}); keeping the data disk`);
    return true;
  }
}

/** One `colima list` for all: a delete that exited 0 but left the VM is a failure, not a success. */
async function confirmGone(
  colima: ColimaClient,
  candidates: readonly LedgerEntry[],
  failures: Map<string, string>,
  set: (profile: string, step: TeardownStep, message?: string) => void,
  logger: Logger,
): Promise<readonly LedgerEntry[]> {
  if (candidates.length === 0) return [];
  let listed: Set<string>;
  try {
    listed = new Set((await colima.list({ logger, ...PREFER_CACHED })).map((i) => i.name));
  } catch (e) {
    // Every delete exited 0; colima's own word is all there is.
    logger.log('warn', `could not list instances to confirm the deletes: ${userMessage(e)}`);
    return candidates;
  }
  const gone: LedgerEntry[] = [];
  for (const entry of candidates) {
    if (!listed.has(entry.profile)) {
      gone.push(entry);
      continue;
    }
    const reason = `colima still lists ${entry.profile} after deleting it; run colima-k8s down again, or colima delete --force --profile ${entry.profile}`;
    failures.set(entry.profile, reason);
    set(entry.profile, 'failed', reason);
  }
  return gone;
}
