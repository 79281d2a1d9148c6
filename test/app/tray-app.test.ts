// startTrayApp wired on the Electron fake: crash leftovers reaped at launch by
// the real controller against the colima simulator, and every tray action
// reaching the controller, the windows, the shell, the login item and the quit path.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTrayApp, type LoginItemPort, type TrayApp } from '../../main/app/tray-app.js';
import { TRAY_ITEM } from '../../main/app/tray-menu.js';
import { AppError } from '../../main/core/errors.js';
import { isProcessAlive } from '../../main/core/ledger.js';
import { memoryLogger } from '../../main/core/log.js';
import { createElectronFake, FakeBrowserWindow, FakeNotification, FakeTray, type ElectronFake } from '../fixtures/electron-fake.js';
import { FakeController, snapshotOf } from '../fixtures/fake-controller.js';
import { createIntegrationEnv, type IntegrationEnv } from '../fixtures/integration-env.js';
import { deadPid, ledgerEntry } from '../fixtures/ledger-entries.js';
import { FAST_TEARDOWN_TIMEOUTS, simCoreServices } from '../fixtures/sim-core-services.js';
import { trayTestOptions } from '../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

const ROOT = path.resolve('.');

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
    app = startTrayApp(
      electron,
      { controller, ledger: { list: () => [] }, isProcessAlive, logsDir: path.join(env.root, 'logs'), logger: memoryLogger() },
      trayTestOptions(path.join(env.root, 'no-lima'), { signals, platform: 'darwin' }),
    );
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
});
