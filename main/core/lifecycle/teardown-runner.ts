// The controller's teardowns: `teardownAll` (quit, `colima-k8s down`, the
// launch-time reap of leftovers with `only`) and the teardown of one VM that a
// profile delete asks for. teardown-runs.ts orders the runs (a request that an
// earlier run covers joins it); this module runs one: it cancels every start
// in scope, waits for every operation in scope, claims the ledger entries,
// takes over starts still under way on them, stops and deletes them, and keeps
// the TeardownProgress the snapshot shows.
import type { TeardownResult } from '../controller-api.js';
import { userMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { TeardownProgress } from '../model.js';
import { teardownInstances, type TeardownOptions } from '../teardown/teardown.js';
import type { ControllerOptions, TeardownRequest } from './controller-options.js';
import type { InstanceTable } from './instances.js';
import type { Operations } from './operations.js';
import type { OrphanedStartGuard } from './orphaned-start.js';
import { scopeIncludes, TeardownRuns, type TeardownRun, type TeardownScope } from './teardown-runs.js';
import type { LifecycleTimeouts } from './timeouts.js';

export interface TeardownRunnerDeps {
  readonly options: Pick<ControllerOptions, 'store' | 'ledger' | 'colima' | 'kubectl'>;
  readonly timeouts: LifecycleTimeouts;
  readonly instances: InstanceTable;
  readonly operations: Operations;
  /** Publishes a new snapshot (the controller's publisher). */
  readonly publish: () => void;
  readonly orphans: OrphanedStartGuard;
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
    const { operations, options, instances, publish } = this.deps;
    this.current = Object.freeze({ running: true, items: Object.freeze([]) });
    publish();
    // A quit during a start cancels it first (peers.md §3: docker/for-mac#7053 otherwise).
    const ops = operations.all().filter((op) => scopeIncludes(scope, op.profile));
    for (const op of ops) if (op.kind === 'start') op.abort.abort();
    await Promise.allSettled(ops.map((op) => op.promise));
    let result: TeardownResult;
    try {
      const profiles = options.ledger.list().filter((e) => scopeIncludes(scope, e.profile)).map((e) => e.profile);
      result = await this.tearDownClaimed(profiles, log, {
        ...(request.timeoutMs !== undefined ? { totalMs: request.timeoutMs } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        onProgress: (items) => {
          for (const item of items) instances.applyTeardownStep(item.profile, item.step, item.message);
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
   * orphaned-start.ts takeover), then stops and deletes them.
   */
  async tearDownClaimed(profiles: readonly string[], log: Logger, options: TeardownOptions): Promise<TeardownResult> {
    const { options: { ledger }, orphans, pid } = this.deps;
    const claimed = ledger.claimForTeardown(profiles, pid);
    try {
      await orphans.stop(claimed, log, 'takeover');
      return await teardownInstances(claimed, this.teardownDeps(log), options);
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
    const { options: { colima, kubectl, ledger, store }, timeouts } = this.deps;
    return { colima, kubectl, ledger, timeouts, logger, profileKeepsData: (profile) => store.get(profile)?.keepData };
  }
}
