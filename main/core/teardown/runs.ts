// The teardowns under way. One covers every ledger entry (quit, `down`) or
// only some profiles (the leftovers reaped at launch, while adopted entries
// stay). A request that an earlier run already covers joins it; any other
// waits for the runs before it, so two teardowns never work on the ledger at
// once and a quit during a launch-time reap still tears everything down.
import type { TeardownResult } from '../controller-api.js';

/** Every ledger entry, or just these profiles. */
export type TeardownScope = 'all' | ReadonlySet<string>;

export interface TeardownRun {
  readonly scope: TeardownScope;
  readonly promise: Promise<TeardownResult>;
}

export function scopeIncludes(scope: TeardownScope, profile: string): boolean {
  return scope === 'all' || scope.has(profile);
}

function scopeCovers(outer: TeardownScope, inner: TeardownScope): boolean {
  if (outer === 'all') return true;
  return inner !== 'all' && [...inner].every((p) => outer.has(p));
}

export class TeardownRuns {
  private readonly runs: TeardownRun[] = [];

  /** The latest run that tears down `profile`, if any. */
  covering(profile: string): TeardownRun | undefined {
    return this.runs.findLast((r) => scopeIncludes(r.scope, profile));
  }

  /** Joins a run that covers `scope`, or runs `body` after every run under way; `onSettled` runs once it is over. */
  request(scope: TeardownScope, body: () => Promise<TeardownResult>, onSettled: () => void): Promise<TeardownResult> {
    const joined = this.runs.findLast((r) => scopeCovers(r.scope, scope));
    if (joined) return joined.promise;
    const before = this.runs.at(-1)?.promise;
    // Without a run before it, the body starts now (its first snapshot is published before this returns).
    const started = before ? before.catch(() => undefined).then(body) : body();
    const run: TeardownRun = {
      scope,
      promise: started.finally(() => {
        this.runs.splice(this.runs.indexOf(run), 1);
        onSettled();
      }),
    };
    this.runs.push(run);
    return run.promise;
  }
}
