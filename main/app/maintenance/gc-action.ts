// "Collect nix garbage" from the tray, and after the quit teardown when the
// user opted in. One collection at a time (a second click, or the quit path
// while one runs, joins it); each writes its own operation log and ends with a
// notification saying how much space was freed, or why it failed.
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { formatBytes, formatGcReport, type GcReport } from '../../core/maintenance/gc.js';
import type { AppSettings } from '../../core/profiles/store.js';
import type { Notice, Notifier } from '../notifications.js';
import type { OperationLogs } from './operation-logs.js';
import type { AfterTeardownContext, AfterTeardownTask } from '../quit/quit.js';
import { singleFlight } from './single-flight.js';

export interface GcActionDeps {
  /** collectAppNixGarbage over the app's nix runner, logging to `logger`. */
  readonly collect: (options: { readonly logger: Logger; readonly signal: AbortSignal }) => Promise<GcReport>;
  readonly logs: OperationLogs;
  readonly notifier: Notifier;
  readonly logger: Logger;
  /** Told when a collection starts or ends (the menu item is disabled meanwhile). */
  readonly onChange?: () => void;
}

export interface GcAction {
  /** Starts a collection; does nothing while one runs (its result is still notified once). */
  start(): void;
  /**
   * The quit path's collection: joins the one under way or starts one, and
   * resolves (never rejects) when it ends. `signal` aborts it (the quit's time limit).
   */
  runForQuit(signal: AbortSignal): Promise<GcReport | undefined>;
  running(): boolean;
}

export function gcNotice(report: GcReport): Notice {
  return { title: `Nix garbage collected: ${formatBytes(report.bytesFreed)} freed`, body: formatGcReport(report) };
}

export function createGcAction(deps: GcActionDeps): GcAction {
  const flight = singleFlight(
    (signal) =>
      deps.logs
        .run('gc', (log) => deps.collect({ logger: log, signal }))
        .then(
          (report) => {
            deps.notifier.notify(gcNotice(report));
            return report;
          },
          (e: unknown) => {
            deps.logger.log('error', `gc: ${userMessage(e)}`);
            if (!signal.aborted) deps.notifier.notify({ title: 'Could not collect nix garbage', body: userMessage(e) });
            return undefined;
          },
        ),
    deps.onChange,
  );

  return {
    start() {
      if (flight.running()) return;
      void flight.run();
    },
    runForQuit(signal) {
      const onAbort = (): void => flight.abort();
      const run = flight.run();
      if (signal.aborted) flight.abort();
      else signal.addEventListener('abort', onAbort, { once: true });
      return run.finally(() => signal.removeEventListener('abort', onAbort));
    },
    running: () => flight.running(),
  };
}

export interface GcAfterQuitDeps {
  /** Undefined where the app runs without its nix environment. */
  readonly gc: GcAction | undefined;
  readonly settings: Pick<AppSettings, 'optIns'> | undefined;
  readonly logger: Logger;
  /** How long the GC may delay the exit; default the quit path's (2 minutes). */
  readonly timeoutMs?: number | undefined;
}

/** The quit path's last task when the user opted in: GC, bounded, never blocking the exit. */
export function gcAfterQuitTask(deps: GcAfterQuitDeps, context: AfterTeardownContext): AfterTeardownTask | undefined {
  const { gc, settings, logger } = deps;
  if (!gc || !settings) return undefined;
  let enabled = false;
  try {
    enabled = settings.optIns().collectGarbageAfterQuit;
  } catch (e) {
    logger.log('warn', `quit: the settings cannot be read, so no garbage is collected: ${userMessage(e)}`);
  }
  if (!enabled) return undefined;
  if (context.systemEnding) {
    // The OS waits for us to log out or power off: minutes of GC would hold the whole machine.
    logger.log('info', 'quit: the system is ending the session, so garbage is collected after the next quit instead');
    return undefined;
  }
  return { label: 'Collecting nix garbage…', run: (signal) => gc.runForQuit(signal), ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}) };
}
