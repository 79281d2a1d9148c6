// The user's Stop of one instance (the tray, the window, `colima-k8s stop`).
// Only an instance in the ledger is stopped; for any other name the answer
// says why nothing happens: colima runs it but the app did not start it, or no
// profile and no instance has that name (a typo must not read as "stopped").
import type { ColimaClient, ColimaInstance } from '../colima/client-api.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ProfileStore } from '../profiles/store.js';
import { forProfile, stopWithEscalation } from '../teardown/steps.js';
import { Deadline } from '../timing.js';
import type { LifecycleTimeouts } from '../timeouts.js';

/** A stop of `profile`, which has no ledger entry: resolves when there is nothing to stop, throws otherwise. */
export function checkUnrecordedStop(profile: string, listed: ColimaInstance | undefined, store: Pick<ProfileStore, 'get' | 'list'>): void {
  if (listed?.status === 'Running') {
    throw new AppError('CONFLICT', `The instance "${profile}" was not started by this app, so the app leaves it alone; stop it yourself with: colima stop --profile ${profile}`);
  }
  if (!listed && !store.get(profile)) {
    const known = store.list().map((p) => p.name);
    throw new AppError('NOT_FOUND', `There is no profile or instance named "${profile}" (profiles: ${known.join(', ') || 'none'}); see colima-k8s status.`);
  }
}

export interface RecordedStopDeps {
  readonly colima: ColimaClient;
  readonly timeouts: LifecycleTimeouts;
  readonly logger: Logger;
  /** The operation's signal, joined with the caller's (Ctrl-C). */
  readonly signal: AbortSignal;
  readonly onForce: () => void;
}

/**
 * Graceful stop, escalating to `--force` after the USER's limit (userStopMs,
 * longer than Lima's own wait: timeouts.ts). Throws AppError COMMAND_FAILED
 * when even the forced stop failed; a cancelled one throws as it was cancelled.
 */
export async function stopRecordedInstance(profile: string, deps: RecordedStopDeps): Promise<void> {
  const timeouts = { ...deps.timeouts, stopMs: deps.timeouts.userStopMs };
  const ctx = forProfile({ colima: deps.colima, timeouts, deadline: new Deadline(undefined), logger: deps.logger, signal: deps.signal }, profile);
  const result = await stopWithEscalation(ctx, profile, deps.onForce);
  if (result.problem) throw new AppError('COMMAND_FAILED', `Could not stop ${profile}: ${result.problem}`);
}
