// The one quit path: every way out (before-quit, tray Quit, SIGTERM, SIGINT,
// OS shutdown) cancels the quit, shows the quit window, runs teardownAll and
// exits only after it; a second request joins; a failure asks Retry / Quit anyway.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeardownResult } from '../../../main/core/controller-api.js';
import { memoryLogger } from '../../../main/core/log.js';
import { installQuitPath, type AfterTeardownTask, type QuitPath } from '../../../main/app/quit/quit.js';
import { createQuitWindow } from '../../../main/app/windows/quit-window/quit-window.js';
import { QUIT_WINDOW_CHOICE, QUIT_WINDOW_STATE, type QuitWindowState } from '../../../main/app/windows/quit-window/contract.js';
import { quitWindowView } from '../../../main/app/windows/quit-window/view-model.js';
import { createElectronFake, FakeBrowserWindow, type ElectronFake } from '../../fixtures/electron-fake.js';
import { deferred, FakeController, snapshotOf, type Deferred } from '../../fixtures/fake-controller.js';

// The built page (npm run build): the fake, like Electron, fails to load a missing file.
const FILES = { html: path.resolve('dist/quit-window/quit.html'), preload: path.resolve('dist/quit-preload.cjs') };
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('the quit path', () => {
  let electron: ElectronFake;
  let controller: FakeController;
  let signals: EventEmitter;
  let quit: QuitPath;
  let teardowns: Deferred<TeardownResult>[];
  const logger = memoryLogger();

  const quitWindow = (): FakeBrowserWindow => {
    const win = FakeBrowserWindow.created.at(-1);
    if (!win) throw new Error('no quit window was opened');
    return win;
  };
  const lastState = (): QuitWindowState => {
    const sent = quitWindow().webContents.sent.filter((m) => m.channel === QUIT_WINDOW_STATE);
    const last = sent.at(-1);
    if (!last) throw new Error('the quit window got no state');
    return last.args[0] as QuitWindowState;
  };

  const install = (showDelayMs = 0, afterTeardown?: () => AfterTeardownTask | undefined): void => {
    quit = installQuitPath({
      ...(afterTeardown ? { afterTeardown } : {}),
      app: electron.app,
      signals,
      powerMonitor: electron.powerMonitor,
      teardown: () => controller.teardownAll(),
      window: createQuitWindow({ BrowserWindow: electron.BrowserWindow, ipcMain: electron.ipcMain, files: FILES, progress: controller, logger, showDelayMs }),
      logger,
    });
  };

  beforeEach(() => {
    electron = createElectronFake();
    controller = new FakeController(snapshotOf({ instances: { k8s: { phase: 'running' }, dev: { phase: 'running' } } }));
    signals = new EventEmitter();
    teardowns = [];
    controller.teardownImpl = () => {
      const d = deferred<TeardownResult>();
      teardowns.push(d);
      return d.promise;
    };
    install();
  });

  afterEach(() => vi.useRealTimers());

  it('before-quit is prevented while teardown runs; the app exits only after it, with progress shown', async () => {
    electron.app.quit();
    expect(electron.app.quitCompleted).toBe(false);
    expect(controller.teardownCalls).toBe(1);
    expect(quit.state()).toBe('tearing-down');
    await vi.waitFor(() => expect(quitWindow().visible).toBe(true));
    expect(quitWindow().options).toMatchObject({ alwaysOnTop: true, closable: false, resizable: false });

    controller.publish(
      snapshotOf({ teardown: { running: true, items: [{ profile: 'k8s', step: 'stopping' }, { profile: 'dev', step: 'deleting' }] } }),
    );
    expect(quitWindowView(lastState()).rows).toEqual([
      { profile: 'k8s', step: 'stopping…', tone: 'busy' },
      { profile: 'dev', step: 'deleting…', tone: 'busy' },
    ]);
    controller.publish(snapshotOf({ teardown: { running: true, items: [{ profile: 'k8s', step: 'done' }, { profile: 'dev', step: 'deleting' }] } }));
    expect(lastState().items[0]).toEqual({ profile: 'k8s', step: 'done' });
    // The window cannot be closed while the teardown runs.
    quitWindow().close();
    expect(quitWindow().isDestroyed()).toBe(false);
    await flush();
    expect(electron.app.exitCode).toBeUndefined();

    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(quit.state()).toBe('exiting');
    expect(quitWindow().isDestroyed()).toBe(true);
    expect(controller.teardownCalls).toBe(1);
  });

  it('a second quit request (Cmd-Q again, SIGTERM, tray Quit) neither aborts nor restarts the teardown', async () => {
    electron.app.quit();
    electron.app.quit();
    signals.emit('SIGTERM');
    signals.emit('SIGINT');
    expect(electron.powerMonitor.emitShutdown()).toBe(true);
    const joined = quit.request('tray');
    await flush();
    expect(controller.teardownCalls).toBe(1);
    expect(electron.app.quitCalls).toBe(2);
    expect(electron.app.quitCompleted).toBe(false);
    expect(electron.app.exitCode).toBeUndefined();

    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await joined;
    expect(electron.app.exitCode).toBe(0);
    expect(controller.teardownCalls).toBe(1);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s goes through the same path: teardown, then exit', async (signal) => {
    signals.emit(signal);
    expect(controller.teardownCalls).toBe(1);
    await flush();
    expect(electron.app.exitCode).toBeUndefined();
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(logger.lines.some((l) => l.includes(`requested by ${signal}`))).toBe(true);
  });

  it('the OS shutdown event is delayed (preventDefault) until teardown has finished', async () => {
    expect(electron.powerMonitor.emitShutdown()).toBe(true);
    expect(controller.teardownCalls).toBe(1);
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('a failed teardown says what is left and offers Retry; Retry tears down again, then exits', async () => {
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'dev', reason: 'colima delete failed (exit 1).' }] });
    await vi.waitFor(() => expect(lastState().phase).toBe('failed'));
    expect(quit.state()).toBe('awaiting-choice');
    const view = quitWindowView(lastState());
    expect(view.showChoices).toBe(true);
    expect(view.rows).toContainEqual({ profile: 'dev', step: 'failed: colima delete failed (exit 1).', tone: 'failed' });
    expect(view.warning).toMatch(/leaves dev on this machine/);
    expect(electron.app.exitCode).toBeUndefined();

    electron.ipcMain.sendFrom(quitWindow().webContents, QUIT_WINDOW_CHOICE, 'retry');
    await vi.waitFor(() => expect(controller.teardownCalls).toBe(2));
    expect(lastState().phase).toBe('tearing-down');
    teardowns[1]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('the failure text offers the buttons and the next launch, never a CLI the installed app lacks; the CLI only where it runs', async () => {
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'dev', reason: 'colima delete failed (exit 1).' }] });
    await vi.waitFor(() => expect(lastState().phase).toBe('failed'));
    const warning = quitWindowView(lastState()).warning!;
    expect(warning).toContain('"Retry" tries again');
    expect(warning).toContain('starting the app again');
    expect(warning).not.toMatch(/colima-k8s|down`/);

    // Development: createQuitWindow is told how the CLI runs here, and the text names it.
    const withCli = quitWindowView({ ...lastState(), cliCommand: 'colima-k8s' });
    expect(withCli.warning).toMatch(/, or `colima-k8s down` in a terminal\.$/);
    const win = createQuitWindow({ BrowserWindow: electron.BrowserWindow, ipcMain: electron.ipcMain, files: FILES, progress: controller, logger, showDelayMs: 0, cliCommand: 'colima-k8s' });
    void win.showFailure({ remaining: [{ profile: 'dev', reason: 'x' }] });
    expect(lastState()).toMatchObject({ phase: 'failed', cliCommand: 'colima-k8s' });
  });

  it('"Quit anyway" exits (code 1) leaving the VM, after warning about it', async () => {
    signals.emit('SIGTERM');
    teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'k8s', reason: 'stop did not finish' }] });
    await vi.waitFor(() => expect(lastState().phase).toBe('failed'));
    expect(quitWindowView(lastState()).warning).toMatch(/"Quit anyway" leaves k8s on this machine, still using CPU, memory and disk/);
    electron.ipcMain.sendFrom(quitWindow().webContents, QUIT_WINDOW_CHOICE, 'quit-anyway');
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
    expect(controller.teardownCalls).toBe(1);
    expect(logger.lines.some((l) => l.includes('quit anyway'))).toBe(true);
  });

  it('a choice from any other webContents, or a malformed one, is ignored', async () => {
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'k8s', reason: 'x' }] });
    await vi.waitFor(() => expect(lastState().phase).toBe('failed'));
    const intruder = new FakeBrowserWindow({});
    electron.ipcMain.sendFrom(intruder.webContents, QUIT_WINDOW_CHOICE, 'quit-anyway');
    electron.ipcMain.sendFrom(quitWindow().webContents, QUIT_WINDOW_CHOICE, 'rm -rf');
    electron.ipcMain.sendFrom(quitWindow().webContents, QUIT_WINDOW_CHOICE, { choice: 'quit-anyway' });
    await flush();
    expect(electron.app.exitCode).toBeUndefined();
    expect(quit.state()).toBe('awaiting-choice');
  });

  it('a teardown that throws is shown as an error with the same two choices', async () => {
    electron.app.quit();
    teardowns[0]!.reject(new Error('ledger is locked'));
    await vi.waitFor(() => expect(lastState().phase).toBe('failed'));
    expect(quitWindowView(lastState())).toMatchObject({ title: 'Teardown stopped: ledger is locked', showChoices: true });
    electron.ipcMain.sendFrom(quitWindow().webContents, QUIT_WINDOW_CHOICE, 'quit-anyway');
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
  });

  it('a quit with nothing to tear down exits without flashing a window', async () => {
    vi.useFakeTimers();
    electron = createElectronFake();
    install(300);
    controller.teardownImpl = async () => ({ ok: true, remaining: [] });
    electron.app.quit();
    await vi.advanceTimersByTimeAsync(0);
    expect(electron.app.exitCode).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  describe('a last task after a successful teardown (GC after quit)', () => {
    let asked: number;
    let runs: AbortSignal[];
    let task: Deferred<void>;
    const installWithTask = (timeoutMs?: number, enabled = true): void => {
      // A fresh app and signal source: the quit path installed by beforeEach must not answer too.
      electron = createElectronFake();
      signals = new EventEmitter();
      asked = 0;
      runs = [];
      task = deferred<void>();
      install(0, () => {
        asked++;
        if (!enabled) return undefined;
        return {
          label: 'Collecting nix garbage…',
          run: (signal) => {
            runs.push(signal);
            return task.promise;
          },
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        };
      });
    };

    it('runs after the teardown succeeded, shows its line in the quit window, and the exit waits for it', async () => {
      installWithTask();
      electron.app.quit();
      await flush();
      expect(runs).toHaveLength(0); // not before the teardown
      teardowns[0]!.resolve({ ok: true, remaining: [] });
      await vi.waitFor(() => expect(runs).toHaveLength(1));
      expect(quit.state()).toBe('finishing');
      expect(lastState()).toMatchObject({ phase: 'finishing', task: 'Collecting nix garbage…' });
      expect(quitWindowView(lastState())).toMatchObject({ title: 'Collecting nix garbage… The app exits when it is done.', showChoices: false });
      // A second quit request by the user joins; it neither exits early nor runs the task again.
      signals.emit('SIGINT');
      void quit.request('tray');
      await flush();
      expect(electron.app.exitCode).toBeUndefined();
      task.resolve();
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
      expect(runs).toHaveLength(1);
      expect(quitWindow().isDestroyed()).toBe(true);
    });

    it('never runs when the user quits anyway after a failed teardown', async () => {
      installWithTask();
      electron.app.quit();
      teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'k8s', reason: 'stop did not finish' }] });
      await vi.waitFor(() => expect(lastState().phase).toBe('failed'));
      electron.ipcMain.sendFrom(quitWindow().webContents, QUIT_WINDOW_CHOICE, 'quit-anyway');
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
      expect(asked).toBe(0);
      expect(runs).toHaveLength(0);
    });

    it('runs once a Retry has made the teardown succeed', async () => {
      installWithTask();
      electron.app.quit();
      teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'k8s', reason: 'x' }] });
      await vi.waitFor(() => expect(lastState().phase).toBe('failed'));
      expect(runs).toHaveLength(0);
      electron.ipcMain.sendFrom(quitWindow().webContents, QUIT_WINDOW_CHOICE, 'retry');
      await vi.waitFor(() => expect(controller.teardownCalls).toBe(2));
      teardowns[1]!.resolve({ ok: true, remaining: [] });
      await vi.waitFor(() => expect(runs).toHaveLength(1));
      task.resolve();
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    });

    it('a failing task is logged and the app still exits with 0', async () => {
      installWithTask();
      electron.app.quit();
      teardowns[0]!.resolve({ ok: true, remaining: [] });
      await vi.waitFor(() => expect(runs).toHaveLength(1));
      task.reject(new Error('nix-store --gc: lock held'));
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
      expect(logger.lines).toContain('error quit: Collecting nix garbage… failed: nix-store --gc: lock held; exiting anyway');
    });

    it('a task that hangs is aborted at its time limit and the app exits', async () => {
      vi.useFakeTimers();
      installWithTask(120_000);
      electron.app.quit();
      teardowns[0]!.resolve({ ok: true, remaining: [] });
      await vi.advanceTimersByTimeAsync(0);
      expect(runs).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(119_000);
      expect(electron.app.exitCode).toBeUndefined();
      expect(runs[0]!.aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(electron.app.exitCode).toBe(0);
      expect(runs[0]!.aborted).toBe(true);
      expect(logger.lines).toContain('warn quit: Collecting nix garbage… did not finish in 120 s; exiting anyway');
    });

    it('when the opt-in is off, the app exits right after the teardown', async () => {
      installWithTask(undefined, false);
      electron.app.quit();
      teardowns[0]!.resolve({ ok: true, remaining: [] });
      await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
      expect(asked).toBe(1);
      expect(runs).toHaveLength(0);
      expect(quit.state()).toBe('exiting');
    });
  });
});
