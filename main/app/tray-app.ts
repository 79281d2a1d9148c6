// Wires the tray app once Electron is ready: tray, windows, quit path, state
// refresh, notifications, login item and launch-time cleanup, all around one
// AppController. Electron comes in as a parameter (index.ts passes the real
// module, tests a compiler-checked fake), so this file holds no global state.
import { mkdirSync } from 'node:fs';
import type { Session, Shell } from 'electron';
import type { AppController } from '../core/controller-api.js';
import { isAppError, userMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { trayIconSet, type NativeImageModule, type TrayImage } from './icons.js';
import { reapLeftoversAtLaunch, type LedgerView, type LeftoverOutcome } from './leftovers.js';
import { electronNotifier, notifyOnChanges, type NotificationClass, type Notifier } from './notifications.js';
import { installQuitPath, type QuitAppLike, type QuitPath, type ShutdownSourceLike, type SignalSourceLike } from './quit.js';
import { createQuitWindow, type IpcMainLike, type QuitWindowFiles } from './quit-window.js';
import { startStateRefresh, type StateRefresher, type Timers, type WatchFolder } from './refresh.js';
import { createAppTray, type AppTray, type MenuModule, type TrayLike } from './tray.js';
import type { TrayActions } from './tray-menu.js';
import { denyAllPermissions, lazyWindow, openSecureWindow, pickerWindowSpec, type BrowserWindowConstructor, type LazyWindow, type PickerWindowFiles } from './windows.js';

export interface TrayAppApp extends QuitAppLike {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'second-instance', listener: () => void): unknown;
  focus(options?: { steal: boolean }): void;
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
  readonly Menu: MenuModule<M>;
  readonly nativeImage: NativeImageModule<I>;
  readonly BrowserWindow: BrowserWindowConstructor;
  readonly ipcMain: IpcMainLike;
  readonly Notification: NotificationClass;
  readonly powerMonitor: PowerMonitorLike;
  readonly session: { readonly defaultSession: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> };
  readonly shell: Pick<Shell, 'openPath'>;
}

/** "Start at login" as main/core/autostart's LoginItemService provides it. */
export interface LoginItemPort {
  get(): { readonly enabled: boolean; readonly message?: string };
  set(enabled: boolean): { readonly enabled: boolean; readonly message?: string };
}

export interface TrayAppCore {
  readonly controller: AppController;
  readonly ledger: LedgerView;
  readonly isProcessAlive: (pid: number) => boolean;
  readonly logsDir: string;
  readonly loginItems?: LoginItemPort;
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
  /** `process` in the app: SIGTERM and SIGINT go through the quit path. */
  readonly signals: SignalSourceLike;
  /** The picker's IPC (main/app/ipc.ts), given the check that a sender is the picker page. */
  readonly registerPickerIpc?: () => void;
  readonly timers?: Timers;
  readonly quitWindowDelayMs?: number;
}

export interface TrayApp {
  readonly tray: AppTray;
  readonly quit: QuitPath;
  readonly picker: LazyWindow;
  readonly refresher: StateRefresher;
  readonly notifier: Notifier;
  /** Resolves when the launch-time cleanup has finished. */
  readonly leftovers: Promise<LeftoverOutcome>;
}

export function startTrayApp<M, I extends TrayImage>(electron: TrayAppElectron<M, I>, core: TrayAppCore, options: TrayAppOptions): TrayApp {
  const { controller, logger } = core;
  denyAllPermissions(electron.session.defaultSession);
  // A tray app keeps running with no window open; quitting is the quit path's job.
  electron.app.on('window-all-closed', () => {});

  const picker = lazyWindow(() => openSecureWindow(electron.BrowserWindow, pickerWindowSpec(options.picker), logger));
  const openProfiles = (): void => {
    picker.show();
    // Without a Dock icon (LSUIElement) macOS does not bring the app forward by itself.
    if (options.platform === 'darwin') electron.app.focus({ steal: true });
  };
  const notifier = electronNotifier(electron.Notification, openProfiles);
  options.registerPickerIpc?.();

  const quitWindow = createQuitWindow({
    BrowserWindow: electron.BrowserWindow,
    ipcMain: electron.ipcMain,
    files: options.quitWindow,
    progress: controller,
    logger,
    ...(options.quitWindowDelayMs !== undefined ? { showDelayMs: options.quitWindowDelayMs } : {}),
  });

  let startAtLogin = readLoginItem(core, logger);
  let tray: AppTray | undefined;
  let refresher: StateRefresher | undefined;
  const quit = installQuitPath({
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
      tray?.render();
    },
  });

  const reportFailure = (what: string, profile: string | undefined) => (e: unknown) => {
    // A start cancelled by Stop or Quit is not a failure; a failed start is already
    // notified from its snapshot (phase error), with colima's log lines.
    if (isAppError(e, 'CANCELLED')) return;
    if (profile && controller.snapshot().instances[profile]?.phase === 'error') return;
    logger.log('error', `${what}: ${userMessage(e)}`);
    const tail = isAppError(e) ? (e.details.logTail ?? []).slice(-3) : [];
    notifier.notify({ title: `Could not ${what}`, body: [userMessage(e), ...tail].join('\n') });
  };

  const actions: TrayActions = {
    toggleActive() {
      const { activeProfile, instances } = controller.snapshot();
      const phase = instances[activeProfile]?.phase;
      const verb = phase === 'running' || phase === 'starting' ? 'stop' : 'start';
      controller.toggleActive().catch(reportFailure(`${verb} ${activeProfile}`, activeProfile));
    },
    setActiveProfile(name) {
      try {
        controller.setActiveProfile(name);
      } catch (e) {
        reportFailure(`switch to ${name}`, undefined)(e);
      }
    },
    openProfiles,
    setStartAtLogin(enabled) {
      if (!core.loginItems) return;
      try {
        const state = core.loginItems.set(enabled);
        startAtLogin = state.enabled;
        if (state.message) notifier.notify({ title: 'Start at login', body: state.message });
      } catch (e) {
        reportFailure('change "Start at login"', undefined)(e);
      }
      tray?.render();
    },
    showLogs() {
      try {
        mkdirSync(core.logsDir, { recursive: true });
      } catch (e) {
        reportFailure('create the logs folder', undefined)(e);
        return;
      }
      electron.shell.openPath(core.logsDir).then(
        (problem) => problem && notifier.notify({ title: 'Could not open the logs folder', body: `${problem}\n${core.logsDir}` }),
        reportFailure('open the logs folder', undefined),
      );
    },
    quit: () => void quit.request('tray'),
  };

  tray = createAppTray(
    { Tray: electron.Tray, Menu: electron.Menu, icons: trayIconSet(electron.nativeImage, options.iconsDir, options.platform), platform: options.platform },
    controller,
    actions,
    () => ({ startAtLogin, quitting: quit.state() !== 'running' }),
  );
  notifyOnChanges(controller, notifier);
  electron.app.on('second-instance', openProfiles);

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
  const leftovers = launchCleanup(core, notifier, options.pid, stateRefresher);
  return { tray, quit, picker, refresher: stateRefresher, notifier, leftovers };
}

function readLoginItem(core: TrayAppCore, logger: Logger): boolean | undefined {
  if (!core.loginItems) return undefined;
  try {
    return core.loginItems.get().enabled;
  } catch (e) {
    logger.log('warn', `start at login: ${userMessage(e)}`);
    return undefined;
  }
}

/** Reaps a crash's leftovers, or else reads colima's state once: the tray then shows the truth. */
async function launchCleanup(core: TrayAppCore, notifier: Notifier, pid: number, refresher: StateRefresher): Promise<LeftoverOutcome> {
  const outcome = await reapLeftoversAtLaunch({
    ledger: core.ledger,
    isProcessAlive: core.isProcessAlive,
    controller: core.controller,
    notifier,
    logger: core.logger,
    pid,
  }).catch((e: unknown): LeftoverOutcome => {
    core.logger.log('error', `leftovers: ${userMessage(e)}`);
    return { kind: 'unreadable', message: userMessage(e) };
  });
  if (outcome.kind !== 'reaped') await refresher.refreshNow('launch');
  return outcome;
}
