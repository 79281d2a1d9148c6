// At launch: instances in the ledger whose owner process is gone were left by
// a crash, a SIGKILL or a power cut (the ledger is written before `colima
// start`, so none is ever missed). They are torn down now, with a
// notification, through the controller, so the tray shows the progress.
import type { AppController, TeardownResult } from '../core/controller-api.js';
import { userMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Notifier } from './notifications.js';

export interface LedgerView {
  /** Every ledger entry: the profile and the process that started it. */
  list(): readonly { readonly profile: string; readonly pid: number }[];
}

export interface LeftoverDeps {
  readonly ledger: LedgerView;
  readonly isProcessAlive: (pid: number) => boolean;
  readonly controller: Pick<AppController, 'refresh' | 'teardownAll'>;
  readonly notifier: Notifier;
  readonly logger: Logger;
  /** This process (its own entries are not leftovers). */
  readonly pid: number;
}

export type LeftoverOutcome =
  | { readonly kind: 'none' }
  /** Another live colima-k8s process (a CLI `start` under way) owns entries: nothing is touched. */
  | { readonly kind: 'busy'; readonly owners: readonly number[] }
  | { readonly kind: 'unreadable'; readonly message: string }
  | { readonly kind: 'reaped'; readonly profiles: readonly string[]; readonly result: TeardownResult };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function reapLeftoversAtLaunch(deps: LeftoverDeps): Promise<LeftoverOutcome> {
  let entries: ReturnType<LedgerView['list']>;
  try {
    entries = deps.ledger.list();
  } catch (e) {
    // A damaged ledger is kept as evidence by the core; its message says what to do.
    const message = userMessage(e);
    deps.logger.log('error', `leftovers: ${message}`);
    deps.notifier.notify({ title: 'Cannot tell which clusters are leftovers', body: message });
    return { kind: 'unreadable', message };
  }
  const others = entries.filter((e) => e.pid !== deps.pid);
  const leftovers = others.filter((e) => !deps.isProcessAlive(e.pid));
  if (leftovers.length === 0) return { kind: 'none' };
  const liveOwners = [...new Set(others.filter((e) => deps.isProcessAlive(e.pid)).map((e) => e.pid))];
  if (liveOwners.length > 0) {
    // teardownAll covers the whole ledger; it must not cancel another process's start.
    deps.logger.log('warn', `leftovers: not reaped now, processes ${liveOwners.join(', ')} still own ledger entries`);
    return { kind: 'busy', owners: liveOwners };
  }

  const profiles = leftovers.map((e) => e.profile);
  deps.logger.log('info', `leftovers: tearing down ${profiles.join(', ')}`);
  deps.notifier.notify({
    title: 'Cleaning up after the last session',
    body: `Removing ${plural(profiles.length, 'cluster')} left running when the app last stopped unexpectedly: ${profiles.join(', ')}.`,
  });
  await deps.controller.refresh().catch((e: unknown) => deps.logger.log('warn', `leftovers: refresh failed: ${userMessage(e)}`));
  const result = await deps.controller.teardownAll();
  if (!result.ok) {
    deps.notifier.notify({
      title: 'Some leftover clusters could not be removed',
      body:
        `${result.remaining.map((r) => `${r.profile}: ${r.reason}`).join('\n')}\n` +
        'Quitting the app tries again; or run `colima-k8s down`.',
    });
  }
  return { kind: 'reaped', profiles, result };
}
