// What each tray menu item does. Every action calls one service (the
// controller, the login item, the settings, the doctor, the GC, the terminal,
// the shell) and reports a failure as a notification; the menu then re-renders
// from the snapshot and the small `TrayExtras` state kept here.
import { mkdirSync } from 'node:fs';
import type { AppController } from '../../core/controller-api.js';
import { isAppError, userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { latestLogFile } from '../../core/maintenance/logs.js';
import type { AppOptIn, AppOptIns } from '../../core/profiles/schema.js';
import type { AppSettings } from '../../core/profiles/store.js';
import type { DoctorAction } from '../maintenance/doctor-action.js';
import type { GcAction } from '../maintenance/gc-action.js';
import type { Notice, Notifier } from '../notifications.js';
import type { OperationLogs } from '../maintenance/operation-logs.js';
import type { TrayActions } from './tray-menu.js';

/** "Start at login" as main/core/autostart's LoginItemService provides it. */
export interface LoginItemPort {
  get(): { readonly enabled: boolean; readonly message?: string };
  set(enabled: boolean): { readonly enabled: boolean; readonly message?: string };
  /** At launch: rewrites an entry that points at an old copy of the app (Linux AppImage). */
  refresh?(): { readonly enabled: boolean; readonly message?: string };
}

/** The state the menu shows besides the snapshot; undefined hides the item. */
export interface TrayExtras {
  startAtLogin: boolean | undefined;
  optIns: AppOptIns | undefined;
}

/** The extras at launch; what cannot be read is hidden (and logged), never guessed. */
export function readTrayExtras(loginItems: LoginItemPort | undefined, settings: Pick<AppSettings, 'optIns'> | undefined, logger: Logger): TrayExtras {
  let startAtLogin: boolean | undefined;
  let optIns: AppOptIns | undefined;
  try {
    // refresh(): an entry written by an older copy of the app (a moved AppImage) is rewritten.
    startAtLogin = loginItems ? (loginItems.refresh?.() ?? loginItems.get()).enabled : undefined;
  } catch (e) {
    logger.log('warn', `start at login: ${userMessage(e)}`);
  }
  try {
    optIns = settings?.optIns();
  } catch (e) {
    logger.log('warn', `settings: ${userMessage(e)}`);
  }
  return { startAtLogin, optIns };
}

export type ReportFailure = (what: string, profile?: string) => (e: unknown) => void;

export interface FailureReporterDeps {
  readonly controller: Pick<AppController, 'snapshot'>;
  readonly notifier: Notifier;
  readonly logger: Logger;
  /** A click on the notification opens this file (the failed operation's log). */
  readonly logLink: (profile: string | undefined) => Pick<Notice, 'onClick'>;
}

export function failureReporter(deps: FailureReporterDeps): ReportFailure {
  return (what, profile) => (e) => {
    // A start cancelled by Stop or Quit is not a failure; a failed start is already
    // notified from its snapshot (phase error), with colima's log lines.
    if (isAppError(e, 'CANCELLED')) return;
    if (profile && deps.controller.snapshot().instances[profile]?.phase === 'error') return;
    deps.logger.log('error', `${what}: ${userMessage(e)}`);
    const tail = isAppError(e) ? (e.details.logTail ?? []).slice(-3) : [];
    deps.notifier.notify({ title: `Could not ${what}`, body: [userMessage(e), ...tail].join('\n'), ...deps.logLink(profile) });
  };
}

export interface TrayActionDeps {
  /** The controller with per-operation logs (operation-logs.ts). */
  readonly controller: AppController;
  readonly notifier: Notifier;
  readonly logs: OperationLogs;
  readonly logsDir: string;
  readonly openPath: (target: string) => Promise<string>;
  readonly loginItems?: LoginItemPort;
  readonly settings?: Pick<AppSettings, 'setOptIn'>;
  readonly doctor?: Pick<DoctorAction, 'run'>;
  readonly gc?: Pick<GcAction, 'start'>;
  readonly openTerminal?: (logger: Logger) => Promise<void>;
  readonly extras: TrayExtras;
  readonly openProfiles: () => void;
  /** "Delete leftovers": tears down again what the launch could not remove (launch/leftovers.ts). */
  readonly deleteLeftovers?: () => void;
  readonly quit: () => void;
  readonly reportFailure: ReportFailure;
  readonly render: () => void;
}

const OPT_IN_LABEL: Record<AppOptIn, string> = {
  startActiveProfileAtLaunch: 'Start active profile at launch',
  collectGarbageAfterQuit: 'Collect nix garbage after quit',
};

export function createTrayActions(deps: TrayActionDeps): TrayActions {
  const { controller, reportFailure, extras } = deps;

  const setOptIn = (name: AppOptIn, enabled: boolean): void => {
    if (!deps.settings) return;
    try {
      extras.optIns = deps.settings.setOptIn(name, enabled);
    } catch (e) {
      reportFailure(`change "${OPT_IN_LABEL[name]}"`)(e);
    }
    deps.render();
  };

  /** Opens a log file or folder; shell.openPath resolves with Electron's error text instead of rejecting. */
  const open = (target: string, what: string): void => {
    deps.openPath(target).then(
      (problem) => problem && deps.notifier.notify({ title: `Could not open ${what}`, body: `${problem}\n${target}` }),
      reportFailure(`open ${what}`),
    );
  };

  return {
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
        reportFailure(`switch to ${name}`)(e);
      }
    },
    openProfiles: () => deps.openProfiles(),
    setStartAtLogin(enabled) {
      if (!deps.loginItems) return;
      try {
        const state = deps.loginItems.set(enabled);
        extras.startAtLogin = state.enabled;
        if (state.message) deps.notifier.notify({ title: 'Start at login', body: state.message });
      } catch (e) {
        reportFailure('change "Start at login"')(e);
      }
      deps.render();
    },
    setStartActiveProfileAtLaunch: (enabled) => setOptIn('startActiveProfileAtLaunch', enabled),
    setCollectGarbageAfterQuit: (enabled) => setOptIn('collectGarbageAfterQuit', enabled),
    runDoctor() {
      void deps.doctor?.run('on-demand');
    },
    collectGarbage() {
      deps.gc?.start();
    },
    openTerminal() {
      const open = deps.openTerminal;
      if (!open) return;
      deps.logs.run('terminal', (log) => open(log)).catch(reportFailure('open a terminal in the nix environment'));
    },
    showLogs() {
      try {
        mkdirSync(deps.logsDir, { recursive: true });
      } catch (e) {
        reportFailure('create the logs folder')(e);
        return;
      }
      // The newest operation log (a failed start's, most often); the folder when there is none yet.
      const target = latestLogFile(deps.logsDir) ?? deps.logsDir;
      open(target, target === deps.logsDir ? 'the logs folder' : 'the log');
    },
    showDetails() {
      // The active profile's last operation log (its error in full); else the newest log, as Show logs.
      const target = deps.logs.lastFileFor(controller.snapshot().activeProfile) ?? latestLogFile(deps.logsDir);
      if (target) open(target, 'the log');
      else deps.notifier.notify({ title: 'No log to show', body: `No operation log was written yet in ${deps.logsDir}.` });
    },
    ...(deps.deleteLeftovers ? { deleteLeftovers: deps.deleteLeftovers } : {}),
    quit: () => deps.quit(),
  };
}
