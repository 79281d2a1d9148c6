// startTrayApp wired on the Electron fake: crash leftovers reaped at launch by
// the real controller against the colima simulator, and every tray action
// reaching the controller, the windows, the shell, the login item and the quit path.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pickerPageUrlCheck, registerIpcHandlers } from '../../main/app/ipc/ipc.js';
import { QUIT_WINDOW_CHOICE } from '../../main/app/windows/quit-window/contract.js';
import { startTrayApp, type LoginItemPort, type TrayApp } from '../../main/app/tray-app.js';
import { TRAY_ITEM } from '../../main/app/tray/tray-menu.js';
import { AppError } from '../../main/core/errors.js';
import { isProcessAlive } from '../../main/core/ledger/ledger.js';
import { memoryLogger } from '../../main/core/log.js';
import { PICKER_CHANNELS, PICKER_STATE_EVENT, type IpcResult, type PickerState } from '../../preload/api-contract.js';
import { createElectronFake, FakeBrowserWindow, FakeMenu, FakeNotification, FakeTray, FakeWebContents, type ElectronFake } from '../fixtures/electron-fake.js';
import { FakeController, snapshotOf } from '../fixtures/fake-controller.js';
import { createIntegrationEnv, type IntegrationEnv } from '../fixtures/integration-env.js';
import { deadPid, ledgerEntry } from '../fixtures/ledger-entries.js';
import { FAST_TEARDOWN_TIMEOUTS, simCoreServices } from '../fixtures/sim-core-services.js';
import { trayTestOptions } from '../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

const ROOT = path.resolve('.');
const PICKER_HTML = path.join(ROOT, 'renderer', 'index.html');

const tray = (): FakeTray => {
  const t = FakeTray.created.at(-1);
  if (!t) throw new Error('no tray');
  return t;
};

let env: IntegrationEnv;
let electron: ElectronFake;
let app: TrayApp | undefined;

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  electron = createElectronFake();
});
afterEach(() => {
  app?.refresher.stop();
  app = undefined;
  env.cleanup();
});

describe('launch', () => {
  it('crash leftovers in the ledger are torn down at launch; an instance started by hand is left alone', async () => {
    const core = simCoreServices(env, { timeouts: FAST_TEARDOWN_TIMEOUTS });
    for (const name of ['left', 'mine']) {
      const r = await env.runColimaByHand(['start', '--profile', name, '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd']);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    // What a crash leaves: the entry written before `colima start`, owned by a process that is gone.
    core.ledger.record(ledgerEntry('left', { pid: deadPid() }));

    app = startTrayApp(
      electron,
      { controller: core.controller, ledger: core.ledger, isProcessAlive, logsDir: core.paths.logsDir, logger: memoryLogger() },
      trayTestOptions(path.join(env.colimaBase, '_lima')),
    );
    const outcome = await app.leftovers;

    expect(outcome).toMatchObject({ kind: 'reaped', profiles: ['left'], result: { ok: true, remaining: [] } });
    expect(core.ledger.list()).toEqual([]);
    const listed = await env.runColimaByHand(['list', '--json']);
    expect(listed.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { name: string }).name)).toEqual(['mine']);
    const deletes = env.colimaCalls().filter((a) => a[0] === 'delete');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toEqual(expect.arrayContaining(['--profile', 'left', '--data']));
    expect(FakeNotification.shown.map((n) => n.title)).toEqual(['Cleaning up after the last session']);
  });
});

describe('tray app wiring', () => {
  let controller: FakeController;
  let signals: EventEmitter;
  let loginEnabled: boolean;
  const loginItems: LoginItemPort = {
    get: () => ({ enabled: loginEnabled }),
    set: (on) => {
      loginEnabled = on;
      return { enabled: on, ...(on ? { message: 'macOS needs your approval' } : {}) };
    },
  };
  let ipcRegistered: number;

  const launch = (extra: { loginItems?: LoginItemPort; storeRecoveryMessage?: string } = {}): TrayApp => {
    ipcRegistered = 0;
    app = startTrayApp(
      electron,
      { controller, ledger: { list: () => [] }, isProcessAlive, logsDir: path.join(env.root, 'logs'), logger: memoryLogger(), ...extra },
      trayTestOptions(path.join(env.root, 'no-lima'), { signals, registerPickerIpc: () => void ipcRegistered++ }),
    );
    return app;
  };
  /** As launched on macOS (no Dock icon; a minimal application menu). */
  const launchOnMacOS = (): TrayApp => {
    app = startTrayApp(
      electron,
      { controller, ledger: { list: () => [] }, isProcessAlive, logsDir: path.join(env.root, 'logs'), logger: memoryLogger() },
      trayTestOptions(path.join(env.root, 'no-lima'), { signals, platform: 'darwin' }),
    );
    return app;
  };
  /** Ends the app `launch()` started and launches a fresh one, on a fresh Electron fake, as on macOS. */
  const relaunchOnMacOS = (): TrayApp => {
    app!.refresher.stop();
    electron = createElectronFake();
    return launchOnMacOS();
  };

  beforeEach(() => {
    controller = new FakeController(snapshotOf());
    signals = new EventEmitter();
    loginEnabled = false;
  });

  it('creates no window at launch, keeps running when windows close, registers the picker IPC, hardens the session', async () => {
    launch();
    await app!.leftovers;
    expect(FakeBrowserWindow.created).toHaveLength(0);
    expect(electron.app.listenerCount('window-all-closed')).toBe(1);
    expect(electron.app.listenerCount('before-quit')).toBe(1);
    expect(ipcRegistered).toBe(1);
    expect(electron.session.defaultSession.requestHandler).not.toBeNull();
    expect(controller.refreshCalls).toBe(1); // colima's state read once at launch
  });

  it('"Profiles…" and a second launch open the one picker window, lazily', () => {
    launch();
    tray().contextMenu().click(TRAY_ITEM.openProfiles);
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(FakeBrowserWindow.created[0]!.loadedFile).toBe(path.join(ROOT, 'renderer', 'index.html'));
    electron.app.emit('second-instance');
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(FakeBrowserWindow.created[0]!.focusCalls).toBe(1);
  });

  it('on macOS (no Dock icon) opening the picker brings the app forward', () => {
    launchOnMacOS();
    expect(electron.app.focusCalls).toEqual([]);
    tray().contextMenu().click(TRAY_ITEM.openProfiles);
    expect(electron.app.focusCalls).toEqual([{ steal: true }]);
    expect(tray().image.path).toMatch(/tray-stoppedTemplate\.png$/);
  });

  it('"Show logs" opens the logs folder (created if missing); a failure is notified', async () => {
    launch();
    tray().contextMenu().click(TRAY_ITEM.showLogs);
    expect(electron.shell.opened).toEqual([path.join(env.root, 'logs')]);
    expect(existsSync(path.join(env.root, 'logs'))).toBe(true);
    electron.shell.openPathResult = 'No application is registered for folders';
    tray().contextMenu().click(TRAY_ITEM.showLogs);
    await vi.waitFor(() => expect(FakeNotification.shown.map((n) => n.title)).toContain('Could not open the logs folder'));
  });

  it('"Start at login" shows the real state and changes it, passing on what the OS says', () => {
    launch({ loginItems });
    expect(tray().contextMenu().item(TRAY_ITEM.startAtLogin).checked).toBe(false);
    tray().contextMenu().click(TRAY_ITEM.startAtLogin);
    expect(loginEnabled).toBe(true);
    expect(tray().contextMenu().item(TRAY_ITEM.startAtLogin).checked).toBe(true);
    expect(FakeNotification.shown.map((n) => `${n.title}: ${n.body}`)).toEqual(['Start at login: macOS needs your approval']);
  });

  it('the toggle calls the controller; a failure is notified, a cancelled start is not', async () => {
    launch();
    controller.actionImpl = async () => {
      throw new AppError('BUSY', '"k8s" is stopping; wait until that has finished and try again.');
    };
    tray().contextMenu().click(TRAY_ITEM.toggle);
    await vi.waitFor(() => expect(FakeNotification.shown).toHaveLength(1));
    expect(FakeNotification.shown[0]!.title).toBe('Could not start k8s');
    controller.actionImpl = async () => {
      throw new AppError('CANCELLED', 'colima start was cancelled.');
    };
    tray().contextMenu().click(TRAY_ITEM.toggle);
    await new Promise((r) => setImmediate(r));
    expect(controller.calls).toEqual(['toggleActive', 'toggleActive']);
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('a damaged settings file is reported once at launch', () => {
    launch({ storeRecoveryMessage: 'The settings file was damaged; a copy is at /x.bak' });
    expect(FakeNotification.shown.map((n) => n.body)).toEqual(['The settings file was damaged; a copy is at /x.bak']);
  });

  it('tray Quit runs the quit path: the menu says Quitting…, refreshing stops, the app exits after teardown', async () => {
    let finish!: () => void;
    controller.teardownImpl = () => new Promise((resolve) => (finish = () => resolve({ ok: true, remaining: [] })));
    launch();
    await app!.leftovers;
    tray().contextMenu().click(TRAY_ITEM.quit);
    expect(tray().contextMenu().item(TRAY_ITEM.quit)).toMatchObject({ label: 'Quitting…', enabled: false });
    expect(() => tray().contextMenu().click(TRAY_ITEM.quit)).toThrow(/disabled/);
    signals.emit('SIGTERM');
    expect(controller.teardownCalls).toBe(1);
    // No `colima list` while tearing down: the controller reports every step itself.
    electron.powerMonitor.emit('resume');
    await app!.refresher.whenIdle();
    expect(controller.refreshCalls).toBe(1);
    finish();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('waking from sleep refreshes the state', async () => {
    launch();
    await app!.leftovers;
    electron.powerMonitor.emit('resume');
    await app!.refresher.whenIdle();
    expect(controller.refreshCalls).toBe(2);
  });

  it('macOS: opening the app again (activate, not second-instance) opens the picker; elsewhere nothing listens', async () => {
    launch();
    expect(electron.app.listenerCount('activate')).toBe(0);
    relaunchOnMacOS();
    await app!.leftovers;
    electron.app.emit('activate', {}, false);
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(electron.app.focusCalls).toEqual([{ steal: true }]);
  });

  it('macOS: the activate sent while the app launches (first launch, login item) opens no window; one after the launch does', async () => {
    launchOnMacOS();
    // Electron: "activate" is emitted on the first launch too; the launch cleanup and first state read are still running.
    electron.app.emit('activate', {}, false);
    await app!.leftovers;
    expect(FakeBrowserWindow.created).toHaveLength(0);
    expect(electron.app.focusCalls).toEqual([]);
    electron.app.emit('activate', {}, false);
    expect(FakeBrowserWindow.created).toHaveLength(1);
  });

  it('a failed start: "Show details…" opens that start\'s own log (the whole error); a failure to open is notified with Electron\'s text', async () => {
    launch();
    await app!.leftovers;
    const message = 'colima start failed (exit 1). The whole story is in the log: see "/Applications/Colima K8s Nix.app/Contents/Resources/x".';
    controller.actionImpl = async () => {
      controller.publish(snapshotOf({ instances: { k8s: { phase: 'error', error: { message, logTail: [] } } } }));
      throw new AppError('COMMAND_FAILED', message);
    };
    tray().contextMenu().click(TRAY_ITEM.toggle);
    await vi.waitFor(() => expect(tray().contextMenu().has(TRAY_ITEM.showDetails)).toBe(true));
    expect(tray().contextMenu().shown(TRAY_ITEM.status)).toBe('k8s: Error — colima start failed (exit 1).');
    tray().contextMenu().click(TRAY_ITEM.showDetails);
    const opened = electron.shell.opened.at(-1)!;
    expect(path.dirname(opened)).toBe(path.join(env.root, 'logs'));
    expect(path.basename(opened)).toMatch(/start-k8s/);
    electron.shell.openPathResult = 'Failed to open path';
    tray().contextMenu().click(TRAY_ITEM.showDetails);
    await vi.waitFor(() => expect(FakeNotification.shown.map((n) => `${n.title}: ${n.body}`)).toContain(`Could not open the log: Failed to open path\n${opened}`));
  });

  it('leftovers the launch could not remove: "Delete leftovers" in the tray and a click on the notice tear them down again; no CLI advised', async () => {
    app = startTrayApp(
      electron,
      {
        controller,
        ledger: { list: () => [{ profile: 'dev', pid: deadPid(), owner: 'tray', state: 'started' }] },
        isProcessAlive,
        logsDir: path.join(env.root, 'logs'),
        logger: memoryLogger(),
      },
      trayTestOptions(path.join(env.root, 'no-lima'), { signals }),
    );
    controller.teardownImpl = async () => ({ ok: false, remaining: [{ profile: 'dev', reason: 'colima delete failed (exit 1).' }] });
    await app.leftovers;
    const notice = FakeNotification.shown.at(-1)!;
    expect(notice.title).toBe('Some leftover clusters could not be removed');
    expect(notice.body).not.toContain('colima-k8s');
    expect(tray().contextMenu().shown(TRAY_ITEM.deleteLeftovers)).toBe('Delete leftovers (dev)');
    // The notice's click is the same action.
    notice.emit('click');
    await vi.waitFor(() => expect(controller.teardownCalls).toBe(2));
    controller.teardownImpl = async () => ({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(tray().contextMenu().item(TRAY_ITEM.deleteLeftovers).enabled).not.toBe(false));
    tray().contextMenu().click(TRAY_ITEM.deleteLeftovers);
    await vi.waitFor(() => expect(tray().contextMenu().has(TRAY_ITEM.deleteLeftovers)).toBe(false));
    expect(controller.teardownCalls).toBe(3);
  });

  it('no default menu: none at all on Linux, a minimal one without View/DevTools on macOS (Cmd-C/V and Cmd-Q need it)', () => {
    launch();
    expect(FakeMenu.applicationMenu()).toBeNull();
    relaunchOnMacOS();
    const menu = FakeMenu.applicationMenu();
    expect(menu).toBeInstanceOf(FakeMenu);
    expect(menu!.roles()).toEqual(expect.arrayContaining(['appMenu', 'editMenu', 'close']));
    for (const role of ['viewMenu', 'toggleDevTools', 'reload', 'forceReload']) expect(menu!.roles()).not.toContain(role);
  });

  it('DevTools only in an unpackaged build, for the picker and the quit window alike', async () => {
    electron.app.isPackaged = true;
    let finish!: () => void;
    controller.teardownImpl = () => new Promise((resolve) => (finish = () => resolve({ ok: true, remaining: [] })));
    launch();
    tray().contextMenu().click(TRAY_ITEM.openProfiles);
    void app!.quit.request('tray');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(2));
    expect(FakeBrowserWindow.created.map((w) => w.options.webPreferences?.devTools)).toEqual([false, false]);
    finish();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));

    app!.refresher.stop();
    electron = createElectronFake();
    launch();
    tray().contextMenu().click(TRAY_ITEM.openProfiles);
    expect(FakeBrowserWindow.created[0]!.options.webPreferences?.devTools).toBe(true);
  });
});

describe('nothing starts once a quit has begun, for the whole quit', () => {
  let controller: FakeController;
  let signals: EventEmitter;
  let page: FakeWebContents;
  let finishTeardown: (result: { ok: boolean; remaining: { profile: string; reason: string }[] }) => void;

  const invoke = (channel: string, ...args: unknown[]) => electron.ipcMain.invoke(channel, page, ...args) as Promise<IpcResult<unknown>>;
  const lastPushed = (): PickerState => page.sent.filter((m) => m.channel === PICKER_STATE_EVENT).at(-1)!.args[0] as PickerState;

  beforeEach(async () => {
    controller = new FakeController(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    controller.teardownImpl = () => new Promise((resolve) => (finishTeardown = resolve));
    signals = new EventEmitter();
    page = new FakeWebContents();
    page.url = pathToFileURL(PICKER_HTML).href;
    app = startTrayApp(
      electron,
      { controller, ledger: { list: () => [] }, isProcessAlive, logsDir: path.join(env.root, 'logs'), logger: memoryLogger() },
      trayTestOptions(path.join(env.root, 'no-lima'), {
        signals,
        // As main/index.ts registers it.
        registerPickerIpc: (guarded, quit) => void registerIpcHandlers(electron.ipcMain, guarded, { isTrustedSender: pickerPageUrlCheck(PICKER_HTML), quit }),
      }),
    );
    await app.leftovers;
    expect(await invoke(PICKER_CHANNELS.subscribeState)).toEqual({ ok: true, value: null });
  });

  it('after a failed teardown, while Retry / Quit anyway is asked: the picker refuses starts, the tray disables Start and Profiles…, Retry still works', async () => {
    tray().contextMenu().click(TRAY_ITEM.quit);
    expect(lastPushed().quitting).toBe(true);
    finishTeardown({ ok: false, remaining: [{ profile: 'k8s', reason: 'colima delete failed (exit 1).' }] });
    await vi.waitFor(() => expect(app!.quit.state()).toBe('awaiting-choice'));
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'stopped' } } }));
    expect(lastPushed()).toMatchObject({ quitting: true, snapshot: { instances: { k8s: { phase: 'stopped' } } } });

    for (const [channel, args] of [
      [PICKER_CHANNELS.startProfile, [{ name: 'k8s' }]],
      [PICKER_CHANNELS.restartProfile, [{ name: 'k8s' }]],
    ] as const) {
      const result = await invoke(channel, ...args);
      expect(result).toMatchObject({ ok: false, error: { code: 'BUSY' } });
      if (!result.ok) expect(result.error.message).toMatch(/^Quitting: .*Retry or Quit anyway/);
    }
    expect(controller.calls.filter((c) => c.startsWith('start') || c.startsWith('stop'))).toEqual([]);

    const menu = tray().contextMenu();
    expect(menu.item(TRAY_ITEM.toggle)).toMatchObject({ label: 'Start k8s', enabled: false });
    expect(menu.item(TRAY_ITEM.openProfiles).enabled).toBe(false);
    // A second launch (or a Linux tray click) opens no picker either.
    electron.app.emit('second-instance');
    expect(FakeBrowserWindow.created.filter((w) => w.loadedFile === PICKER_HTML)).toHaveLength(0);

    // The quit window's Retry still tears down, and the app exits.
    const quitWindow = FakeBrowserWindow.created.at(-1)!;
    electron.ipcMain.sendFrom(quitWindow.webContents, QUIT_WINDOW_CHOICE, 'retry');
    await vi.waitFor(() => expect(controller.teardownCalls).toBe(2));
    finishTeardown({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('a stale tray click cannot start through the app\'s controller either', async () => {
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'stopped' } } }));
    signals.emit('SIGTERM');
    // The menu item is disabled; its handler, if a stale menu still called it, is refused too.
    const toggle = tray().contextMenu().item(TRAY_ITEM.toggle);
    expect(toggle.enabled).toBe(false);
    toggle.click!({} as Electron.MenuItem, undefined, {} as Electron.KeyboardEvent);
    await vi.waitFor(() => expect(FakeNotification.shown.map((n) => n.body)).toEqual([expect.stringMatching(/^Quitting: /)]));
    expect(controller.calls).toEqual(['teardownAll']);
    finishTeardown({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });
});
