// Folder quit/: the one quit path and the guard that refuses starts once a quit began.
//
// The one quit path. Tray "Quit", Cmd-Q, app.quit() from anywhere, SIGTERM,
// SIGINT, SIGHUP and the OS shutdown/logout event all end here:
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
// The UI is only a view of the quit: a tray redraw or a quit window that throws
// is logged and the quit goes on. The teardown always runs, and app.exit always
// happens (in a finally), whatever the UI does.
//
// After a SUCCESSFUL teardown an optional task may run before the exit (nix
// garbage collection, when the user opted in). It is bounded by a time limit
// and its failure is only logged: it can delay the exit, never prevent it. It
// never runs, and stops at once, when the system is ending the session.
import type { TeardownResult } from '../../core/controller-api.js';
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { QuitChoice } from '../windows/quit-window/contract.js';
import type { QuitWindowPort } from '../windows/quit-window/quit-window.js';

export type QuitReason = 'before-quit' | 'tray' | 'SIGTERM' | 'SIGINT' | 'SIGHUP' | 'shutdown';

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

/** What the quit path knows when it asks for the task after the teardown. */
export interface AfterTeardownContext {
  /** What started the quit. */
  readonly reason: QuitReason;
  /**
   * True when the OS is ending the session (shutdown, reboot, logout): a
   * powerMonitor 'shutdown' or a SIGHUP at any point of the quit, or a SIGTERM
   * while a quit was already under way. Nothing optional should hold it up.
   */
  readonly systemEnding: boolean;
}

export interface QuitAppLike {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  /** Exits at once: no before-quit, windows closed without asking (teardown is already done). */
  exit(exitCode?: number): void;
}

/** `process` in the app; an EventEmitter in tests (never signal the test runner). */
export interface SignalSourceLike {
  on(signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP', listener: () => void): unknown;
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
  /** Told on every state change (the tray disables its actions while quitting). A throw is logged. */
  readonly onStateChange?: (state: QuitState) => void;
  /**
   * Asked once the teardown succeeded (an opt-in may have changed meanwhile);
   * undefined: exit at once.
   */
  readonly afterTeardown?: (context: AfterTeardownContext) => AfterTeardownTask | undefined;
}

export interface QuitPath {
  /** Starts the quit (or joins the one under way); resolves once the app is exiting. */
  request(reason: QuitReason): Promise<void>;
  state(): QuitState;
  /** Calls `listener` on every state change; returns the function that stops it. */
  subscribe(listener: (state: QuitState) => void): () => void;
}

/** Reasons that mean the OS is ending the session, whenever they arrive (see AfterTeardownContext). */
function meansSystemEnding(reason: QuitReason, quitUnderWay: boolean): boolean {
  // Linux logout: the session scope gets SIGTERM then SIGHUP (systemd SendSIGHUP); a SIGTERM
  // on top of a quit already under way is the system insisting, not a user's `kill`.
  return reason === 'shutdown' || reason === 'SIGHUP' || (reason === 'SIGTERM' && quitUnderWay);
}

export function installQuitPath(deps: QuitDeps): QuitPath {
  let state: QuitState = 'running';
  let running: Promise<void> | undefined;
  let systemEnding = false;
  /** Set while the task after the teardown runs: stops it when the system ends the session. */
  let interruptTask: (() => void) | undefined;
  const listeners = new Set<(state: QuitState) => void>();

  /** UI work during the quit: a throw is logged and the quit goes on. */
  const safely = (what: string, act: () => void): void => {
    try {
      act();
    } catch (e) {
      deps.logger.log('error', `quit: ${what} failed: ${userMessage(e)}; the quit goes on`);
    }
  };

  const setState = (next: QuitState): void => {
    state = next;
    safely(`updating the tray for "${next}"`, () => deps.onStateChange?.(next));
    for (const listener of [...listeners]) safely(`telling a window about "${next}"`, () => listener(next));
  };

  const noteSystemEnding = (reason: QuitReason): void => {
    if (systemEnding || !meansSystemEnding(reason, running !== undefined)) return;
    systemEnding = true;
    deps.logger.log('info', `quit: the system is ending the session (${reason}); nothing optional runs before the exit`);
    interruptTask?.();
  };

  const askAfterFailure = async (failure: { remaining: TeardownResult['remaining']; error?: string }): Promise<QuitChoice> => {
    try {
      return await deps.window.showFailure(failure);
    } catch (e) {
      // The quit window falls back to a native dialog itself; this is only reached when even that threw.
      deps.logger.log('error', `quit: could not ask whether to retry (${userMessage(e)}); quitting anyway, the ledger keeps what is left`);
      return 'quit-anyway';
    }
  };

  const runTeardownUntilDone = async (): Promise<number> => {
    for (;;) {
      safely('showing the quit window', () => deps.window.open());
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
      const choice = await askAfterFailure(failure);
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
      task = deps.afterTeardown?.({ reason, systemEnding });
    } catch (e) {
      deps.logger.log('error', `quit: could not tell what to do after the teardown: ${userMessage(e)}`);
    }
    if (!task || systemEnding) return;
    setState('finishing');
    safely(`showing "${task.label}"`, () => deps.window.showFinishing(task.label));
    const limitMs = task.timeoutMs ?? AFTER_TEARDOWN_TIMEOUT_MS;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = new Promise<'timeout' | 'system-ending'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limitMs);
      interruptTask = () => resolve('system-ending');
    });
    deps.logger.log('info', `quit: ${task.label} (at most ${Math.round(limitMs / 1000)} s)`);
    try {
      const outcome = await Promise.race([Promise.resolve().then(() => task.run(abort.signal)).then(() => 'done' as const), stopped]);
      if (outcome === 'timeout') {
        abort.abort();
        deps.logger.log('warn', `quit: ${task.label} did not finish in ${Math.round(limitMs / 1000)} s; exiting anyway`);
      } else if (outcome === 'system-ending') {
        abort.abort();
        deps.logger.log('warn', `quit: ${task.label} stopped: the system is ending the session; exiting now`);
      }
    } catch (e) {
      deps.logger.log('error', `quit: ${task.label} failed: ${userMessage(e)}; exiting anyway`);
    } finally {
      clearTimeout(timer);
      interruptTask = undefined;
    }
  };

  const quitOnce = async (reason: QuitReason): Promise<void> => {
    let exitCode = 1;
    try {
      exitCode = await runTeardownUntilDone();
      // Only after a teardown that left nothing: "Quit anyway" exits at once.
      if (exitCode === 0) await runAfterTeardown(reason);
    } catch (e) {
      deps.logger.log('error', `quit: ${userMessage(e)}; exiting`);
    } finally {
      setState('exiting');
      safely('closing the quit window', () => deps.window.close());
      deps.app.exit(exitCode);
    }
  };

  const request = (reason: QuitReason): Promise<void> => {
    noteSystemEnding(reason);
    if (running) {
      deps.logger.log('info', `quit: ${reason} while ${state}; the quit under way continues`);
      return running;
    }
    deps.logger.log('info', `quit: requested by ${reason}; tearing down before exit`);
    let done!: () => void;
    running = new Promise<void>((resolve) => (done = resolve));
    setState('tearing-down');
    quitOnce(reason)
      .catch((e: unknown) => deps.logger.log('error', `quit: the exit itself failed: ${userMessage(e)}`))
      .finally(done);
    return running;
  };

  deps.app.on('before-quit', (event) => {
    if (state === 'exiting') return;
    event.preventDefault();
    void request('before-quit');
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) deps.signals.on(signal, () => void request(signal));
  deps.powerMonitor?.on('shutdown', (event) => {
    event?.preventDefault?.();
    void request('shutdown');
  });

  return {
    request,
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
