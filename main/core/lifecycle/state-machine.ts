// The per-instance state machine. Pure: given a phase and an event, the next
// phase, or an AppError when the event makes no sense in that phase.
//
//   gone/stopped/error --start--> starting --started--> running
//   starting --failed--> error          starting --cancelled--> (observed)
//   running/error/stopped --stop--> stopping --stopped--> stopped
//   idle phase or stopping --delete--> deleting --deleted--> gone
//   busy phase --failed--> error
//   idle phase --observed(p)--> p      (what `colima list` reports)
//
// "gone" means no VM exists (never created, or deleted); "stopped" means the VM
// exists but does not run.
import { AppError } from '../errors.js';
import type { InstancePhase } from '../model.js';

export type InstanceEvent =
  | { readonly type: 'start' }
  | { readonly type: 'started' }
  | { readonly type: 'stop' }
  | { readonly type: 'stopped' }
  | { readonly type: 'delete' }
  | { readonly type: 'deleted' }
  | { readonly type: 'failed' }
  /** An operation was cancelled; the phase becomes what colima reports next. */
  | { readonly type: 'cancelled'; readonly observed: InstancePhase }
  /** A refresh from `colima list` (only applied while no operation runs). */
  | { readonly type: 'observed'; readonly phase: InstancePhase };

const BUSY: ReadonlySet<InstancePhase> = new Set(['starting', 'stopping', 'deleting']);

export function isBusy(phase: InstancePhase): boolean {
  return BUSY.has(phase);
}

const TABLE: Record<Exclude<InstanceEvent['type'], 'observed' | 'cancelled'>, { readonly from: readonly InstancePhase[]; readonly to: InstancePhase }> = {
  start: { from: ['gone', 'stopped', 'error', 'running'], to: 'starting' },
  started: { from: ['starting'], to: 'running' },
  stop: { from: ['running', 'stopped', 'error', 'gone'], to: 'stopping' },
  stopped: { from: ['stopping'], to: 'stopped' },
  // A teardown goes from its stop (even a failed one) straight to the delete.
  delete: { from: ['running', 'stopped', 'error', 'gone', 'stopping'], to: 'deleting' },
  deleted: { from: ['deleting'], to: 'gone' },
  failed: { from: ['starting', 'stopping', 'deleting'], to: 'error' },
};

export function nextPhase(current: InstancePhase, event: InstanceEvent): InstancePhase {
  if (event.type === 'observed') {
    // An operation owns a busy phase; a refresh must not overwrite it.
    return isBusy(current) ? current : event.phase;
  }
  if (event.type === 'cancelled') {
    if (!isBusy(current)) throw invalid(current, event.type);
    return event.observed;
  }
  const rule = TABLE[event.type];
  if (!rule.from.includes(current)) throw invalid(current, event.type);
  return rule.to;
}

function invalid(current: InstancePhase, event: string): AppError {
  return new AppError('BUSY', `Cannot ${event} an instance that is ${current}.`);
}

/**
 * The phase a `colima list` line means (colima-cli §6: Lima's status names;
 * an unknown status is omitted from the JSON). No line: no VM.
 */
export function phaseFromListing(instance: { readonly status?: string } | undefined): InstancePhase {
  if (!instance) return 'gone';
  if (instance.status === 'Running') return 'running';
  if (instance.status === 'Stopped') return 'stopped';
  // Broken, Uninitialized, Installing or unknown: not usable as is.
  return 'error';
}
