// At launch: what to do with each ledger entry the tray did not record itself
// (core/ledger/ownership.ts decides, entry by entry):
//   - a crash's leftover (its owner died, and it was the tray's, or its start
//     never completed): torn down now, with a notification, through the
//     controller so the tray shows the progress; a start its dead owner left
//     running is killed first (core/lifecycle/orphaned-start.ts);
//   - a completed `colima-k8s start` whose CLI has exited: adopted, i.e. kept
//     running and shown as app-started; quitting the tray tears it down like
//     every ledger entry. The user is told once, so a quit deleting it is no
//     surprise;
//   - an entry of another live process (a CLI start under way): left alone.
// The ledger is written before `colima start`, so no leftover is ever missed.
import type { TeardownResult } from '../../core/controller-api.js';
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { planLaunch, type OwnedEntry } from '../../core/ledger/ownership.js';
import { processIdentity } from '../../core/ledger/process-probe.js';
import type { Notice, Notifier } from '../notifications.js';
import type { StateRefresher } from '../refresh.js';

export interface LedgerView {
  /** Every ledger entry: the profile, who recorded it and whether its start completed. */
  list(): readonly OwnedEntry[];
}

/**
 * What reaping needs of the controller. `only` limits the teardown to those
 * profiles, so adopted entries and other processes' entries survive it: the
 * LifecycleController honours it (AppController's teardownAll does not
 * promise to yet).
 */
export interface LeftoverController {
  refresh(): Promise<void>;
  teardownAll(options?: { readonly timeoutMs?: number; readonly only?: readonly string[] }): Promise<TeardownResult>;
}

export interface LeftoverDeps {
  readonly ledger: LedgerView;
  readonly isProcessAlive: (pid: number) => boolean;
  /** Tells a reused pid from the recorded owner (default: core/ledger/process-probe.ts). */
  readonly processIdentity?: (pid: number) => Promise<string | undefined>;
  readonly controller: LeftoverController;
  readonly notifier: Notifier;
  readonly logger: Logger;
  /** This process (its own entries are not leftovers). */
  readonly pid: number;
  /** How the CLI runs here (`colima-k8s`); undefined where it is not installed (a packaged app): never advised then. */
  readonly cliCommand?: string | undefined;
  /** What could not be removed (default: a notification without a retry action); see createLeftoverRetry. */
  readonly onLeft?: (result: TeardownResult) => void;
}

export type LeftoverOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'unreadable'; readonly message: string }
  /** Nothing to tear down; these completed CLI starts are kept (and torn down at quit). */
  | { readonly kind: 'adopted'; readonly adopted: readonly string[] }
  | { readonly kind: 'reaped'; readonly profiles: readonly string[]; readonly adopted: readonly string[]; readonly result: TeardownResult };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function reapLeftoversAtLaunch(deps: LeftoverDeps): Promise<LeftoverOutcome> {
  let entries: readonly OwnedEntry[];
  try {
    entries = deps.ledger.list();
  } catch (e) {
    // A damaged ledger is kept as evidence by the core; its message says what to do.
    const message = userMessage(e);
    deps.logger.log('error', `leftovers: ${message}`);
    deps.notifier.notify({ title: 'Cannot tell which clusters are leftovers', body: message });
    return { kind: 'unreadable', message };
  }
  const identity = deps.processIdentity ?? ((pid: number) => processIdentity(pid));
  const ownIdentity = await identity(deps.pid).catch(() => undefined);
  const plan = await planLaunch(
    entries,
    { pid: deps.pid, ...(ownIdentity !== undefined ? { identity: ownIdentity } : {}) },
    { isAlive: deps.isProcessAlive, identity: (pid) => identity(pid).catch(() => undefined) },
  );
  for (const e of plan.inUse) deps.logger.log('info', `leftovers: ${e.profile} belongs to the running process ${e.pid}; left alone`);

  const adopted = plan.adopt.map((e) => e.profile);
  if (adopted.length > 0) {
    deps.logger.log('info', `leftovers: adopting ${adopted.join(', ')} (completed colima-k8s start, CLI exited)`);
    deps.notifier.notify({
      title: 'Keeping clusters started from the terminal',
      body:
        `${adopted.join(', ')} ${adopted.length === 1 ? 'was' : 'were'} started with colima-k8s and ${adopted.length === 1 ? 'is' : 'are'} left as ${adopted.length === 1 ? 'it is' : 'they are'}. ` +
        `Quitting the app deletes ${adopted.length === 1 ? 'it' : 'them'} along with the other clusters it started.`,
    });
  }

  const profiles = plan.reap.map((e) => e.profile);
  if (profiles.length === 0) return adopted.length > 0 ? { kind: 'adopted', adopted } : { kind: 'none' };
  deps.logger.log('info', `leftovers: tearing down ${profiles.join(', ')}`);
  deps.notifier.notify({
    title: 'Cleaning up after the last session',
    body: `Removing ${plural(profiles.length, 'cluster')} left behind when the app or colima-k8s stopped unexpectedly: ${profiles.join(', ')}.`,
  });
  await deps.controller.refresh().catch((e: unknown) => deps.logger.log('warn', `leftovers: refresh failed: ${userMessage(e)}`));
  const result = await deps.controller.teardownAll({ only: profiles });
  if (!result.ok) (deps.onLeft ?? ((r: TeardownResult) => deps.notifier.notify(leftoverNotice(r, deps.cliCommand))))(result);
  return { kind: 'reaped', profiles, adopted, result };
}

/**
 * The tray's launch-time cleanup: reaps a crash's leftovers, or else reads
 * colima's state once, so the tray shows the truth. Never rejects.
 */
export async function launchCleanup(deps: LeftoverDeps, refresher: Pick<StateRefresher, 'refreshNow'>): Promise<LeftoverOutcome> {
  const outcome = await reapLeftoversAtLaunch(deps).catch((e: unknown): LeftoverOutcome => {
    deps.logger.log('error', `leftovers: ${userMessage(e)}`);
    return { kind: 'unreadable', message: userMessage(e) };
  });
  if (outcome.kind !== 'reaped') await refresher.refreshNow('launch');
  return outcome;
}

/** What is left, and what the user can do about it: the app's own actions first, the CLI only where it exists. */
export function leftoverNotice(result: Pick<TeardownResult, 'remaining'>, cliCommand: string | undefined, retry?: () => void): Notice {
  const lines = result.remaining.map((r) => `${r.profile}: ${r.reason}`);
  const actions = retry ? 'Click here or use "Delete leftovers" in the tray menu to try again; quitting the app also tries again.' : 'Quitting the app tries again.';
  const cli = cliCommand ? ` In a terminal: \`${cliCommand} down\`.` : '';
  return { title: 'Some leftover clusters could not be removed', body: `${lines.join('\n')}\n${actions}${cli}`, ...(retry ? { onClick: retry } : {}) };
}

/** The leftovers a launch could not remove, offered again as "Delete leftovers" (tray) and by a click on the notice. */
export interface LeftoverRetry {
  /** Profiles still left (empty once removed). */
  pending(): readonly string[];
  running(): boolean;
  /** For LeftoverDeps.onLeft: records what is left and notifies, with the retry as the click action. */
  record(result: TeardownResult): void;
  /** Tears the pending leftovers down again (those only, like the launch); never rejects. */
  retry(): Promise<void>;
}

export function createLeftoverRetry(
  deps: Pick<LeftoverDeps, 'controller' | 'notifier' | 'logger' | 'cliCommand'> & { readonly onChange: () => void },
): LeftoverRetry {
  let pending: readonly string[] = [];
  let running = false;
  const record = (result: TeardownResult): void => {
    pending = result.remaining.map((r) => r.profile);
    deps.onChange();
    if (pending.length > 0) deps.notifier.notify(leftoverNotice(result, deps.cliCommand, () => void retry()));
  };
  const retry = async (): Promise<void> => {
    if (running || pending.length === 0) return;
    running = true;
    deps.onChange();
    deps.logger.log('info', `leftovers: deleting ${pending.join(', ')} again`);
    try {
      const result = await deps.controller.teardownAll({ only: pending });
      running = false;
      record(result);
    } catch (e) {
      running = false;
      deps.logger.log('error', `leftovers: ${userMessage(e)}`);
      record({ ok: false, remaining: pending.map((profile) => ({ profile, reason: userMessage(e) })) });
    }
  };
  return { pending: () => pending, running: () => running, record, retry };
}
