// The quit window can never trap the user: a page that crashes or fails to
// load is recreated, and when it still cannot be shown, Retry / Quit anyway is
// asked in a native dialog (Electron's dialog.showMessageBox).
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeardownResult } from '../../../main/core/controller-api.js';
import { memoryLogger, type MemoryLogger } from '../../../main/core/log.js';
import { installQuitPath } from '../../../main/app/quit/quit.js';
import { createQuitWindow, MAX_QUIT_WINDOW_RECOVERIES, quitFailureDialogOptions, type QuitWindowFiles } from '../../../main/app/windows/quit-window/quit-window.js';
import { QUIT_WINDOW_CHOICE, QUIT_WINDOW_STATE, type QuitWindowState } from '../../../main/app/windows/quit-window/contract.js';
import { createElectronFake, FakeBrowserWindow, type ElectronFake } from '../../fixtures/electron-fake.js';
import { deferred, FakeController, snapshotOf, type Deferred } from '../../fixtures/fake-controller.js';

const BUILT: QuitWindowFiles = { html: path.resolve('dist/quit-window/quit.html'), preload: path.resolve('dist/quit-preload.cjs') };
const MISSING: QuitWindowFiles = { ...BUILT, html: path.resolve('dist/quit-window/not-there.html') };
const LEFT = [{ profile: 'k8s', reason: 'colima delete failed (exit 1).' }];

let electron: ElectronFake;
let controller: FakeController;
let logger: MemoryLogger;
let teardowns: Deferred<TeardownResult>[];

const lastWindow = (): FakeBrowserWindow => {
  const win = FakeBrowserWindow.created.at(-1);
  if (!win) throw new Error('no quit window');
  return win;
};
const statesSentTo = (win: FakeBrowserWindow): QuitWindowState[] =>
  win.webContents.sent.filter((m) => m.channel === QUIT_WINDOW_STATE).map((m) => m.args[0] as QuitWindowState);

function installQuit(files: QuitWindowFiles, options: { dialog?: boolean; BrowserWindow?: typeof FakeBrowserWindow } = {}): void {
  const window = createQuitWindow({
    BrowserWindow: options.BrowserWindow ?? electron.BrowserWindow,
    ipcMain: electron.ipcMain,
    files,
    progress: controller,
    logger,
    showDelayMs: 0,
    ...(options.dialog === false ? {} : { dialog: electron.dialog }),
  });
  installQuitPath({ app: electron.app, signals: new EventEmitter(), teardown: () => controller.teardownAll(), window, logger });
}

beforeEach(() => {
  electron = createElectronFake();
  controller = new FakeController(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
  logger = memoryLogger();
  teardowns = [];
  controller.teardownImpl = () => {
    const d = deferred<TeardownResult>();
    teardowns.push(d);
    return d.promise;
  };
});

describe('a quit window whose page goes away', () => {
  it('a crash while Retry / Quit anyway is asked: a new window shows the same question and its answer counts', async () => {
    installQuit(BUILT);
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: LEFT });
    await vi.waitFor(() => expect(statesSentTo(lastWindow()).at(-1)?.phase).toBe('failed'));
    const crashed = lastWindow();

    crashed.webContents.crash('oom');
    expect(crashed.isDestroyed()).toBe(true);
    const fresh = lastWindow();
    expect(fresh).not.toBe(crashed);
    await vi.waitFor(() => expect(fresh.visible).toBe(true));
    expect(statesSentTo(fresh).at(-1)).toMatchObject({ phase: 'failed', remaining: LEFT });
    expect(logger.lines.some((l) => l.includes('its page went away (oom)'))).toBe(true);

    // The old window's webContents no longer counts; the new one's does.
    electron.ipcMain.sendFrom(crashed.webContents, QUIT_WINDOW_CHOICE, 'quit-anyway');
    await new Promise((r) => setImmediate(r));
    expect(electron.app.exitCode).toBeUndefined();
    electron.ipcMain.sendFrom(fresh.webContents, QUIT_WINDOW_CHOICE, 'retry');
    await vi.waitFor(() => expect(teardowns).toHaveLength(2));
    teardowns[1]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(electron.dialog.messageBoxes).toEqual([]);
  });

  it('a crash during the teardown recreates the progress window; the quit goes on', async () => {
    installQuit(BUILT);
    electron.app.quit();
    await vi.waitFor(() => expect(lastWindow().visible).toBe(true));
    lastWindow().webContents.crash();
    expect(FakeBrowserWindow.created).toHaveLength(2);
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(lastWindow().isDestroyed()).toBe(true);
  });

  it('an aborted load or a sub-frame failure is not a broken window', async () => {
    installQuit(BUILT);
    electron.app.quit();
    await vi.waitFor(() => expect(lastWindow().visible).toBe(true));
    lastWindow().webContents.failLoad(-3, 'ERR_ABORTED');
    lastWindow().webContents.failLoad(-6, 'ERR_FILE_NOT_FOUND', false);
    expect(FakeBrowserWindow.created).toHaveLength(1);
  });
});

describe('a quit window that cannot be shown: the native dialog asks instead', () => {
  it(`a page that never loads is recreated ${MAX_QUIT_WINDOW_RECOVERIES} times, then Retry / Quit anyway comes in a message box`, async () => {
    installQuit(MISSING);
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: LEFT });
    await vi.waitFor(() => expect(electron.dialog.messageBoxes).toHaveLength(1));
    expect(FakeBrowserWindow.created).toHaveLength(1 + MAX_QUIT_WINDOW_RECOVERIES);
    expect(FakeBrowserWindow.created.every((w) => w.isDestroyed())).toBe(true);
    const box = electron.dialog.messageBoxes[0]!;
    expect(box).toMatchObject({ type: 'warning', buttons: ['Retry', 'Quit anyway'], cancelId: 0, message: 'Some clusters could not be removed' });
    expect(box.detail).toContain('k8s: failed: colima delete failed (exit 1).');
    expect(box.detail).toContain('"Quit anyway" leaves k8s on this machine');
    // messageBoxResponse 0: Retry.
    await vi.waitFor(() => expect(teardowns).toHaveLength(2));
    expect(electron.app.exitCode).toBeUndefined();

    // The second failure asks again with the dialog (the window stays given up); Quit anyway exits with 1.
    electron.dialog.messageBoxResponse = 1;
    teardowns[1]!.resolve({ ok: false, remaining: LEFT });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
    expect(electron.dialog.messageBoxes).toHaveLength(2);
    expect(FakeBrowserWindow.created).toHaveLength(1 + MAX_QUIT_WINDOW_RECOVERIES);
  });

  it('a window that cannot even be created asks with the dialog', async () => {
    class NoDisplayWindow extends FakeBrowserWindow {
      constructor(options: ConstructorParameters<typeof FakeBrowserWindow>[0]) {
        super(options);
        throw new Error('cannot open display');
      }
    }
    installQuit(BUILT, { BrowserWindow: NoDisplayWindow });
    electron.dialog.messageBoxResponse = 1;
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: LEFT });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
    expect(electron.dialog.messageBoxes).toHaveLength(1);
    expect(logger.lines.some((l) => l.includes('could not be created: cannot open display'))).toBe(true);
  });

  it('when even the dialog fails, the app quits anyway rather than hang', async () => {
    electron.dialog.showMessageBox = () => Promise.reject(new Error('no dialog either'));
    installQuit(MISSING);
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: LEFT });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
    expect(logger.lines.some((l) => l.includes('the fallback dialog failed too (no dialog either); quitting anyway'))).toBe(true);
  });

  it('a teardown error (no per-instance rows) reads the same in the dialog as in the window', () => {
    const options = quitFailureDialogOptions({ phase: 'failed', items: [], remaining: [], error: 'ledger is locked' });
    expect(options).toMatchObject({ message: 'Teardown stopped: ledger is locked', buttons: ['Retry', 'Quit anyway'], defaultId: 0 });
    expect(options.detail).toMatch(/may leave a VM on this machine/);
  });
});
