// What the app knows about each instance, changed only through the state
// machine, read as one frozen record for the snapshot.
import type { ColimaInstance } from '../colima/client-api.js';
import type { InstancePhase, InstanceState, TeardownStep } from '../model.js';
import { nextPhase, phaseFromListing, type InstanceEvent } from './state-machine.js';
import { phaseFromTeardownStep } from '../teardown/phases.js';

interface Known {
  readonly phase: InstancePhase;
  readonly stage?: string;
  readonly error?: InstanceState['error'];
}

/**
 * When a `colima list` began (InstanceTable.observation): its result is
 * applied only to the instances whose phase did not change since.
 */
export type Observation = number;

export class InstanceTable {
  private readonly known = new Map<string, Known>();
  /** Counts phase changes made by operations; each instance remembers the count of its last one. */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();

  phase(profile: string): InstancePhase | undefined {
    return this.known.get(profile)?.phase;
  }

  /** Applies an event; a new phase clears the stage, and an error is kept only in phase `error`. */
  apply(profile: string, event: InstanceEvent, error?: InstanceState['error']): void {
    const before = this.known.get(profile);
    const phase = nextPhase(before?.phase ?? 'gone', event);
    if (before && phase === before.phase && event.type === 'observed') {
      // A refresh that changes nothing keeps the stage and error shown.
      if (phase !== 'error' || !error) return;
    }
    if (event.type !== 'observed') this.changedAt.set(profile, ++this.changes);
    this.known.set(profile, { phase, ...(phase === 'error' && error ? { error } : {}) });
  }

  /** Taken right before `colima list` runs, and handed to observe() with its result. */
  observation(): Observation {
    return this.changes;
  }

  setStage(profile: string, stage: string): void {
    const before = this.known.get(profile);
    if (before) this.known.set(profile, { ...before, stage });
  }

  /**
   * Takes `colima list` as the truth for every instance no operation owns and
   * whose phase no operation changed after `asOf` (a listing that ran while a
   * start completed would otherwise turn the new `running` back into `gone`).
   */
  observe(listing: readonly ColimaInstance[], names: Iterable<string>, asOf: Observation): void {
    const byName = new Map(listing.map((i) => [i.name, i]));
    for (const name of new Set([...names, ...byName.keys()])) {
      if ((this.changedAt.get(name) ?? 0) > asOf) continue;
      const instance = byName.get(name);
      const phase = phaseFromListing(instance);
      const error =
        phase === 'error'
          ? { message: `colima reports ${name} as ${instance?.status ?? 'in an unknown state'}; stopping it (which escalates to --force) usually fixes this.`, logTail: [] }
          : undefined;
      this.apply(name, { type: 'observed', phase }, error);
    }
  }

  /** Mirrors a teardown step in the phase (the tray shows phases). Steps that do not fit the machine are ignored. */
  applyTeardownStep(profile: string, step: TeardownStep, message?: string): void {
    const target = phaseFromTeardownStep(step);
    if (!target || target === this.phase(profile)) return;
    const event: InstanceEvent | undefined =
      target === 'stopping' ? { type: 'stop' } : target === 'deleting' ? { type: 'delete' } : target === 'gone' ? { type: 'deleted' } : target === 'error' ? { type: 'failed' } : undefined;
    if (!event) return;
    try {
      this.apply(profile, event, target === 'error' ? { message: message ?? 'The teardown failed.', logTail: [] } : undefined);
    } catch {
      // e.g. a failure reported for an instance that never left `gone`: nothing to show.
    }
  }

  forget(profile: string): void {
    this.known.delete(profile);
    this.changedAt.set(profile, ++this.changes);
  }

  /** One frozen state per name: every profile, every ledger entry and every instance seen. */
  record(names: Iterable<string>, startedByApp: (profile: string) => boolean): Readonly<Record<string, InstanceState>> {
    const out: Record<string, InstanceState> = {};
    for (const name of new Set([...names, ...this.known.keys()])) {
      const k = this.known.get(name);
      const ours = startedByApp(name);
      out[name] = Object.freeze({
        profile: name,
        // Before the first refresh: a ledger entry is a VM that exists; anything else, none.
        phase: k?.phase ?? (ours ? 'stopped' : 'gone'),
        ...(k?.stage !== undefined ? { stage: k.stage } : {}),
        ...(k?.error !== undefined ? { error: Object.freeze({ message: k.error.message, logTail: Object.freeze([...k.error.logTail]) }) } : {}),
        startedByApp: ours,
      });
    }
    return Object.freeze(out);
  }
}
