// The small always-on-top window shown while quitting: one row per instance
// and its teardown step, and Retry / Quit anyway when teardown failed. Its
// page runs no script; a dedicated preload draws the state and sends back the
// choice (main/app/windows/quit-window/). Only this window's own webContents may answer.
//
// It must never trap the user: a page that crashes or fails to load is
// recreated (a few times), and when it still cannot be shown the choice is
// asked in a native dialog instead.
import type { MessageBoxOptions } from 'electron';
import { userMessage } from '../../../core/errors.js';
import type { Logger } from '../../../core/log.js';
import type { TeardownResult } from '../../../core/controller-api.js';
import type { AppSnapshot, TeardownItem } from '../../../core/model.js';
import { isQuitChoice, QUIT_WINDOW_CHOICE, QUIT_WINDOW_STATE, type QuitChoice, type QuitWindowState } from './contract.js';
import type { DialogLike } from '../../maintenance/doctor-action.js';
import { quitWindowView } from './view-model.js';
import type { SnapshotSource } from '../../tray/tray.js';
import { openSecureWindow, type BrowserWindowConstructor, type BrowserWindowLike, type SecureWindowSpec } from '../secure-window.js';

export interface QuitIpcEvent {
  readonly sender: { readonly id: number };
}

export interface IpcMainLike {
  on(channel: string, listener: (event: QuitIpcEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: QuitIpcEvent, ...args: unknown[]) => void): unknown;
}

/** What the quit path (quit/quit.ts) needs from the window. */
export interface QuitWindowPort {
  /** Shows progress (after a short delay, so an instant quit shows no window); again on Retry. */
  open(): void;
  /** Teardown succeeded; says what still runs before the exit (shown at once: it may take a while). */
  showFinishing(task: string): void;
  /** Shows what is left (or the error teardown threw) and resolves with the user's choice. */
  showFailure(failure: QuitFailure): Promise<QuitChoice>;
  /** Lets the window close and closes it. */
  close(): void;
}

export type QuitFailure = Pick<TeardownResult, 'remaining'> & { readonly error?: string };

export interface QuitWindowFiles {
  /** dist/quit-window/quit.html */
  readonly html: string;
  /** dist/quit-preload.cjs */
  readonly preload: string;
}

export interface QuitWindowDeps {
  readonly BrowserWindow: BrowserWindowConstructor;
  readonly ipcMain: IpcMainLike;
  readonly files: QuitWindowFiles;
  /** Teardown progress arrives in snapshots (AppSnapshot.teardown). */
  readonly progress: SnapshotSource;
  readonly logger: Logger;
  /** Delay before the window appears; default 300 ms. */
  readonly showDelayMs?: number;
  /** Asks Retry / Quit anyway when the window cannot be shown; without it the app quits anyway. */
  readonly dialog?: DialogLike;
  /** Whether the window's DevTools may open (unpackaged builds only). Default false. */
  readonly devTools?: boolean;
  /** How the CLI runs here; undefined where it is not installed (the failure text then never advises it). */
  readonly cliCommand?: string | undefined;
}

/** How many times a crashed or unloadable quit window is recreated before the native dialog takes over. */
export const MAX_QUIT_WINDOW_RECOVERIES = 2;

/** Chromium's net::ERR_ABORTED: a load replaced or cancelled on purpose, not a failure. */
const ERR_ABORTED = -3;

/** The native fallback for the quit window's failure view: same text, same two choices. */
export function quitFailureDialogOptions(state: QuitWindowState): MessageBoxOptions {
  const view = quitWindowView(state);
  const rows = view.rows.map((r) => `${r.profile}: ${r.step}`);
  return {
    type: 'warning',
    title: 'Quitting colima-k8s-nix',
    message: view.title,
    detail: [...rows, ...(view.warning ? ['', view.warning] : [])].join('\n'),
    buttons: ['Retry', 'Quit anyway'],
    // Escape or closing the box retries: only an explicit choice leaves a VM behind.
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

export function quitWindowSpec(files: QuitWindowFiles): SecureWindowSpec {
  return {
    html: files.html,
    preload: files.preload,
    options: {
      title: 'Quitting colima-k8s-nix',
      width: 440,
      height: 300,
      alwaysOnTop: true,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      // Closing it would not stop the teardown, only hide it: the user must see the outcome.
      closable: false,
      skipTaskbar: false,
      autoHideMenuBar: true,
    },
  };
}

function teardownItems(snapshot: AppSnapshot): readonly TeardownItem[] {
  return snapshot.teardown?.items ?? [];
}

export function createQuitWindow(deps: QuitWindowDeps): QuitWindowPort {
  let win: BrowserWindowLike | undefined;
  let state: QuitWindowState = { phase: 'tearing-down', items: teardownItems(deps.progress.snapshot()), remaining: [] };
  let allowClose = false;
  let showTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | undefined;
  let pendingChoice: ((choice: QuitChoice) => void) | undefined;
  let recoveries = 0;
  /** The window could not be shown even after recreating it: choices go through the native dialog. */
  let broken = false;

  const push = (): void => {
    if (win && !win.isDestroyed()) win.webContents.send(QUIT_WINDOW_STATE, state);
  };

  const choose = (choice: QuitChoice, via: string): void => {
    if (!pendingChoice) return;
    const resolve = pendingChoice;
    pendingChoice = undefined;
    deps.logger.log('info', `quit window: user chose ${choice} (${via})`);
    resolve(choice);
  };

  const onChoice = (event: QuitIpcEvent, choice: unknown): void => {
    if (!win || win.isDestroyed() || event.sender.id !== win.webContents.id) {
      deps.logger.log('warn', `quit window: ignored a choice from webContents ${event.sender.id}, which is not the quit window`);
      return;
    }
    if (isQuitChoice(choice)) choose(choice, 'window');
  };

  /** The window is unusable: the same question, in a native message box. */
  const askNatively = (): void => {
    if (!pendingChoice) return;
    if (!deps.dialog) {
      deps.logger.log('error', 'quit window: cannot be shown and there is no dialog to ask with; quitting anyway');
      choose('quit-anyway', 'no way to ask');
      return;
    }
    deps.dialog.showMessageBox(quitFailureDialogOptions(state)).then(
      ({ response }) => choose(response === 1 ? 'quit-anyway' : 'retry', 'dialog'),
      (e: unknown) => {
        // Nothing can ask the user: exiting beats a quit that can never end (the ledger keeps what is left).
        deps.logger.log('error', `quit window: the fallback dialog failed too (${userMessage(e)}); quitting anyway`);
        choose('quit-anyway', 'no way to ask');
      },
    );
  };

  const giveUpOnWindow = (why: string): void => {
    broken = true;
    deps.logger.log('error', `quit window: ${why}; a native dialog asks instead when a choice is needed`);
  };

  /** A crashed or unloadable page: recreate the window, a few times at most. */
  const recover = (failed: BrowserWindowLike, why: string): void => {
    if (win !== failed || allowClose) return;
    deps.logger.log('warn', `quit window: ${why}`);
    win = undefined;
    if (!failed.isDestroyed()) failed.destroy();
    if (recoveries >= MAX_QUIT_WINDOW_RECOVERIES) giveUpOnWindow(`still unusable after ${recoveries} new windows`);
    else {
      recoveries++;
      try {
        ensureWindow();
      } catch (e) {
        giveUpOnWindow(`could not be created again: ${userMessage(e)}`);
      }
    }
    // A question already on the broken window moves to the dialog.
    if (broken) askNatively();
  };

  const ensureWindow = (): BrowserWindowLike => {
    if (win && !win.isDestroyed()) return win;
    const created = openSecureWindow(deps.BrowserWindow, quitWindowSpec(deps.files), deps.logger, { devTools: deps.devTools ?? false });
    win = created;
    created.webContents.on('did-finish-load', push);
    created.webContents.on('render-process-gone', (_event, details) => recover(created, `its page went away (${details.reason})`));
    created.webContents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
      if (isMainFrame && errorCode !== ERR_ABORTED) recover(created, `its page did not load (${errorDescription}, ${errorCode})`);
    });
    created.on('close', (event) => {
      if (!allowClose) event.preventDefault();
    });
    created.on('closed', () => {
      if (win === created) win = undefined;
    });
    return created;
  };

  /** Creates the window unless it is known to be broken; a throw gives up on it. */
  const tryEnsureWindow = (): BrowserWindowLike | undefined => {
    if (broken) return undefined;
    try {
      return ensureWindow();
    } catch (e) {
      giveUpOnWindow(`could not be created: ${userMessage(e)}`);
      return undefined;
    }
  };

  const cancelShowTimer = (): void => {
    if (showTimer) clearTimeout(showTimer);
    showTimer = undefined;
  };

  return {
    open() {
      if (!unsubscribe) {
        deps.ipcMain.on(QUIT_WINDOW_CHOICE, onChoice);
        unsubscribe = deps.progress.subscribe((snapshot) => {
          state = { ...state, items: teardownItems(snapshot) };
          push();
        });
      }
      // Also called again on Retry: back to plain progress, window already shown.
      state = { phase: 'tearing-down', items: teardownItems(deps.progress.snapshot()), remaining: [] };
      if (win && !win.isDestroyed()) push();
      else if (!showTimer && !broken) {
        showTimer = setTimeout(() => {
          showTimer = undefined;
          tryEnsureWindow();
        }, deps.showDelayMs ?? 300);
      }
    },

    showFinishing(task) {
      cancelShowTimer();
      state = { phase: 'finishing', items: teardownItems(deps.progress.snapshot()), remaining: [], task };
      tryEnsureWindow();
      push();
    },

    showFailure(failure) {
      cancelShowTimer();
      state = {
        phase: 'failed',
        items: teardownItems(deps.progress.snapshot()),
        remaining: failure.remaining,
        ...(failure.error ? { error: failure.error } : {}),
        ...(deps.cliCommand ? { cliCommand: deps.cliCommand } : {}),
      };
      const choice = new Promise<QuitChoice>((resolve) => {
        pendingChoice = resolve;
      });
      const shown = tryEnsureWindow();
      if (!shown) askNatively();
      else {
        push();
        shown.show();
        shown.focus();
      }
      return choice;
    },

    close() {
      cancelShowTimer();
      unsubscribe?.();
      unsubscribe = undefined;
      deps.ipcMain.removeListener(QUIT_WINDOW_CHOICE, onChoice);
      allowClose = true;
      if (win && !win.isDestroyed()) win.close();
      win = undefined;
    },
  };
}
