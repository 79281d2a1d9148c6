// The teardowns the lifecycle controller asks for: `teardownAll` (quit,
// `colima-k8s down`, the launch-time reap of leftovers with `only`) and the
// teardown of one VM that a profile delete asks for. runs.ts orders the runs (a request that an
// earlier run covers joins it); this module runs one: it cancels every start
// in scope, waits for every operation in scope, claims the ledger entries,
// takes over starts still under way on them, stops and deletes them, and keeps
// the TeardownProgress the snapshot shows.
import type { ColimaClient, KubectlClient } from '../colima/client-api.js';
import type { TeardownResult } from '../controller-api.js';
import { userMessage } from '../errors.js';
import type { Ledger, RecordedEntry } from '../ledger/ledger.js';
import type { Logger } from '../log.js';
import type { TeardownProgress, TeardownStep } from '../model.js';
import type { LifecycleTimeouts } from '../timeouts.js';
import { scopeIncludes, TeardownRuns, type TeardownRun, type TeardownScope } from './runs.js';
import { teardownInstances, type TeardownOptions } from './teardown.js';

export interface TeardownRequest {
  /** The whole teardown must end within this (`down --timeout`). */
  readonly timeoutMs?: number;
  /** Only these ledger profiles (the leftovers reaped at launch); default every entry. */
  readonly only?: readonly string[];
  /** Cancels the teardown (Ctrl-C on `colima-k8s down`): its colima commands are killed, what remains is reported. A request that joins a teardown under way cannot cancel it. */
  readonly signal?: AbortSignal;
}

/**
 * What a teardown needs from its owner (the lifecycle controller), as plain
 * functions: the teardown never imports the lifecycle that runs it.
 */
export interface TeardownRunnerDeps {
  readonly ledger: Ledger;
  readonly colima: ColimaClient;
  readonly kubectl: KubectlClient;
  readonly timeouts: LifecycleTimeouts;
  /** The profile's own keep-data setting, if it still exists. */
  readonly profileKeepsData: (profile: string) => boolean | undefined;
  /** Cancels every start and waits for every operation on a profile `inScope` says is torn down. */
  readonly settleOperations: (inScope: (profile: string) => boolean) => Promise<void>;
  /** Shows a teardown step as the instance's phase. */
  readonly onStep: (profile: string, step: TeardownStep, message?: string) => void;
  /** Ends the `colima start`s still running on claimed entries (a dead owner's, another live process's, an earlier one of this process). */
  readonly endStarts: (claimed: readonly RecordedEntry[], log: Logger) => Promise<unknown>;
  /** Publishes a new snapshot (the controller's publisher). */
  readonly publish: () => void;
  /** This process: the claimant of the entries. */
  readonly pid: number;
}

export class TeardownRunner {
  private readonly runs = new TeardownRuns();
  private current: TeardownProgress | undefined;

  constructor(private readonly deps: TeardownRunnerDeps) {}

  /** What the snapshot shows of the latest teardownAll (undefined before the first). */
  progress(): TeardownProgress | undefined {
    return this.current;
  }

  /** The latest teardown run that covers `profile`, if any. */
  covering(profile: string): TeardownRun | undefined {
    return this.runs.covering(profile);
  }

  /** `log`: asked for by the caller at the request, since the run may wait for an earlier teardown. */
  request(request: TeardownRequest, log: Logger): Promise<TeardownResult> {
    const scope: TeardownScope = request.only ? new Set(request.only) : 'all';
    return this.runs.request(scope, () => this.run(request, scope, log), this.deps.publish);
  }

  private async run(request: TeardownRequest, scope: TeardownScope, log: Logger): Promise<TeardownResult> {
    const { ledger, publish, settleOperations } = this.deps;
    this.current = Object.freeze({ running: true, items: Object.freeze([]) });
    publish();
    // A quit during a start cancels it first (peers.md §3: docker/for-mac#7053 otherwise).
    await settleOperations((profile) => scopeIncludes(scope, profile));
    let result: TeardownResult;
    try {
      const profiles = ledger.list().filter((e) => scopeIncludes(scope, e.profile)).map((e) => e.profile);
      result = await this.tearDownClaimed(profiles, log, {
        ...(request.timeoutMs !== undefined ? { totalMs: request.timeoutMs } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        onProgress: (items) => {
          this.current = Object.freeze({ running: true, items });
          publish();
        },
      });
    } catch (e) {
      // The ledger itself could not be read or written: nothing is known to be gone.
      result = { ok: false, remaining: [{ profile: '*', reason: userMessage(e) }] };
    }
    this.current = Object.freeze({ running: false, items: this.current?.items ?? Object.freeze([]), ok: result.ok });
    publish();
    return result;
  }

  /**
   * Claims the entries for this teardown, ends the starts still under way on
   * them (a dead owner's, another live process's, a leftover of this one's:
   * lifecycle/orphaned-start.ts takeover), then stops and deletes them.
   */
  async tearDownClaimed(profiles: readonly string[], log: Logger, options: TeardownOptions): Promise<TeardownResult> {
    const { ledger, endStarts, pid } = this.deps;
    const claimed = ledger.claimForTeardown(profiles, pid);
    try {
      await endStarts(claimed, log);
      return await teardownInstances(claimed, this.teardownDeps(log), {
        ...options,
        // Every step shows as its instance's phase before the caller hears of it.
        onProgress: (items) => {
          for (const item of items) this.deps.onStep(item.profile, item.step, item.message);
          options.onProgress?.(items);
        },
      });
    } finally {
      try {
        ledger.releaseFromTeardown(profiles, pid);
      } catch (e) {
        // Only a later start from another process is refused meanwhile (while this process lives).
        log.log('warn', `ledger: could not release the entries this teardown claimed: ${userMessage(e)}`);
      }
    }
  }

  private teardownDeps(logger: Logger): Parameters<typeof teardownInstances>[1] {
    const { colima, kubectl, ledger, timeouts, profileKeepsData } = this.deps;
    return { colima, kubectl, ledger, timeouts, logger, profileKeepsData };
  }
}
