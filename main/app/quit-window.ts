// The small always-on-top window shown while quitting: one row per instance
// and its teardown step, and Retry / Quit anyway when teardown failed. Its
// page runs no script; a dedicated preload draws the state and sends back the
// choice (main/app/quit-window/). Only this window's own webContents may answer.
import type { Logger } from '../core/log.js';
import type { TeardownResult } from '../core/controller-api.js';
import type { AppSnapshot, TeardownItem } from '../core/model.js';
import { isQuitChoice, QUIT_WINDOW_CHOICE, QUIT_WINDOW_STATE, type QuitChoice, type QuitWindowState } from './quit-window/contract.js';
import type { SnapshotSource } from './tray.js';
import { openSecureWindow, type BrowserWindowConstructor, type BrowserWindowLike, type SecureWindowSpec } from './windows.js';

export interface QuitIpcEvent {
  readonly sender: { readonly id: number };
}

export interface IpcMainLike {
  on(channel: string, listener: (event: QuitIpcEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: QuitIpcEvent, ...args: unknown[]) => void): unknown;
}

/** What the quit path (quit.ts) needs from the window. */
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

  const push = (): void => {
    if (win && !win.isDestroyed()) win.webContents.send(QUIT_WINDOW_STATE, state);
  };

  const onChoice = (event: QuitIpcEvent, choice: unknown): void => {
    if (!win || win.isDestroyed() || event.sender.id !== win.webContents.id) {
      deps.logger.log('warn', `quit window: ignored a choice from webContents ${event.sender.id}, which is not the quit window`);
      return;
    }
    if (!isQuitChoice(choice) || !pendingChoice) return;
    const resolve = pendingChoice;
    pendingChoice = undefined;
    deps.logger.log('info', `quit window: user chose ${choice}`);
    resolve(choice);
  };

  const ensureWindow = (): BrowserWindowLike => {
    if (win && !win.isDestroyed()) return win;
    const created = openSecureWindow(deps.BrowserWindow, quitWindowSpec(deps.files), deps.logger);
    created.webContents.on('did-finish-load', push);
    created.on('close', (event) => {
      if (!allowClose) event.preventDefault();
    });
    created.on('closed', () => {
      if (win === created) win = undefined;
    });
    win = created;
    return created;
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
      else if (!showTimer) {
        showTimer = setTimeout(() => {
          showTimer = undefined;
          ensureWindow();
        }, deps.showDelayMs ?? 300);
      }
    },

    showFinishing(task) {
      if (showTimer) clearTimeout(showTimer);
      showTimer = undefined;
      state = { phase: 'finishing', items: teardownItems(deps.progress.snapshot()), remaining: [], task };
      ensureWindow();
      push();
    },

    showFailure(failure) {
      if (showTimer) clearTimeout(showTimer);
      showTimer = undefined;
      state = {
        phase: 'failed',
        items: teardownItems(deps.progress.snapshot()),
        remaining: failure.remaining,
        ...(failure.error ? { error: failure.error } : {}),
      };
      const shown = ensureWindow();
      push();
      shown.show();
      shown.focus();
      return new Promise<QuitChoice>((resolve) => {
        pendingChoice = resolve;
      });
    },

    close() {
      if (showTimer) clearTimeout(showTimer);
      showTimer = undefined;
      unsubscribe?.();
      unsubscribe = undefined;
      deps.ipcMain.removeListener(QUIT_WINDOW_CHOICE, onChoice);
      allowClose = true;
      if (win && !win.isDestroyed()) win.close();
      win = undefined;
    },
  };
}
