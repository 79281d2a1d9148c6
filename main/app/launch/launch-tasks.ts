// Folder launch/: what happens once at launch: leftovers of an earlier session
// torn down or adopted, then the first-run doctor and the opt-in start.
//
// What the tray does once the launch-time cleanup is over: the doctor at the
// very first launch (a flag in the settings file remembers it ran), then, when
// the user opted in, a start of the active profile. In that order: the
// doctor's resource check would otherwise see the VM that is starting, and a
// crash's leftovers must be gone before anything new starts.
import type { AppController } from '../../core/controller-api.js';
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { AppSettings } from '../../core/profiles/store.js';
import type { DoctorAction } from '../maintenance/doctor-action.js';
import type { LeftoverOutcome } from './leftovers.js';

export interface LaunchTaskDeps {
  /** The launch-time cleanup (tray-app.ts); the tasks wait for it. */
  readonly leftovers: Promise<LeftoverOutcome>;
  readonly settings?: Pick<AppSettings, 'optIns' | 'firstLaunchDoctorDone' | 'markFirstLaunchDoctorDone'>;
  readonly doctor?: Pick<DoctorAction, 'run'>;
  readonly controller: Pick<AppController, 'snapshot' | 'start'>;
  /** True once the quit path runs: nothing is started then. */
  readonly isQuitting: () => boolean;
  /** The tray's failure notification (a cancelled start is not one). */
  readonly onStartFailure: (e: unknown) => void;
  readonly logger: Logger;
}

export interface LaunchTasksOutcome {
  readonly doctor: 'ran' | 'already-ran' | 'unavailable' | 'failed';
  readonly start: 'started' | 'off' | 'skipped' | 'failed';
}

export async function runLaunchTasks(deps: LaunchTaskDeps): Promise<LaunchTasksOutcome> {
  const leftovers = await deps.leftovers;
  const doctor = await firstLaunchDoctor(deps);
  const start = await startActiveAtLaunch(deps, leftovers);
  return { doctor, start };
}

async function firstLaunchDoctor(deps: LaunchTaskDeps): Promise<LaunchTasksOutcome['doctor']> {
  const { settings, doctor, logger } = deps;
  if (!settings || !doctor) return 'unavailable';
  try {
    if (settings.firstLaunchDoctorDone()) return 'already-ran';
  } catch (e) {
    logger.log('warn', `first-launch doctor: the settings cannot be read, so it does not run: ${userMessage(e)}`);
    return 'unavailable';
  }
  if (deps.isQuitting()) return 'unavailable';
  logger.log('info', 'first launch: running the doctor');
  const report = await doctor.run('first-launch');
  // Only a run that finished counts: otherwise it runs again at the next launch.
  if (!report) return 'failed';
  try {
    settings.markFirstLaunchDoctorDone();
  } catch (e) {
    logger.log('warn', `first-launch doctor: could not remember that it ran: ${userMessage(e)}`);
  }
  return 'ran';
}

async function startActiveAtLaunch(deps: LaunchTaskDeps, leftovers: LeftoverOutcome): Promise<LaunchTasksOutcome['start']> {
  const { settings, controller, logger } = deps;
  let enabled = false;
  try {
    enabled = settings?.optIns().startActiveProfileAtLaunch ?? false;
  } catch (e) {
    logger.log('warn', `start at launch: the settings cannot be read, so nothing is started: ${userMessage(e)}`);
  }
  if (!enabled) return 'off';
  const { activeProfile, instances } = controller.snapshot();
  const phase = instances[activeProfile]?.phase;
  let skip: string | undefined;
  if (deps.isQuitting()) skip = 'the app is quitting';
  // A start records the instance in the ledger first; with the ledger unreadable it would only fail.
  else if (leftovers.kind === 'unreadable') skip = 'the ledger of started instances cannot be read';
  else if (phase === 'running' || phase === 'starting') skip = `${activeProfile} is already ${phase}`;
  if (skip) {
    logger.log('info', `start at launch: not starting ${activeProfile}: ${skip}`);
    return 'skipped';
  }
  logger.log('info', `start at launch: starting ${activeProfile}`);
  try {
    await controller.start(activeProfile);
    return 'started';
  } catch (e) {
    deps.onStartFailure(e);
    return 'failed';
  }
}
