// Wires the tray app once Electron is ready: tray, windows, quit path, state refresh, notifications, login item,
// launch-time cleanup and the issue-6 extras (doctor, GC, terminal, opt-ins, per-operation logs), all around one
// AppController. Electron comes in as a parameter (index.ts: the real module; tests: a compiler-checked fake).
import type { Clipboard, Session, Shell } from 'electron';
import type { AppController } from '../core/controller-api.js';
import type { Logger } from '../core/log.js';
import type { MaintenancePort } from './maintenance/maintenance-port.js';
import type { AppSettings } from '../core/profiles/store.js';
import { userMessage } from '../core/errors.js';
import { installApplicationMenu, type ApplicationMenuModule } from './windows/app-menu.js';
import { createDoctorAction, type DialogLike } from './maintenance/doctor-action.js';
import { createClusterFeature } from './cluster/cluster-feature.js';
import type { ClusterPort } from './cluster/cluster-port.js';
import { createGcAction, gcAfterQuitTask } from './maintenance/gc-action.js';
import { createToolchainAction } from './maintenance/toolchain-action.js';
import { trayIconSet, type NativeImageModule, type TrayImage } from './tray/icons.js';
import { runLaunchTasks, type LaunchTasksOutcome } from './launch/launch-tasks.js';
import { createLeftoverRetry, launchCleanup, type LedgerView, type LeftoverOutcome } from './launch/leftovers.js';
import { electronNotifier, notifyOnChanges, type Notice, type NotificationClass, type Notifier } from './notifications.js';
import { createOperationLogs, withOperationLogs, type OperationLogs } from './maintenance/operation-logs.js';
import { installQuitPath, type QuitAppLike, type QuitPath, type ShutdownSourceLike, type SignalSourceLike } from './quit/quit.js';
import { refuseStartsWhileQuitting } from './quit/quit-guard.js';
import { createQuitWindow, type IpcMainLike, type QuitWindowFiles } from './windows/quit-window/quit-window.js';
import { startStateRefresh, type StateRefresher, type Timers, type WatchFolder } from './refresh.js';
import { createAppTray, type AppTray, type MenuModule, type TrayLike } from './tray/tray.js';
import { createTrayActions, failureReporter, readTrayExtras, type LoginItemPort, type TrayExtras } from './tray/tray-actions.js';
import type { TrayMenuOptions } from './tray/tray-menu.js';
import { denyAllPermissions, lazyWindow, openSecureWindow, pickerWindowSpec, type BrowserWindowConstructor, type LazyWindow, type PickerWindowFiles } from './windows/secure-window.js';

export interface TrayAppApp extends QuitAppLike {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'second-instance', listener: () => void): unknown;
  /** macOS: the app is opened again (from Finder, Spotlight) while it runs. */
  on(event: 'activate', listener: () => void): unknown;
  focus(options?: { steal: boolean }): void;
  /** Packaged builds get no DevTools. */
  readonly isPackaged: boolean;
}

export interface PowerMonitorLike extends ShutdownSourceLike {
  on(event: 'shutdown', listener: (event?: { preventDefault?: () => void }) => void): unknown;
  on(event: 'resume', listener: () => void): unknown;
}

/**
 * The Electron APIs the tray app uses; `import * as electron from 'electron'`
 * fits, and so does test/fixtures/electron-fake.ts (M: menu, I: image type).
 */
export interface TrayAppElectron<M, I extends TrayImage> {
  readonly app: TrayAppApp;
  readonly Tray: new (image: I) => TrayLike<M, I>;
  readonly Menu: MenuModule<M> & ApplicationMenuModule<M>;
  readonly nativeImage: NativeImageModule<I>;
  readonly BrowserWindow: BrowserWindowConstructor;
  readonly ipcMain: IpcMainLike;
  readonly Notification: NotificationClass;
  readonly powerMonitor: PowerMonitorLike;
  readonly session: { readonly defaultSession: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> };
  readonly shell: Pick<Shell, 'openPath'>;
  readonly dialog: DialogLike;
  readonly clipboard: Pick<Clipboard, 'writeText'>;
}

export type { LoginItemPort } from './tray/tray-actions.js';

export type { MaintenancePort };

export interface TrayAppCore {
  readonly controller: AppController;
  readonly ledger: LedgerView;
  readonly isProcessAlive: (pid: number) => boolean;
  readonly logsDir: string;
  readonly loginItems?: LoginItemPort;
  /** The opt-ins and the first-launch flag (the settings file). */
  readonly settings?: AppSettings;
  readonly maintenance?: MaintenancePort;
  /** "Cluster <profile>" submenus, Verify cluster, the command-line tool items (app/cluster/). */
  readonly cluster?: ClusterPort;
  /**
   * Per-operation log files; index.ts gives the core services its
   * `operationLogger`, so each start, stop and teardown writes the core's lines
   * to its own file. Default: files with the tray's own lines only.
   */
  readonly operationLogs?: OperationLogs;
  /** Set when the settings file was damaged and set aside at open (shown once). */
  readonly storeRecoveryMessage?: string;
  readonly logger: Logger;
}

export interface TrayAppOptions {
  readonly platform: NodeJS.Platform;
  readonly pid: number;
  readonly iconsDir: string;
  readonly picker: PickerWindowFiles;
  readonly quitWindow: QuitWindowFiles;
  /** colima's `_lima` folder, watched for changes made outside the app. */
  readonly instancesDir: string;
  readonly watch: WatchFolder;
  /** `process` in the app: SIGTERM, SIGINT and SIGHUP go through the quit path. */
  readonly signals: SignalSourceLike;
  /**
   * Registers the picker's IPC (main/app/ipc/ipc.ts) on this controller (the one
   * with per-operation logs, refusing starts while quitting) and the quit path
   * (the window is told, and refuses starts, for the whole quit).
   */
  readonly registerPickerIpc?: (controller: AppController, quit: QuitPath) => void;
  readonly timers?: Timers;
  readonly quitWindowDelayMs?: number;
  /** How long the GC after quit may delay the exit; default 2 minutes. */
  readonly gcAfterQuitTimeoutMs?: number;
  /** How the CLI runs (`colima-k8s`); undefined in a packaged app, which installs none: no text advises it then. */
  readonly cliCommand?: string | undefined;
}

export interface TrayApp {
  readonly tray: AppTray;
  readonly quit: QuitPath;
  readonly picker: LazyWindow;
  readonly refresher: StateRefresher;
  readonly notifier: Notifier;
  /** Resolves when the launch-time cleanup has finished. */
  readonly leftovers: Promise<LeftoverOutcome>;
  /** Resolves after the first-launch doctor and the start at launch (launch-tasks.ts). */
  readonly launchTasks: Promise<LaunchTasksOutcome>;
}

export function startTrayApp<M, I extends TrayImage>(electron: TrayAppElectron<M, I>, core: TrayAppCore, options: TrayAppOptions): TrayApp {
  const { logger } = core;
  denyAllPermissions(electron.session.defaultSession);
  // Replaces Electron's default menu (Reload, Toggle Developer Tools) before any window exists.
  installApplicationMenu(electron.Menu, options.platform);
  // A tray app keeps running with no window open; quitting is the quit path's job.
  electron.app.on('window-all-closed', () => {});
  const devTools = !electron.app.isPackaged;

  // Set once the quit path is installed (below); nothing can ask to quit before.
  let quit: QuitPath | undefined;
  const isQuitting = (): boolean => quit !== undefined && quit.state() !== 'running';

  const picker = lazyWindow(() => openSecureWindow(electron.BrowserWindow, pickerWindowSpec(options.picker), logger, { devTools }));
  const openProfiles = (): void => {
    // A second launch, macOS's activate or a tray click during the quit: the picker could only offer refused starts.
    if (isQuitting()) {
      logger.log('info', 'profiles: not opened, the app is quitting');
      return;
    }
    picker.show();
    // Without a Dock icon (LSUIElement) macOS does not bring the app forward by itself.
    if (options.platform === 'darwin') electron.app.focus({ steal: true });
  };
  const notifier = electronNotifier(electron.Notification, openProfiles);

  const logs = core.operationLogs ?? createOperationLogs({ logsDir: core.logsDir, base: logger });
  // start, stop, the toggle and teardownAll each write their own log file, whether the tray or the picker
  // asked; and from the first quit request on, nothing new starts (quit-guard.ts).
  const controller = refuseStartsWhileQuitting(withOperationLogs(core.controller, logs), () => quit?.state() ?? 'running');
  const openPath = (target: string): Promise<string> => electron.shell.openPath(target);
  // shell.openPath never rejects for a file it cannot open: it resolves with Electron's error text.
  const openLog = (file: string): void => {
    const failed = (problem: string): void => {
      logger.log('warn', `could not open ${file}: ${problem}`);
      notifier.notify({ title: 'Could not open the log', body: `${problem}\n${file}` });
    };
    openPath(file).then((problem) => problem && failed(problem), (e: unknown) => failed(userMessage(e)));
  };
  const logLink = (profile: string | undefined): Pick<Notice, 'onClick'> => {
    const file = profile ? logs.lastFileFor(profile) : undefined;
    return file ? { onClick: () => openLog(file) } : {};
  };
  const dialog: DialogLike = {
    showMessageBox(box) {
      // Like the picker: without a Dock icon macOS would leave the dialog behind other apps.
      if (options.platform === 'darwin') electron.app.focus({ steal: true });
      return electron.dialog.showMessageBox(box);
    },
  };

  const quitWindow = createQuitWindow({
    BrowserWindow: electron.BrowserWindow,
    ipcMain: electron.ipcMain,
    files: options.quitWindow,
    progress: controller,
    logger,
    dialog,
    devTools,
    cliCommand: options.cliCommand,
    ...(options.quitWindowDelayMs !== undefined ? { showDelayMs: options.quitWindowDelayMs } : {}),
  });

  const extras: TrayExtras = readTrayExtras(core.loginItems, core.settings, logger);
  let tray: AppTray | undefined;
  let refresher: StateRefresher | undefined;
  const render = (): void => tray?.render();
  const left = createLeftoverRetry({ controller, notifier, logger, cliCommand: options.cliCommand, onChange: render });
  const maintenance = core.maintenance;
  const doctor = maintenance
    ? createDoctorAction({ run: (log) => maintenance.runDoctor(log), logs, notifier, dialog, openPath, logger, onChange: render })
    : undefined;
  const collect = maintenance?.collectGarbage?.bind(maintenance);
  const gc = collect ? createGcAction({ collect, logs, notifier, logger, onChange: render }) : undefined;
  const openTerminal = maintenance?.openTerminal?.bind(maintenance);

  const quitPath = installQuitPath({
    app: electron.app,
    signals: options.signals,
    powerMonitor: electron.powerMonitor,
    teardown: () => controller.teardownAll(),
    window: quitWindow,
    logger,
    onStateChange: () => {
      // While tearing down, the controller reports every step itself; a `colima list`
      // read in between could only show a half-deleted instance.
      refresher?.stop();
      render();
    },
    afterTeardown: (context) => gcAfterQuitTask({ gc, settings: core.settings, logger, timeoutMs: options.gcAfterQuitTimeoutMs }, context),
  });
  quit = quitPath;
  options.registerPickerIpc?.(controller, quitPath);
  const toolchain = maintenance?.toolchain && createToolchainAction({ port: maintenance.toolchain, logs, notifier, logger, onChange: render, quit: quitPath, snapshot: () => controller.snapshot() });

  const cluster = core.cluster && createClusterFeature({ port: core.cluster, controller, clipboard: electron.clipboard, notifier, dialog, logger, render, isQuitting });
  const reportFailure = failureReporter({ controller, notifier, logger, logLink });
  const actions = createTrayActions({
    controller,
    notifier,
    logs,
    logsDir: core.logsDir,
    openPath,
    ...(core.loginItems ? { loginItems: core.loginItems } : {}),
    ...(core.settings ? { settings: core.settings } : {}),
    ...(doctor ? { doctor } : {}),
    ...(gc ? { gc } : {}),
    ...(openTerminal ? { openTerminal } : {}),
    extras,
    openProfiles,
    deleteLeftovers: () => void left.retry(),
    quit: () => void quitPath.request('tray'),
    reportFailure,
    render,
  });

  tray = createAppTray(
    { Tray: electron.Tray, Menu: electron.Menu, icons: trayIconSet(electron.nativeImage, options.iconsDir, options.platform), platform: options.platform },
    controller,
    actions,
    (): TrayMenuOptions => ({
      startAtLogin: extras.startAtLogin,
      startActiveProfileAtLaunch: extras.optIns?.startActiveProfileAtLaunch,
      collectGarbageAfterQuit: gc ? extras.optIns?.collectGarbageAfterQuit : undefined,
      doctor: doctor ? (doctor.running() ? 'running' : 'idle') : undefined,
      gc: gc ? (gc.running() ? 'running' : 'idle') : undefined,
      terminal: openTerminal !== undefined,
      quitting: isQuitting(),
      leftovers: { profiles: left.pending(), running: left.running() },
      ...cluster?.menuOptions(), ...toolchain?.menuOptions(),
    }),
  );
  // A failed start's notification opens that start's log when clicked.
  notifyOnChanges(controller, { notify: (n) => notifier.notify({ ...n, ...logLink(n.failedProfile) }) });
  electron.app.on('second-instance', openProfiles);
  // macOS: opening the app again from Finder or Spotlight emits activate, not second-instance; one also comes as the
  // app launches (first launch, login item): ignored until the launch cleanup and first state read have finished.
  let launched = false;
  const onActivate = (): void => (launched ? openProfiles() : logger.log('info', 'profiles: activate during the launch ignored'));
  if (options.platform === 'darwin') electron.app.on('activate', onActivate);

  const stateRefresher = startStateRefresh({
    instancesDir: options.instancesDir,
    refresh: () => controller.refresh(),
    watch: options.watch,
    logger,
    ...(options.timers ? { timers: options.timers } : {}),
  });
  refresher = stateRefresher;
  electron.powerMonitor.on('resume', () => void stateRefresher.refreshNow('the machine woke up'));

  if (core.storeRecoveryMessage) notifier.notify({ title: 'Your settings file was damaged', body: core.storeRecoveryMessage });
  const leftovers = launchCleanup(
    { ledger: core.ledger, isProcessAlive: core.isProcessAlive, controller, notifier, logger, pid: options.pid, cliCommand: options.cliCommand, onLeft: left.record },
    stateRefresher,
  ).finally(() => {
    launched = true;
    cluster?.launched();
  });
  const launchTasks = runLaunchTasks({
    leftovers,
    ...(core.settings ? { settings: core.settings } : {}),
    ...(doctor ? { doctor } : {}),
    controller,
    isQuitting,
    onStartFailure: (e) => {
      const name = controller.snapshot().activeProfile;
      reportFailure(`start ${name}`, name)(e);
    },
    logger,
  });
  return { tray, quit: quitPath, picker, refresher: stateRefresher, notifier, leftovers, launchTasks };
}
