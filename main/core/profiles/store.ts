// The profiles, persisted with electron-store in the app home (an absolute
// `cwd`, so it works without Electron and the CLI and the tray share one file:
// electron-stack.md §5). Every read goes to the file (no cache), so a change
// made by the CLI shows in a running tray at its next read.
//
// A damaged file is never silently reset (electron-stack.md §5: with
// clearInvalidConfig the user's data is lost). When the file is not valid JSON,
// breaks the schema or a migration fails, it is copied to a timestamped backup
// next to it and the store starts from the defaults; `recovery` says where the
// backup is, and the CLI and the tray show that to the user. We start from
// defaults rather than refuse because the app must still be usable to tear down
// running VMs and to quit, whatever the settings file holds.
import { existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import ElectronStore from 'electron-store';
import { AppError } from '../errors.js';
import { nullLogger, type Logger } from '../log.js';
import type { Profile } from '../model.js';
import { backupFile } from './backup.js';
import {
  APP_OPT_INS,
  defaultSettings,
  settingsMigrations,
  settingsSchema,
  STORE_FORMAT_VERSION,
  type AppOptIn,
  type AppOptIns,
  type StoredSettings,
} from './schema.js';
import { formatFieldErrors, validateProfile, validateProfileName, type HostLimits } from './validate.js';

export const SETTINGS_FILE_NAME = 'settings';

export interface StoreRecovery {
  /** Where the damaged file was copied to. */
  readonly backupPath: string;
  /** What was wrong with it. */
  readonly reason: string;
  /** One line for the user. */
  readonly message: string;
}

export interface ProfileStore {
  /** The settings file. */
  readonly file: string;
  /** Set when a damaged settings file was set aside at open. */
  readonly recovery: StoreRecovery | undefined;
  readonly host: HostLimits;
  list(): readonly Profile[];
  get(name: string): Profile | undefined;
  /** Throws AppError NOT_FOUND naming the existing profiles. */
  require(name: string): Profile;
  /** The active profile's name (the first profile when the stored one no longer exists). */
  activeProfile(): string;
  setActiveProfile(name: string): void;
  /**
   * Validates `input` and saves it: a new profile, an update, or (with a
   * different `previousName`) a rename. Throws AppError INVALID_INPUT naming
   * each bad field; nothing is written then.
   */
  save(input: unknown, previousName?: string): Profile;
  /** Removes a profile; the last one cannot be removed. */
  remove(name: string): void;
}

/** The app's own settings, kept in the same file as the profiles (schema.ts AppOptIns). */
export interface AppSettings {
  /** The opt-ins as the file holds them now (a change made by another process shows). */
  optIns(): AppOptIns;
  /** Turns one opt-in on or off and returns them all. Throws AppError INVALID_INPUT for an unknown name or a non-boolean. */
  setOptIn(name: AppOptIn, enabled: boolean): AppOptIns;
  /** Whether the doctor has already run at a first launch. */
  firstLaunchDoctorDone(): boolean;
  markFirstLaunchDoctorDone(): void;
}

/** What openProfileStore returns: the profiles and the app's settings, one file. */
export type SettingsStore = ProfileStore & AppSettings;

export interface OpenProfileStoreOptions {
  /** The app home: an absolute folder. */
  readonly home: string;
  readonly host: HostLimits;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

type Store = ElectronStore<StoredSettings>;

function createStore(home: string, host: HostLimits): Store {
  return new ElectronStore<StoredSettings>({
    cwd: home,
    name: SETTINGS_FILE_NAME,
    schema: settingsSchema as never,
    defaults: defaultSettings(host),
    projectVersion: STORE_FORMAT_VERSION,
    migrations: settingsMigrations as never,
    clearInvalidConfig: false,
    // Profile names never contain dots, but keys must never be read as paths.
    accessPropertiesByDotNotation: false,
  });
}

function describeOpenError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.name === 'SyntaxError') return 'it is not valid JSON';
  if (/schema violation/i.test(message)) return `it does not match the expected shape (${message.replace(/^Config schema violation:\s*/i, '')})`;
  return `it could not be read (${message})`;
}

/** Opens the settings store, setting a damaged file aside (see the file comment). */
export function openProfileStore(options: OpenProfileStoreOptions): SettingsStore {
  if (!path.isAbsolute(options.home)) throw new AppError('INVALID_INPUT', `The app home must be an absolute path, not "${options.home}".`);
  const logger = options.logger ?? nullLogger;
  const file = path.join(options.home, `${SETTINGS_FILE_NAME}.json`);
  let store: Store;
  let recovery: StoreRecovery | undefined;
  try {
    store = createStore(options.home, options.host);
    // A file that parses but whose profiles break the schema only fails on read.
    void store.store;
  } catch (e) {
    if (!existsSync(file)) throw e;
    const reason = describeOpenError(e);
    const backupPath = backupFile(file, options.now?.() ?? new Date());
    unlinkSync(file);
    const message =
      `The settings file ${file} was damaged (${reason}); it was copied to ${backupPath} and the app started from the default profile. ` +
      `To get your profiles back, fix the copy and move it to ${file} while the app is not running.`;
    logger.log('error', message);
    recovery = { backupPath, reason, message };
    store = createStore(options.home, options.host);
  }
  return new ElectronProfileStore(store, file, options.host, recovery);
}

class ElectronProfileStore implements SettingsStore {
  constructor(
    private readonly store: Store,
    readonly file: string,
    readonly host: HostLimits,
    readonly recovery: StoreRecovery | undefined,
  ) {}

  /** Reads the file; a file damaged while the app runs is reported, never reset. */
  private read(): StoredSettings {
    try {
      return this.store.store;
    } catch (e) {
      throw new AppError(
        'STORE_CORRUPT',
        `The settings file ${this.file} became unreadable (${describeOpenError(e)}). Fix it, or move it away and restart to begin from the default profile.`,
        { cause: e },
      );
    }
  }

  /** Writes; a file damaged meanwhile is reported the same way as on read (conf reads before it writes). */
  private write(change: Partial<StoredSettings>): void {
    try {
      this.store.set(change as StoredSettings);
    } catch (e) {
      throw new AppError('STORE_CORRUPT', `The settings file ${this.file} could not be updated (${describeOpenError(e)}). Nothing was changed.`, { cause: e });
    }
  }

  list(): readonly Profile[] {
    return Object.freeze(this.read().profiles.map(freezeProfile));
  }

  get(name: string): Profile | undefined {
    return this.list().find((p) => p.name === name);
  }

  require(name: string): Profile {
    const found = this.get(name);
    if (found) return found;
    const names = this.list().map((p) => p.name);
    throw new AppError('NOT_FOUND', `There is no profile "${name}". Profiles: ${names.join(', ')}. Create it with: colima-k8s profile set ${safeName(name)}`);
  }

  activeProfile(): string {
    const { profiles, activeProfile } = this.read();
    return profiles.some((p) => p.name === activeProfile) ? activeProfile : (profiles[0]?.name ?? '');
  }

  setActiveProfile(name: string): void {
    this.require(name);
    this.write({ activeProfile: name });
  }

  save(input: unknown, previousName?: string): Profile {
    const result = validateProfile(input, this.host);
    if (!result.ok) {
      throw new AppError('INVALID_INPUT', `Invalid profile: ${formatFieldErrors(result.errors)}`, { field: result.errors[0]?.field });
    }
    const profile = result.profile;
    const { profiles, activeProfile } = this.read();
    const from = previousName ?? profile.name;
    const index = profiles.findIndex((p) => p.name === from);
    if (previousName !== undefined && index < 0) this.require(previousName);
    if (from !== profile.name && profiles.some((p) => p.name === profile.name)) {
      throw new AppError('CONFLICT', `A profile named "${profile.name}" already exists; choose another name or remove it first.`, { field: 'name' });
    }
    const stored = { ...profile, images: [...profile.images] };
    const next = index < 0 ? [...profiles, stored] : profiles.map((p, i) => (i === index ? stored : p));
    const nextActive = activeProfile === from ? profile.name : activeProfile;
    this.write({ profiles: next, activeProfile: nextActive });
    return profile;
  }

  optIns(): AppOptIns {
    const stored = this.read();
    // conf fills missing keys from the defaults at open; a key removed by hand since then reads as off.
    return Object.freeze({
      startActiveProfileAtLaunch: stored.startActiveProfileAtLaunch === true,
      collectGarbageAfterQuit: stored.collectGarbageAfterQuit === true,
    });
  }

  setOptIn(name: AppOptIn, enabled: boolean): AppOptIns {
    if (!APP_OPT_INS.includes(name)) {
      throw new AppError('INVALID_INPUT', `There is no setting "${String(name)}". Settings: ${APP_OPT_INS.join(', ')}.`, { field: String(name) });
    }
    if (typeof enabled !== 'boolean') {
      throw new AppError('INVALID_INPUT', `${name} must be true or false, not ${JSON.stringify(enabled)}.`, { field: name });
    }
    this.write({ [name]: enabled });
    return this.optIns();
  }

  firstLaunchDoctorDone(): boolean {
    return this.read().firstLaunchDoctorDone === true;
  }

  markFirstLaunchDoctorDone(): void {
    this.write({ firstLaunchDoctorDone: true });
  }

  remove(name: string): void {
    this.require(name);
    const { profiles, activeProfile } = this.read();
    if (profiles.length === 1) {
      throw new AppError('CONFLICT', `"${name}" is the only profile and cannot be removed; create another profile first.`);
    }
    const next = profiles.filter((p) => p.name !== name);
    this.write({ profiles: next, activeProfile: activeProfile === name ? (next[0]?.name ?? '') : activeProfile });
  }
}

function freezeProfile(p: Profile): Profile {
  return Object.freeze({ ...p, images: Object.freeze([...p.images]) });
}

/** A name quoted into a hint only when it is a valid name (never echo hostile text into a command line). */
function safeName(name: string): string {
  return validateProfileName(name) === undefined ? name : 'NAME';
}
