// The one quit path. Tray "Quit", Cmd-Q, app.quit() from anywhere, SIGTERM,
// SIGINT and the OS shutdown/logout event all end here:
//   cancel the quit → show progress → controller.teardownAll() → exit.
// A second request while this runs neither aborts it nor starts another
// teardown. A failed teardown (after the controller's own escalation) asks the
// user: Retry, or Quit anyway knowing a VM remains.
//
// Why it looks like this (peers.md §3): Rancher Desktop's pattern (cancel the
// first before-quit, work, then quit with a flag), plus a visible window, plus
// every way out routed here. `process.on('exit')` cannot await, so a crash is
// covered by the ledger and the launch-time reaping (leftovers.ts), not here.
//
// After a SUCCESSFUL teardown an optional task may run before the exit (nix
// garbage collection, when the user opted in). It is bounded by a time limit
// and its failure is only logged: it can delay the exit, never prevent it.
import type { TeardownResult } from '../core/controller-api.js';
import { userMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { QuitWindowPort } from './quit-window.js';

export type QuitReason = 'before-quit' | 'tray' | 'SIGTERM' | 'SIGINT' | 'shutdown';

export type QuitState = 'running' | 'tearing-down' | 'awaiting-choice' | 'finishing' | 'exiting';

/** Work after a successful teardown, before the exit. */
export interface AfterTeardownTask {
  /** What the quit window and the log say while it runs, e.g. `Collecting nix garbage…`. */
  readonly label: string;
  /** Aborted when the time limit is reached; the app exits then whatever the task does. */
  run(signal: AbortSignal): Promise<unknown>;
  /** Default AFTER_TEARDOWN_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

export const AFTER_TEARDOWN_TIMEOUT_MS = 2 * 60_000;

export interface QuitAppLike {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  /** Exits at once: no before-quit, windows closed without asking (teardown is already done). */
  exit(exitCode?: number): void;
}

/** `process` in the app; an EventEmitter in tests (never signal the test runner). */
export interface SignalSourceLike {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/**
 * Electron's powerMonitor. Its typings say the 'shutdown' listener takes no
 * argument, but Electron passes an event whose preventDefault() asks the OS to
 * delay shutdown (Linux, macOS); before-quit is not emitted then on Windows.
 */
export interface ShutdownSourceLike {
  on(event: 'shutdown', listener: (event?: { preventDefault?: () => void }) => void): unknown;
}

export interface QuitDeps {
  readonly app: QuitAppLike;
  readonly signals: SignalSourceLike;
  readonly powerMonitor?: ShutdownSourceLike;
  /** controller.teardownAll: waits for/cancels a start under way, then stops and deletes. */
  readonly teardown: () => Promise<TeardownResult>;
  readonly window: QuitWindowPort;
  readonly logger: Logger;
  /** Told on every state change (the tray disables its actions while quitting). */
  readonly onStateChange?: (state: QuitState) => void;
  /**
   * Asked once the teardown succeeded (an opt-in may have changed meanwhile),
   * with what started the quit; undefined: exit at once.
   */
  readonly afterTeardown?: (reason: QuitReason) => AfterTeardownTask | undefined;
}

export interface QuitPath {
  /** Starts the quit (or joins the one under way); resolves once the app is exiting. */
  request(reason: QuitReason): Promise<void>;
  state(): QuitState;
}

export function installQuitPath(deps: QuitDeps): QuitPath {
  let state: QuitState = 'running';
  let running: Promise<void> | undefined;

  const setState = (next: QuitState): void => {
    state = next;
    deps.onStateChange?.(next);
  };

  const runTeardownUntilDone = async (): Promise<number> => {
    for (;;) {
      deps.window.open();
      let failure: { remaining: TeardownResult['remaining']; error?: string };
      try {
        const result = await deps.teardown();
        if (result.ok) return 0;
        failure = { remaining: result.remaining };
        deps.logger.log('error', `quit: teardown left ${result.remaining.map((r) => `${r.profile} (${r.reason})`).join(', ')}`);
      } catch (e) {
        failure = { remaining: [], error: userMessage(e) };
        deps.logger.log('error', `quit: teardown failed: ${userMessage(e)}`);
      }
      setState('awaiting-choice');
      const choice = await deps.window.showFailure(failure);
      if (choice === 'quit-anyway') {
        deps.logger.log('warn', 'quit: the user chose to quit anyway; instances may remain (see the ledger)');
        return 1;
      }
      setState('tearing-down');
    }
  };

  const runAfterTeardown = async (reason: QuitReason): Promise<void> => {
    let task: AfterTeardownTask | undefined;
    try {
      task = deps.afterTeardown?.(reason);
    } catch (e) {
      deps.logger.log('error', `quit: could not tell what to do after the teardown: ${userMessage(e)}`);
    }
    if (!task) return;
    setState('finishing');
    try {
      deps.window.showFinishing(task.label);
    } catch (e) {
      deps.logger.log('warn', `quit: the quit window could not show "${task.label}": ${userMessage(e)}`);
    }
    const limitMs = task.timeoutMs ?? AFTER_TEARDOWN_TIMEOUT_MS;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limitMs);
    });
    deps.logger.log('info', `quit: ${task.label} (at most ${Math.round(limitMs / 1000)} s)`);
    try {
      const outcome = await Promise.race([Promise.resolve().then(() => task.run(abort.signal)).then(() => 'done' as const), timedOut]);
      if (outcome === 'timeout') {
        abort.abort();
        deps.logger.log('warn', `quit: ${task.label} did not finish in ${Math.round(limitMs / 1000)} s; exiting anyway`);
      }
    } catch (e) {
      deps.logger.log('error', `quit: ${task.label} failed: ${userMessage(e)}; exiting anyway`);
    } finally {
      clearTimeout(timer);
    }
  };

  const request = (reason: QuitReason): Promise<void> => {
    if (running) {
      deps.logger.log('info', `quit: ${reason} while ${state}; the quit under way continues`);
      return running;
    }
    deps.logger.log('info', `quit: requested by ${reason}; tearing down before exit`);
    setState('tearing-down');
    running = runTeardownUntilDone()
      .then(async (exitCode) => {
        // Only after a teardown that left nothing: "Quit anyway" exits at once.
        if (exitCode === 0) await runAfterTeardown(reason);
        return exitCode;
      })
      .catch((e: unknown) => {
        // Only the window can fail here (teardown and task errors are caught above); never hang the quit.
        deps.logger.log('error', `quit: could not show the quit window: ${userMessage(e)}`);
        return 1;
      })
      .then((exitCode) => {
        setState('exiting');
        deps.window.close();
        deps.app.exit(exitCode);
      });
    return running;
  };

  deps.app.on('before-quit', (event) => {
    if (state === 'exiting') return;
    event.preventDefault();
    void request('before-quit');
  });
  deps.signals.on('SIGTERM', () => void request('SIGTERM'));
  deps.signals.on('SIGINT', () => void request('SIGINT'));
  deps.powerMonitor?.on('shutdown', (event) => {
    event?.preventDefault?.();
    void request('shutdown');
  });

  return { request, state: () => state };
}
