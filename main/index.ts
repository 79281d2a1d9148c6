// Electron main entry (bundled to dist/main.cjs): creates the core services
// for the app home, hands them to the tray app, and starts nothing else.
// Everything it wires lives in main/core (no Electron) and main/app (Electron
// wiring, with Electron passed in).
import { existsSync, mkdirSync, watch } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as electron from 'electron';
import type { Menu, NativeImage } from 'electron';
import { createLoginItemService } from './core/autostart/login-item.js';
import { resolveColimaBaseDir } from './core/doctor/colima-base-dir.js';
import { userMessage } from './core/errors.js';
import { isProcessAlive } from './core/ledger/ledger.js';
import { fileLogger, formatLogLine, teeLogger, type Logger } from './core/log.js';
import { APP_ID, appPaths, resolveAppHome, resolveShellNix, shippedShellNix } from './core/paths.js';
import { killAllProcessGroups } from './core/run.js';
import { createCoreServices } from './core/services.js';
import { APP_USER_MODEL_ID } from './app/windows/app-menu.js';
import { trayIconsDir } from './app/tray/icons.js';
import { pickerPageUrlCheck, registerIpcHandlers } from './app/ipc/ipc.js';
import { createClusterPort } from './app/cluster/cluster-port.js';
import { createMaintenancePort } from './app/maintenance/maintenance-port.js';
import { createOperationLogs } from './app/maintenance/operation-logs.js';
import { startTrayApp } from './app/tray-app.js';

/** dist/ when bundled; the app root (package.json, renderer/, build/) is one level up. */
const bundleDir = (): string => __dirname;

function appLogger(logsDir: string, toConsole: boolean): Logger {
  const toFile = fileLogger(path.join(logsDir, 'tray.log'));
  // Logging must never break the app (a full disk, a logs folder deleted by hand).
  const file: Logger = {
    log(level, message) {
      try {
        toFile.log(level, message);
      } catch {
        /* the line is lost, the app goes on */
      }
    },
  };
  if (!toConsole) return file;
  return teeLogger(file, { log: (level, message) => process.stderr.write(`${formatLogLine(level, message)}\n`) });
}

/** colima's instance folder: $LIMA_HOME, else `$BASE/_lima` (colima-cli §1, §10). */
function colimaInstancesDir(env: NodeJS.ProcessEnv): string {
  return env.LIMA_HOME || path.join(resolveColimaBaseDir(env, os.homedir(), process.platform).dir, '_lima');
}

/**
 * Electron's userData is `<appData>/<productName or name>`: "Colima K8s Nix" once
 * electron-builder writes productName, "colima-k8s-nix" in development. The CLI
 * uses resolveAppHome, so Electron gets a subfolder of that same home, `electron/`:
 * Chromium's own files (Local State, the Singleton* lock files of the single-instance
 * lock, Cache, GPUCache, Local Storage, Crashpad) stay out of the folder holding
 * settings, ledger and logs (the app never reads userData: every path comes from
 * `home`). Set before the lock, which lives in userData, and before ready, as
 * sessionData must be. setPath throws for a missing folder.
 */
function useAppHomeAsUserData(app: typeof electron.app, home: string): void {
  const chromium = path.join(home, 'electron');
  // Crashpad's reports, explicitly: crashDumps need not follow a userData set at run time.
  const crashDumps = path.join(chromium, 'Crashpad');
  try {
    mkdirSync(crashDumps, { recursive: true });
    app.setPath('userData', chromium);
    app.setPath('sessionData', chromium);
    app.setPath('crashDumps', crashDumps);
  } catch {
    // An unwritable home: launch() fails on it and says so in a dialog once Electron is ready.
  }
}

/**
 * How the user can run the CLI, for the texts that advise `… down`: a packaged app installs none (undefined);
 * in development `colima-k8s` when it is on PATH (npm link), else the bundle itself.
 */
function cliCommand(isPackaged: boolean, appRoot: string): string | undefined {
  if (isPackaged) return undefined;
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, 'colima-k8s')));
  return onPath ? 'colima-k8s' : `node ${path.join(appRoot, 'dist', 'cli.cjs')}`;
}

function launch(home: string): void {
  const { app } = electron;
  const appRoot = path.resolve(bundleDir(), '..');
  const resourcesPath = app.isPackaged ? process.resourcesPath : undefined;
  const { logsDir } = appPaths(home);
  // In a terminal (`npm start`) the log also goes to stderr.
  const logger = appLogger(logsDir, !app.isPackaged && Boolean(process.stderr.isTTY));
  logger.log('info', `tray app ${app.getVersion()} starting (pid ${process.pid}, home ${home})`);

  // Each start, stop and teardown the controller runs logs to its own file (and the app log);
  // the tray makes GC, doctor and terminal files the same way.
  const operationLogs = createOperationLogs({ logsDir, base: logger });
  const shellNix = resolveShellNix(process.env, shippedShellNix({ ...(resourcesPath ? { resourcesPath } : {}), bundleDir: bundleDir() }));
  const services = createCoreServices({ home, shellNix, logger, operationLogger: operationLogs.operationLogger });

  const maintenance = createMaintenancePort(services, { shellNix, env: process.env, platform: process.platform, homeDir: os.homedir() });
  const loginItems = createLoginItemService({
    platform: process.platform,
    electron: app,
    executable: process.execPath,
    // Unpackaged, the program is Electron itself and needs the app folder.
    args: app.isPackaged ? [] : [appRoot],
    linux: { appId: APP_ID, name: 'Colima K8s Nix', comment: 'Throwaway colima Kubernetes clusters from a shell.nix', env: process.env, homeDir: os.homedir() },
  });
  const pickerHtml = path.join(appRoot, 'renderer', 'index.html');

  startTrayApp<Menu, NativeImage>(
    electron,
    {
      controller: services.controller,
      ledger: services.ledger,
      isProcessAlive,
      logsDir: services.paths.logsDir,
      loginItems,
      settings: services.store,
      maintenance,
      // Install command-line tool: the app's executable in Node mode (packaged) runs the bundled CLI.
      cluster: createClusterPort(services, {
        platform: process.platform, home: os.homedir(), env: process.env, appExecutable: process.execPath,
        isPackaged: app.isPackaged, resourcesPath, appRoot,
      }),
      operationLogs,
      ...(services.store.recovery ? { storeRecoveryMessage: services.store.recovery.message } : {}),
      logger,
    },
    {
      platform: process.platform,
      pid: process.pid,
      iconsDir: trayIconsDir({ isPackaged: app.isPackaged, ...(resourcesPath ? { resourcesPath } : {}), appRoot }),
      picker: { html: pickerHtml, preload: path.join(appRoot, 'dist', 'preload.cjs') },
      quitWindow: { html: path.join(appRoot, 'dist', 'quit-window', 'quit.html'), preload: path.join(appRoot, 'dist', 'quit-preload.cjs') },
      instancesDir: colimaInstancesDir(process.env),
      watch: (folder, listener) => watch(folder, { persistent: false }, () => listener()),
      // SIGHUP too: a Linux logout sends SIGTERM then SIGHUP, a closed terminal SIGHUP (`npm start`).
      signals: process,
      cliCommand: cliCommand(app.isPackaged, appRoot),
      registerPickerIpc: (controller, quit) =>
        void registerIpcHandlers(electron.ipcMain, controller, { isTrustedSender: pickerPageUrlCheck(pickerHtml), logger, quit }),
    },
  );
}

function main(): void {
  const { app } = electron;
  const home = resolveAppHome(process.env);
  useAppHomeAsUserData(app, home);
  // One tray per user: a second launch only opens the picker of the first (second-instance).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Children run in their own process groups (run.ts) so timeouts can kill whole
  // trees; whatever the way out (Quit anyway, a crash in main), none may outlive
  // the app. The ledger still lists any VM, for the next launch.
  process.on('exit', () => killAllProcessGroups('SIGKILL'));
  // A menu-bar app: no Dock icon (packaging also sets LSUIElement, so it never flashes).
  app.dock?.hide();
  // The same id as package.json build.appId, or Windows drops the app's notifications.
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  app
    .whenReady()
    .then(() => launch(home))
    .catch((e: unknown) => {
      electron.dialog.showErrorBox('colima-k8s-nix could not start', userMessage(e));
      app.exit(1);
    });
}

main();
