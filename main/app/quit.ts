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
import type { TeardownResult } from '../core/controller-api.js';
import { userMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { QuitWindowPort } from './quit-window.js';

export type QuitReason = 'before-quit' | 'tray' | 'SIGTERM' | 'SIGINT' | 'shutdown';

export type QuitState = 'running' | 'tearing-down' | 'awaiting-choice' | 'exiting';

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

  const request = (reason: QuitReason): Promise<void> => {
    if (running) {
      deps.logger.log('info', `quit: ${reason} while ${state}; the quit under way continues`);
      return running;
    }
    deps.logger.log('info', `quit: requested by ${reason}; tearing down before exit`);
    setState('tearing-down');
    running = runTeardownUntilDone()
      .catch((e: unknown) => {
        // Only the window can fail here (teardown errors are caught above); never hang the quit.
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
