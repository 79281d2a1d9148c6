// The settings file's shape: a JSON schema (structure only: host-dependent
// bounds such as "cpus ≤ this machine's cores" are checked by validateProfile,
// because the same file may move to a smaller machine), the defaults, and the
// migrations that bring files written by older versions up to date.
import type { Profile } from '../model.js';
import { DEFAULT_PROFILE, type HostLimits } from './validate.js';

/** Bumped whenever the file's shape changes; a migration keyed by it converts older files. */
export const STORE_FORMAT_VERSION = '1.1.0';

/**
 * The app's opt-ins, stored next to the profiles so the CLI and the tray share
 * them. Both are off until the user turns them on (issue 6).
 */
export interface AppOptIns {
  /** Start the active profile when the app launches (not the same as starting the app at login). */
  readonly startActiveProfileAtLaunch: boolean;
  /** Collect nix garbage after a successful quit teardown, before the app exits. */
  readonly collectGarbageAfterQuit: boolean;
}

export type AppOptIn = keyof AppOptIns;

export const APP_OPT_INS: readonly AppOptIn[] = ['startActiveProfileAtLaunch', 'collectGarbageAfterQuit'];

export const DEFAULT_OPT_INS: AppOptIns = Object.freeze({ startActiveProfileAtLaunch: false, collectGarbageAfterQuit: false });

export interface StoredSettings extends AppOptIns {
  profiles: Profile[];
  activeProfile: string;
  /** True once the doctor has run at the first launch (it then runs only on demand). */
  firstLaunchDoctorDone: boolean;
}

/**
 * conf's `schema` option: one JSON schema per top-level key. Each profile is
 * checked in code instead (read-settings.ts), one at a time, so that one bad
 * profile is set aside with a plain message instead of the whole file failing
 * with a JSON-schema pattern.
 */
export const settingsSchema = {
  profiles: { type: 'array' },
  activeProfile: { type: 'string' },
  startActiveProfileAtLaunch: { type: 'boolean' },
  collectGarbageAfterQuit: { type: 'boolean' },
  firstLaunchDoctorDone: { type: 'boolean' },
} as const;

/**
 * The seed's profile (`--cpu 4 --memory 8 --network-address --kubernetes -r
 * containerd`), reduced to what this machine has so the first profile is always
 * startable on a small host.
 */
export function defaultProfileFor(host: HostLimits): Profile {
  return Object.freeze({
    ...DEFAULT_PROFILE,
    cpus: Math.max(1, Math.min(DEFAULT_PROFILE.cpus, host.cpus)),
    memoryGiB: Math.max(1, Math.min(DEFAULT_PROFILE.memoryGiB, host.memoryGiB)),
  });
}

export function defaultSettings(host: HostLimits): StoredSettings {
  const profile = defaultProfileFor(host);
  return { profiles: [{ ...profile, images: [...profile.images] }], activeProfile: profile.name, ...DEFAULT_OPT_INS, firstLaunchDoctorDone: false };
}

interface MigratableStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/**
 * conf runs each migration whose version is above the file's recorded one and
 * at most STORE_FORMAT_VERSION, before the schema is checked.
 *
 * 1.0.0: files written before the format had a version (hand-written or from a
 * pre-release) may lack fields added later; fill each from the defaults so the
 * schema accepts them instead of the file being set aside as corrupt.
 */
export const settingsMigrations: Record<string, (store: MigratableStore) => void> = {
  '1.0.0': (store) => {
    const profiles = store.get('profiles');
    if (!Array.isArray(profiles)) return;
    store.set(
      'profiles',
      profiles.map((p: unknown) => (typeof p === 'object' && p !== null ? { ...DEFAULT_PROFILE, images: [], ...p } : p)),
    );
  },
  /**
   * 1.1.0: the opt-ins and the first-launch doctor flag. A file from 1.0.0 has
   * none of them: each starts off, so nothing new happens unasked. The doctor
   * flag starts unset, so an upgraded install runs the doctor once too.
   */
  '1.1.0': (store) => {
    for (const key of [...APP_OPT_INS, 'firstLaunchDoctorDone'] as const) {
      if (typeof store.get(key) !== 'boolean') store.set(key, false);
    }
  },
};
