// "Verify cluster": one check at a time (core/cluster/verify.ts), for an
// instance the app started (isOwned asks the ledger when it runs), cancellable
// from the menu and on quit; the result is a notification.
import { verifyCluster, type VerifyOptions } from '../../core/cluster/verify.js';
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Notifier } from '../notifications.js';

/** Test and tuning knobs of the check: image, limits, clock. */
export type VerifyTuning = Partial<Pick<VerifyOptions, 'image' | 'limitMs' | 'pollMs' | 'now' | 'sleep' | 'randomSuffix'>>;

export interface VerifyActionDeps {
  readonly kubectl: VerifyOptions['kubectl'];
  readonly isOwned: (profile: string) => boolean;
  readonly notifier: Notifier;
  readonly logger: Logger;
  readonly onChange: () => void;
  /** True once the quit has begun: a cancelled check is then not notified. */
  readonly isQuitting: () => boolean;
  readonly tuning?: VerifyTuning;
}

export interface VerifyAction {
  /** Resolves when the check has ended and was reported. */
  run(profile: string): Promise<void>;
  cancel(): void;
  /** The profile being checked. */
  running(): string | undefined;
}

export function createVerifyAction(deps: VerifyActionDeps): VerifyAction {
  let current: { readonly profile: string; readonly abort: AbortController } | undefined;
  return {
    async run(profile) {
      if (current || deps.isQuitting()) return;
      const abort = new AbortController();
      current = { profile, abort };
      deps.onChange();
      deps.logger.log('info', `verify ${profile}: starting`);
      try {
        const r = await verifyCluster({ ...deps.tuning, profile, kubectl: deps.kubectl, isOwned: deps.isOwned, signal: abort.signal, logger: deps.logger });
        deps.logger.log(r.ok ? 'info' : 'warn', `verify ${profile}: ${r.ok ? 'passed' : r.reason} (${r.spawns} process(es)): ${r.message}`);
        const left = r.cleanedUp ? '' : `\nThe test pod ${r.podName} may remain: ${r.cleanupError ?? ''} (kubectl --context ${r.context} delete pod ${r.podName})`;
        if (r.reason === 'cancelled' && deps.isQuitting()) return;
        deps.notifier.notify({
          title: r.ok ? `${profile}: cluster verified` : `${profile}: cluster check failed (${r.reason ?? 'unknown'})`,
          body: `${r.message}${left}`,
        });
      } catch (e) {
        deps.logger.log('error', `verify ${profile}: ${userMessage(e)}`);
        deps.notifier.notify({ title: `${profile}: could not verify the cluster`, body: userMessage(e) });
      } finally {
        current = undefined;
        deps.onChange();
      }
    },
    cancel() {
      current?.abort.abort();
    },
    running: () => current?.profile,
  };
}
