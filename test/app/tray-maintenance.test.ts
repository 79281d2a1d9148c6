// The issue-6 tray items wired by startTrayApp on the Electron fake, with the
// real settings file (electron-store in a temp app home) and fakes for the
// doctor, the GC and the terminal: each item calls its service, the menu
// follows their state, the first-launch doctor runs once, the start-at-launch
// opt-in starts the active profile, and the GC after quit never blocks the exit.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTrayApp, type LoginItemPort, type MaintenancePort, type TrayApp, type TrayAppCore, type TrayAppOptions } from '../../main/app/tray-app.js';
import type { WatchFolder } from '../../main/app/refresh.js';
import { TRAY_ITEM } from '../../main/app/tray/tray-menu.js';
import type { DoctorReport, Finding } from '../../main/core/doctor/index.js';
import { AppError } from '../../main/core/errors.js';
import { memoryLogger, type Logger } from '../../main/core/log.js';
import type { GcReport } from '../../main/core/maintenance/gc.js';
import { latestLogFile } from '../../main/core/maintenance/logs.js';
import { openProfileStore, type SettingsStore } from '../../main/core/profiles/store.js';
import { createElectronFake, FakeBrowserWindow, FakeNotification, FakeTray, type ElectronFake, type FakeMenu } from '../fixtures/electron-fake.js';
import { deferred, FakeController, snapshotOf, type Deferred } from '../fixtures/fake-controller.js';
import { createIntegrationEnv, type IntegrationEnv } from '../fixtures/integration-env.js';
import { trayTestOptions } from '../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

const ROOT = path.resolve('.');
/** colima's folder is never watched here: refreshes come from the launch only. */
const noWatch: WatchFolder = () => ({ close() {}, on: () => undefined });

function finding(severity: Finding['severity'], title: string): Finding {
  return { id: `test.${title}`, checkId: 'test', category: 'tools', severity, title, explanation: `Why ${title} matters.`, fix: `fix ${title}` };
}

function reportWith(findings: Finding[]): DoctorReport {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    formatVersion: 1,
    generatedAt: '2026-08-21T10:00:00.000Z',
    platform: 'linux',
    checks: [{ id: 'test', category: 'tools', title: 'A test check', status: findings.length ? 'findings' : 'passed', durationMs: 1 }],
    findings,
    counts,
  };
}

const GC_REPORT: GcReport = { steps: [], pathsDeleted: 12, bytesFreed: 3 * 2 ** 20, generationsRemoved: 0, keptRoots: ['/app/nix/roots/a'], releasedRoots: [] };

/** A scriptable MaintenancePort: records calls, lets the test decide when and how each ends. */
class FakeMaintenance implements MaintenancePort {
  doctorRuns = 0;
  gcRuns: AbortSignal[] = [];
  terminalRuns = 0;
  doctorReport = reportWith([]);
  gcImpl: (signal: AbortSignal) => Promise<GcReport> = async () => GC_REPORT;
  terminalImpl: () => Promise<void> = async () => {};
  doctorGate: Deferred<void> | undefined;

  async runDoctor(logger: Logger): Promise<DoctorReport> {
    this.doctorRuns++;
    logger.log('info', 'doctor: checking');
    await this.doctorGate?.promise;
    return this.doctorReport;
  }
  collectGarbage({ logger, signal }: { readonly logger: Logger; readonly signal: AbortSignal }): Promise<GcReport> {
    this.gcRuns.push(signal);
    logger.log('info', 'nix-store --gc: deleting');
    return this.gcImpl(signal);
  }
  async openTerminal(logger: Logger): Promise<void> {
    this.terminalRuns++;
    logger.log('info', 'terminal: x-terminal-emulator -e nix-shell shell.nix');
    return this.terminalImpl();
  }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

let env: IntegrationEnv;
let electron: ElectronFake;
let app: TrayApp | undefined;
let controller: FakeController;
let settings: SettingsStore;
let maintenance: FakeMaintenance;
let signals: EventEmitter;
let logsDir: string;

function launch(core: Partial<TrayAppCore> = {}, extra: Partial<TrayAppOptions> = {}): TrayApp {
  app = startTrayApp(
    electron,
    { controller, ledger: { list: () => [] }, isProcessAlive: () => false, logsDir, logger: memoryLogger(), settings, maintenance, ...core },
    trayTestOptions(path.join(env.root, 'no-lima'), { watch: noWatch, signals, ...extra }),
  );
  return app;
}

const menu = (): FakeMenu => {
  const tray = FakeTray.created.at(-1);
  if (!tray) throw new Error('no tray');
  return tray.contextMenu();
};
const titles = (): string[] => FakeNotification.shown.map((n) => n.title);

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  electron = createElectronFake();
  controller = new FakeController(snapshotOf());
  settings = openProfileStore({ home: env.appHome, host: { cpus: 8, memoryGiB: 16 } });
  // Most tests are about later launches: the first-launch doctor has its own tests.
  settings.markFirstLaunchDoctorDone();
  maintenance = new FakeMaintenance();
  signals = new EventEmitter();
  logsDir = path.join(env.root, 'logs');
});
afterEach(() => {
  app?.refresher.stop();
  app = undefined;
  env.cleanup();
});

describe('settings in the tray', () => {
  it('the opt-in checkboxes show the settings file and a click persists the change', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    launch();
    expect(menu().item(TRAY_ITEM.startActiveProfileAtLaunch)).toMatchObject({ type: 'checkbox', checked: false });
    expect(menu().item(TRAY_ITEM.collectGarbageAfterQuit)).toMatchObject({ type: 'checkbox', checked: true });
    menu().click(TRAY_ITEM.startActiveProfileAtLaunch);
    menu().click(TRAY_ITEM.collectGarbageAfterQuit);
    expect(menu().item(TRAY_ITEM.startActiveProfileAtLaunch).checked).toBe(true);
    expect(menu().item(TRAY_ITEM.collectGarbageAfterQuit).checked).toBe(false);
    const onDisk = openProfileStore({ home: env.appHome, host: { cpus: 8, memoryGiB: 16 } });
    expect(onDisk.optIns()).toEqual({ startActiveProfileAtLaunch: true, collectGarbageAfterQuit: false });
  });

  it('"Start at login" is read with refresh() at launch, so an entry of an older copy of the app is rewritten', () => {
    const seen: string[] = [];
    const loginItems: LoginItemPort = {
      get: () => (seen.push('get'), { enabled: false }),
      set: (on) => ({ enabled: on }),
      refresh: () => (seen.push('refresh'), { enabled: true }),
    };
    launch({ loginItems });
    expect(seen).toEqual(['refresh']);
    expect(menu().item(TRAY_ITEM.startAtLogin).checked).toBe(true);
  });

  it('without a settings store or maintenance services, their items are not shown', () => {
    app = startTrayApp(
      electron,
      { controller, ledger: { list: () => [] }, isProcessAlive: () => false, logsDir, logger: memoryLogger() },
      {
        platform: 'linux',
        pid: process.pid,
        iconsDir: path.join(ROOT, 'build', 'tray'),
        picker: { html: 'x', preload: 'y' },
        quitWindow: { html: 'x', preload: 'y' },
        instancesDir: path.join(env.root, 'no-lima'),
        watch: noWatch,
        signals,
      },
    );
    for (const id of [TRAY_ITEM.startActiveProfileAtLaunch, TRAY_ITEM.doctor, TRAY_ITEM.collectGarbage, TRAY_ITEM.collectGarbageAfterQuit, TRAY_ITEM.openTerminal]) {
      expect(menu().has(id)).toBe(false);
    }
  });
});

describe('"Doctor…"', () => {
  it('runs the doctor once, shows the report in a dialog, notifies warnings, and "Open report file" opens its log', async () => {
    launch();
    await app!.launchTasks;
    maintenance.doctorReport = reportWith([finding('warning', 'A global kubectl at /usr/local/bin/kubectl'), finding('info', 'A note')]);
    maintenance.doctorGate = deferred<void>();
    electron.dialog.messageBoxResponse = 1;
    menu().click(TRAY_ITEM.doctor);
    await flush();
    // While it runs the item is disabled: a second click cannot start another run.
    expect(menu().item(TRAY_ITEM.doctor)).toMatchObject({ label: 'Doctor (running…)', enabled: false });
    expect(() => menu().click(TRAY_ITEM.doctor)).toThrow(/disabled/);
    maintenance.doctorGate.resolve();
    await vi.waitFor(() => expect(electron.dialog.messageBoxes).toHaveLength(1));
    expect(maintenance.doctorRuns).toBe(1);

    const box = electron.dialog.messageBoxes[0]!;
    expect(box).toMatchObject({ type: 'warning', message: '0 errors, 1 warning, 1 note', buttons: ['OK', 'Open report file'] });
    expect(box.detail).toContain('WARNING A global kubectl at /usr/local/bin/kubectl');
    expect(box.detail).toContain('Fix: fix A global kubectl at /usr/local/bin/kubectl');
    expect(titles()).toEqual(['Doctor found 1 warning']);
    expect(FakeNotification.shown[0]!.body).toContain('• A global kubectl at /usr/local/bin/kubectl');

    await vi.waitFor(() => expect(electron.shell.opened).toHaveLength(1));
    const reportFile = electron.shell.opened[0]!;
    expect(path.basename(reportFile)).toMatch(/-doctor\.log$/);
    const text = readFileSync(reportFile, 'utf8');
    expect(text).toContain('doctor: checking');
    expect(text).toContain('colima-k8s doctor: 0 errors, 1 warning, 1 note from 1 check.');
    expect(menu().item(TRAY_ITEM.doctor)).toMatchObject({ label: 'Doctor…', enabled: true });
  });

  it('a clean report shows "Everything looks fine." and no notification', async () => {
    launch();
    await app!.launchTasks;
    menu().click(TRAY_ITEM.doctor);
    await vi.waitFor(() => expect(electron.dialog.messageBoxes).toHaveLength(1));
    expect(electron.dialog.messageBoxes[0]).toMatchObject({ type: 'info', message: 'Everything looks fine.' });
    expect(FakeNotification.shown).toHaveLength(0);
    expect(electron.shell.opened).toEqual([]); // OK pressed
  });
});

describe('first launch', () => {
  it('runs the doctor once (no dialog; a notification for errors and warnings) and remembers it in the settings file', async () => {
    const fresh = openProfileStore({ home: path.join(env.root, 'fresh-home'), host: { cpus: 8, memoryGiB: 16 } });
    settings = fresh;
    maintenance.doctorReport = reportWith([finding('error', 'Nix was not found'), finding('warning', 'DOCKER_HOST is set')]);
    launch();
    await expect(app!.launchTasks).resolves.toMatchObject({ doctor: 'ran' });
    expect(maintenance.doctorRuns).toBe(1);
    expect(electron.dialog.messageBoxes).toEqual([]);
    expect(titles()).toEqual(['Doctor found 1 error and 1 warning']);
    expect(FakeNotification.shown[0]!.body).toBe('• Nix was not found\n• DOCKER_HOST is set\nOpen "Doctor…" in the menu for the fixes.');
    expect(openProfileStore({ home: path.join(env.root, 'fresh-home'), host: { cpus: 8, memoryGiB: 16 } }).firstLaunchDoctorDone()).toBe(true);
    expect(latestLogFile(logsDir)).toMatch(/-doctor\.log$/);

    // A click on the notification shows that report (with its fixes), not the profile picker.
    FakeNotification.shown[0]!.emit('click');
    await vi.waitFor(() => expect(electron.dialog.messageBoxes).toHaveLength(1));
    expect(electron.dialog.messageBoxes[0]).toMatchObject({ type: 'error', title: 'Doctor — colima-k8s-nix', message: '1 error, 1 warning, 0 notes' });
    expect(electron.dialog.messageBoxes[0]!.detail).toContain('Fix: fix Nix was not found');
    expect(FakeBrowserWindow.created).toHaveLength(0);

    // The next launch does not run it again; "Doctor…" still does.
    app!.refresher.stop();
    electron = createElectronFake();
    launch();
    await expect(app!.launchTasks).resolves.toMatchObject({ doctor: 'already-ran' });
    expect(maintenance.doctorRuns).toBe(1);
    menu().click(TRAY_ITEM.doctor);
    await vi.waitFor(() => expect(maintenance.doctorRuns).toBe(2));
  });

  it('a doctor that could not finish is run again at the next launch', async () => {
    settings = openProfileStore({ home: path.join(env.root, 'fresh-home'), host: { cpus: 8, memoryGiB: 16 } });
    maintenance.runDoctor = async () => {
      throw new Error('locateNix crashed');
    };
    launch();
    await expect(app!.launchTasks).resolves.toMatchObject({ doctor: 'failed' });
    expect(settings.firstLaunchDoctorDone()).toBe(false);
    expect(titles()).toEqual(['The doctor could not run']);
  });
});

describe('start the active profile at launch', () => {
  it('when opted in, starts the active profile once the launch cleanup is done', async () => {
    settings.setOptIn('startActiveProfileAtLaunch', true);
    launch();
    await expect(app!.launchTasks).resolves.toEqual({ doctor: 'already-ran', start: 'started' });
    expect(controller.calls).toEqual(['start k8s']);
    expect(controller.refreshCalls).toBe(1); // colima's state was read first
    // The start has its own log.
    expect(latestLogFile(logsDir)).toMatch(/-start-k8s\.log$/);
  });

  it('does nothing when the opt-in is off', async () => {
    launch();
    await expect(app!.launchTasks).resolves.toMatchObject({ start: 'off' });
    expect(controller.calls).toEqual([]);
  });

  it('does not start a profile that is already running', async () => {
    settings.setOptIn('startActiveProfileAtLaunch', true);
    controller = new FakeController(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    launch();
    await expect(app!.launchTasks).resolves.toMatchObject({ start: 'skipped' });
    expect(controller.calls).toEqual([]);
  });

  it('a start that fails is notified like a failed toggle', async () => {
    settings.setOptIn('startActiveProfileAtLaunch', true);
    controller.actionImpl = async () => {
      throw new AppError('NIX_NOT_FOUND', 'nix-shell was not found. Install Nix, then restart the app.');
    };
    launch();
    await expect(app!.launchTasks).resolves.toMatchObject({ start: 'failed' });
    expect(titles()).toEqual(['Could not start k8s']);
    expect(FakeNotification.shown[0]!.body).toBe('nix-shell was not found. Install Nix, then restart the app.');
  });
});

describe('"Collect nix garbage"', () => {
  it('runs the GC once, disabled meanwhile, then notifies the space freed; its log is a file of its own', async () => {
    launch();
    await app!.launchTasks;
    const gate = deferred<GcReport>();
    maintenance.gcImpl = () => gate.promise;
    menu().click(TRAY_ITEM.collectGarbage);
    await flush();
    expect(maintenance.gcRuns).toHaveLength(1);
    expect(menu().item(TRAY_ITEM.collectGarbage)).toMatchObject({ label: 'Collecting nix garbage…', enabled: false });
    expect(() => menu().click(TRAY_ITEM.collectGarbage)).toThrow(/disabled/);
    gate.resolve(GC_REPORT);
    await vi.waitFor(() => expect(titles()).toEqual(['Nix garbage collected: 3.00 MiB freed']));
    expect(FakeNotification.shown[0]!.body).toMatch(/^Collected nix garbage: 12 store paths deleted, 3\.00 MiB freed;/);
    expect(maintenance.gcRuns).toHaveLength(1);
    expect(menu().item(TRAY_ITEM.collectGarbage)).toMatchObject({ label: 'Collect nix garbage', enabled: true });
    const log = latestLogFile(logsDir)!;
    expect(path.basename(log)).toMatch(/-gc\.log$/);
    expect(readFileSync(log, 'utf8')).toContain('nix-store --gc: deleting');
  });

  it('is disabled while an instance starts, and a failure is notified with what to do', async () => {
    launch();
    await app!.launchTasks;
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'starting' } } }));
    expect(menu().item(TRAY_ITEM.collectGarbage).enabled).toBe(false);
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    maintenance.gcImpl = async () => {
      throw new AppError('CONFLICT', 'Not collecting garbage: the environment the app uses is not fully protected. Reload the environment first.');
    };
    menu().click(TRAY_ITEM.collectGarbage);
    await vi.waitFor(() => expect(titles()).toEqual(['Could not collect nix garbage']));
    expect(FakeNotification.shown[0]!.body).toMatch(/Reload the environment first/);
  });
});

describe('"Open terminal in nix environment" and "Show logs"', () => {
  it('the terminal item opens the terminal; a failure says why', async () => {
    launch();
    menu().click(TRAY_ITEM.openTerminal);
    await vi.waitFor(() => expect(maintenance.terminalRuns).toBe(1));
    maintenance.terminalImpl = async () => {
      throw new AppError('NOT_FOUND', 'No terminal program was found. Set TERMINAL to your terminal.');
    };
    menu().click(TRAY_ITEM.openTerminal);
    await vi.waitFor(() => expect(titles()).toEqual(['Could not open a terminal in the nix environment']));
    expect(FakeNotification.shown[0]!.body).toBe('No terminal program was found. Set TERMINAL to your terminal.');
  });

  it('"Show logs" opens the newest operation log once there is one', async () => {
    launch();
    await app!.launchTasks;
    menu().click(TRAY_ITEM.showLogs);
    expect(electron.shell.opened).toEqual([logsDir]);
    menu().click(TRAY_ITEM.toggle);
    await flush();
    const startLog = latestLogFile(logsDir)!;
    expect(path.basename(startLog)).toMatch(/-start-k8s\.log$/);
    menu().click(TRAY_ITEM.showLogs);
    expect(electron.shell.opened).toEqual([logsDir, startLog]);
  });

  it("a failed start's notification opens that start's log when clicked", async () => {
    launch();
    await app!.launchTasks;
    menu().click(TRAY_ITEM.toggle);
    await flush();
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'starting' } } }));
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'error', error: { message: 'colima start failed (exit 1).', logTail: ['level=fatal msg="vz error"'] } } } }));
    expect(titles()).toEqual(['k8s failed to start']);
    FakeNotification.shown[0]!.emit('click');
    expect(electron.shell.opened).toEqual([latestLogFile(logsDir)]);
    expect(existsSync(electron.shell.opened[0]!)).toBe(true);
  });

  it("a notification's log that cannot be opened says so (shell.openPath resolves with an error text, it does not reject)", async () => {
    launch();
    await app!.launchTasks;
    menu().click(TRAY_ITEM.toggle);
    await flush();
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'starting' } } }));
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'error', error: { message: 'colima start failed (exit 1).', logTail: [] } } } }));
    electron.shell.openPathResult = 'No application knows how to open this file';
    FakeNotification.shown[0]!.emit('click');
    await vi.waitFor(() => expect(titles()).toEqual(['k8s failed to start', 'Could not open the log']));
    expect(FakeNotification.shown[1]!.body).toBe(`No application knows how to open this file\n${latestLogFile(logsDir)}`);
  });
});

describe('GC after quit', () => {
  const quitAndTeardown = async (result: { ok: boolean; remaining: { profile: string; reason: string }[] }): Promise<void> => {
    controller.teardownImpl = async () => result;
    await app!.launchTasks;
    menu().click(TRAY_ITEM.quit);
  };

  it('runs after a successful teardown when opted in; the app exits once it is done', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    launch();
    const gate = deferred<GcReport>();
    maintenance.gcImpl = () => gate.promise;
    await quitAndTeardown({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(maintenance.gcRuns).toHaveLength(1));
    expect(controller.teardownCalls).toBe(1);
    expect(menu().item(TRAY_ITEM.collectGarbage).enabled).toBe(false);
    await flush();
    expect(electron.app.exitCode).toBeUndefined();
    gate.resolve(GC_REPORT);
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('is skipped when the OS is shutting down (it would hold the logout for minutes)', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    const logger = memoryLogger();
    launch({ logger });
    controller.teardownImpl = async () => ({ ok: true, remaining: [] });
    await app!.launchTasks;
    expect(electron.powerMonitor.emitShutdown()).toBe(true);
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(maintenance.gcRuns).toHaveLength(0);
    expect(logger.lines).toContain('info quit: the system is ending the session, so garbage is collected after the next quit instead');
  });

  it('is skipped when the shutdown arrives after the user\'s quit, during the teardown', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    launch();
    const teardown = deferred<{ ok: boolean; remaining: [] }>();
    controller.teardownImpl = () => teardown.promise;
    await app!.launchTasks;
    menu().click(TRAY_ITEM.quit);
    expect(electron.powerMonitor.emitShutdown()).toBe(true);
    teardown.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(maintenance.gcRuns).toHaveLength(0);
    expect(controller.teardownCalls).toBe(1);
  });

  it('is skipped on a Linux logout: SIGTERM then SIGHUP (and a SIGTERM during a quit counts too)', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    launch();
    const teardown = deferred<{ ok: boolean; remaining: [] }>();
    controller.teardownImpl = () => teardown.promise;
    await app!.launchTasks;
    signals.emit('SIGTERM');
    signals.emit('SIGHUP');
    teardown.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(maintenance.gcRuns).toHaveLength(0);

    // The same with only a second SIGTERM arriving while the teardown runs.
    app!.refresher.stop();
    electron = createElectronFake();
    signals = new EventEmitter();
    const second = deferred<{ ok: boolean; remaining: [] }>();
    controller.teardownImpl = () => second.promise;
    launch();
    await app!.launchTasks;
    menu().click(TRAY_ITEM.quit);
    signals.emit('SIGTERM');
    second.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(maintenance.gcRuns).toHaveLength(0);
  });

  it('a shutdown while the GC runs stops it, and the app exits at once', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    launch();
    maintenance.gcImpl = () => new Promise(() => {}); // would take its whole time limit
    await quitAndTeardown({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(maintenance.gcRuns).toHaveLength(1));
    expect(electron.app.exitCode).toBeUndefined();
    electron.powerMonitor.emitShutdown();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(maintenance.gcRuns[0]!.aborted).toBe(true);
  });

  it('does not run when the opt-in is off', async () => {
    launch();
    await quitAndTeardown({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(maintenance.gcRuns).toHaveLength(0);
  });

  it('does not run after a failed teardown the user quit anyway from', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    launch();
    await quitAndTeardown({ ok: false, remaining: [{ profile: 'k8s', reason: 'stop did not finish' }] });
    await vi.waitFor(() => expect(app!.quit.state()).toBe('awaiting-choice'));
    // The quit window's "Quit anyway" button.
    const { QUIT_WINDOW_CHOICE } = await import('../../main/app/windows/quit-window/contract.js');
    const { FakeBrowserWindow } = await import('../fixtures/electron-fake.js');
    await vi.waitFor(() => expect(FakeBrowserWindow.created.length).toBeGreaterThan(0));
    electron.ipcMain.sendFrom(FakeBrowserWindow.created.at(-1)!.webContents, QUIT_WINDOW_CHOICE, 'quit-anyway');
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
    expect(maintenance.gcRuns).toHaveLength(0);
  });

  it('a GC that fails or hangs does not block the exit', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    launch({}, { gcAfterQuitTimeoutMs: 100 });
    maintenance.gcImpl = () => new Promise(() => {}); // never ends
    await quitAndTeardown({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(maintenance.gcRuns).toHaveLength(1);
    expect(maintenance.gcRuns[0]!.aborted).toBe(true);
  });

  it('a GC that fails is logged and the app exits with 0', async () => {
    settings.setOptIn('collectGarbageAfterQuit', true);
    const logger = memoryLogger();
    launch({ logger });
    maintenance.gcImpl = async () => {
      throw new Error('nix-collect-garbage: exit 1');
    };
    await quitAndTeardown({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(logger.lines).toContain('error gc: nix-collect-garbage: exit 1');
  });
});
