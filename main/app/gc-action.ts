// "Collect nix garbage" from the tray, and after the quit teardown when the
// user opted in. One collection at a time (a second click, or the quit path
// while one runs, joins it); each writes its own operation log and ends with a
// notification saying how much space was freed, or why it failed.
import { userMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { formatBytes, formatGcReport, type GcReport } from '../core/maintenance/gc.js';
import type { Notice, Notifier } from './notifications.js';
import type { OperationLogs } from './operation-logs.js';
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
