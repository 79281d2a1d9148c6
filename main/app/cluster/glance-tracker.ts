// Keeps one cluster glance per running instance. It gathers one (≤ 3 processes,
// core/cluster/glance.ts) only when an instance becomes Running in a snapshot
// (a start finished, or the refresh saw a changed status) and on demand
// ("Refresh cluster info"), never on a timer: an idle app spawns nothing here.
import { clusterGlance, type GlanceOptions } from '../../core/cluster/glance.js';
import { isAppError, userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AppSnapshot, InstancePhase } from '../../core/model.js';
import type { GlanceEntry } from './cluster-menu.js';

export interface GlanceTrackerDeps {
  readonly colima: GlanceOptions['colima'];
  readonly kubectl: GlanceOptions['kubectl'];
  readonly logger: Logger;
  readonly now: () => number;
  /** Told when an entry changed (the menu re-renders). */
  readonly onChange: () => void;
}

export interface GlanceTracker {
  /** Called with every snapshot: gathers for an instance that became Running, drops those that no longer run. */
  observe(snapshot: AppSnapshot): void;
  /** "Refresh cluster info": gathers again (nothing when a gathering is under way). */
  refresh(profile: string): Promise<void>;
  entries(): Readonly<Record<string, GlanceEntry>>;
  /** The launch's first state read is done: from now on an instance seen becoming Running has an uptime. */
  launched(): void;
  /** Stops every gathering (the quit). */
  dispose(): void;
}

interface Entry {
  value: GlanceEntry;
  abort?: AbortController;
}

export function createGlanceTracker(deps: GlanceTrackerDeps): GlanceTracker {
  const entries = new Map<string, Entry>();
  // The phases of the previous snapshot: what runs then was not *seen* becoming Running (uptime unknown).
  let phases: Map<string, InstancePhase> | undefined;
  // Before the launch's first read, every profile shows `stopped`: that is no state seen.
  let baseline = false;
  let disposed = false;

  const gather = async (profile: string): Promise<void> => {
    const entry = entries.get(profile);
    if (!entry || entry.value.gathering || disposed) return;
    const abort = new AbortController();
    entry.abort = abort;
    entry.value = { ...entry.value, gathering: true };
    deps.onChange();
    const since = entry.value.runningSince;
    let next: GlanceEntry;
    try {
      const glance = await clusterGlance({
        profile,
        colima: deps.colima,
        kubectl: deps.kubectl,
        ...(since !== undefined ? { runningSince: since } : {}),
        now: deps.now,
        logger: deps.logger,
        signal: abort.signal,
      });
      deps.logger.log('info', `cluster glance ${profile}: ${glance.status}, ${glance.spawns} process(es)`);
      next = { glance, gathering: false, ...(since !== undefined ? { runningSince: since } : {}) };
    } catch (e) {
      if (!isAppError(e, 'CANCELLED')) deps.logger.log('warn', `cluster glance ${profile}: ${userMessage(e)}`);
      next = { ...entry.value, gathering: false, failed: userMessage(e) };
    }
    // Dropped (stopped, quitting) meanwhile: nothing to show.
    if (entries.get(profile) !== entry || abort.signal.aborted) return;
    entry.abort = undefined;
    entry.value = next;
    deps.onChange();
  };

  const drop = (profile: string): void => {
    entries.get(profile)?.abort?.abort();
    entries.delete(profile);
  };

  return {
    observe(snapshot) {
      if (disposed) return;
      const seen = new Map<string, InstancePhase>();
      let changed = false;
      for (const [profile, inst] of Object.entries(snapshot.instances)) {
        seen.set(profile, inst.phase);
        const before = phases?.get(profile);
        if (inst.phase === 'running' && !entries.has(profile)) {
          // Seen becoming Running (from starting, stopped, ...): the uptime counts from now.
          const since = baseline && before !== undefined && before !== 'running' ? deps.now() : undefined;
          entries.set(profile, { value: { gathering: false, ...(since !== undefined ? { runningSince: since } : {}) } });
          void gather(profile);
        } else if (inst.phase !== 'running' && entries.has(profile)) {
          drop(profile);
          changed = true;
        }
      }
      for (const profile of [...entries.keys()]) {
        if (!seen.has(profile)) {
          drop(profile);
          changed = true;
        }
      }
      phases = seen;
      if (changed) deps.onChange();
    },
    refresh: (profile) => gather(profile),
    launched: () => void (baseline = true),
    entries: () => Object.fromEntries([...entries].map(([name, e]) => [name, e.value])),
    dispose() {
      disposed = true;
      for (const profile of [...entries.keys()]) drop(profile);
    },
  };
}
