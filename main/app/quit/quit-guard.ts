// Once a quit has begun nothing new may start. The controller itself refuses
// starts only while teardownAll runs, but a quit lasts longer: it waits for
// Retry / Quit anyway after a failed teardown, and may collect nix garbage
// after a good one. A VM started then would outlive the app (app.exit does not
// tear down again). So every caller in the app (tray, picker IPC, launch tasks)
// goes through this guard, which answers BUSY for the whole quit. Stops and
// the teardown itself (Retry) pass through.
import type { AppController } from '../../core/controller-api.js';
import { AppError } from '../../core/errors.js';
import type { QuitState } from './quit.js';

/** What a refused request says, by the quit's phase. */
export function quittingMessage(state: QuitState): string {
  switch (state) {
    case 'awaiting-choice':
      return 'Quitting: the teardown needs your answer in the quit window (Retry or Quit anyway); nothing new can start until the app has quit.';
    case 'finishing':
    case 'exiting':
      return 'Quitting: the clusters are removed and the app exits in a moment; open it again to start a cluster.';
    default:
      return 'Quitting: the app is stopping and deleting its clusters; nothing new can start until it has quit. Open it again afterwards.';
  }
}

export function quittingError(state: QuitState): AppError {
  return new AppError('BUSY', quittingMessage(state));
}

/**
 * `controller` with start, the toggle's start, profile saves and deletes
 * refused (AppError BUSY "Quitting: …") while `quitState()` is not 'running'.
 */
export function refuseStartsWhileQuitting(controller: AppController, quitState: () => QuitState): AppController {
  const refusal = (): AppError | undefined => {
    const state = quitState();
    return state === 'running' ? undefined : quittingError(state);
  };
  return {
    snapshot: () => controller.snapshot(),
    subscribe: (listener) => controller.subscribe(listener),
    start(profile) {
      const refused = refusal();
      return refused ? Promise.reject(refused) : controller.start(profile);
    },
    stop: (profile) => controller.stop(profile),
    toggleActive() {
      const { activeProfile, instances } = controller.snapshot();
      const phase = instances[activeProfile]?.phase;
      // The toggle stops a running or starting instance: that stays allowed.
      const wouldStart = phase !== 'running' && phase !== 'starting';
      const refused = wouldStart ? refusal() : undefined;
      return refused ? Promise.reject(refused) : controller.toggleActive();
    },
    refresh: () => controller.refresh(),
    setActiveProfile: (name) => controller.setActiveProfile(name),
    saveProfile(input, previousName) {
      const refused = refusal();
      if (refused) throw refused;
      return controller.saveProfile(input, previousName);
    },
    deleteProfile(name, confirmName) {
      const refused = refusal();
      return refused ? Promise.reject(refused) : controller.deleteProfile(name, confirmName);
    },
    teardownAll: (options) => controller.teardownAll(options),
  };
}
