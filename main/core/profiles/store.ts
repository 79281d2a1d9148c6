// The profiles, persisted with electron-store in the app home (an absolute
// `cwd`, so it works without Electron and the CLI and the tray share one file:
// electron-stack.md §5). Every read goes to the file (no cache), so a change
// made by the CLI shows in a running tray at its next read.
//
// Reads never write: they parse the file here (read-settings.ts) and only a
// change (save, remove, use, an opt-in) goes through electron-store, which then
// also brings an older file up to date. So `profile list` or `status` leaves
// settings.json byte for byte as it was.
//
// A damaged file is never silently reset (electron-stack.md §5: with
// clearInvalidConfig the user's data is lost). One profile that cannot be used
// is set aside: the others are used, it stays in the file as it was, and
// warnings() names it on every read until it is fixed or removed. A file that
// cannot be used at all (not JSON, wrong shape) is copied next to it once, the
// app runs on the default profile and warns on every read; the file itself is
// only replaced when the user saves a change. We go on rather than refuse
// because the app must still be usable to tear down running VMs and to quit.
import { unlinkSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { nullLogger, type Logger } from '../log.js';
import type { Profile } from '../model.js';
import { backupFileOnce } from './backup.js';
import { parseSettings, profilesToWrite, type ProfileEntry } from './read-settings.js';
import { createStore, describeWriteError, readSettingsText, SETTINGS_FILE_NAME, type Store } from './settings-file.js';
import { damagedFileWarning, setAsideWarning, type SettingsWarning } from './settings-warnings.js';
import { APP_OPT_INS, defaultSettings, type AppOptIn, type AppOptIns, type StoredSettings } from './schema.js';
import { formatFieldErrors, validateProfile, validateProfileName, type HostLimits } from './validate.js';

export { SETTINGS_FILE_NAME } from './settings-file.js';
export type { SettingsWarning } from './settings-warnings.js';

export interface StoreRecovery {
  /** Where what could not be used is kept: the copy of a damaged file, or settings.json itself for a set-aside profile. */
  readonly backupPath: string;
  /** What was wrong with it. */
  readonly reason: string;
  /** One line for the user. */
  readonly message: string;
}

export interface ProfileStore {
  /** The settings file. */
  readonly file: string;
  /**
   * Every warning of warnings() in one, or undefined when there is none.
   * Re-read from the file at each access (kept for callers that show one line).
   */
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

/** What the CLI and the tray show the user about the file (see settings-warnings.ts). */
export interface SettingsWarnings {
  /**
   * What the settings file holds that the app cannot use, read from the file
   * now: set-aside profiles, or a damaged file. Empty once it is fixed or the
   * bad profile is replaced or removed. Never writes, never throws.
   */
  warnings(): readonly SettingsWarning[];
}

/** What openProfileStore returns: the profiles and the app's settings, one file. */
export type SettingsStore = ProfileStore & AppSettings & SettingsWarnings;

export interface OpenProfileStoreOptions {
  /** The app home: an absolute folder. */
  readonly home: string;
  readonly host: HostLimits;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

/** What one read of the file gives: the settings to use, the `profiles` entries as the file holds them, the damage if any. */
interface Snapshot {
  readonly settings: StoredSettings;
  readonly entries: readonly ProfileEntry[];
  /** Why the whole file cannot be used (the settings are then the defaults). */
  readonly damaged?: string;
}

/** Opens the settings store; never writes settings.json (see the file comment). */
export function openProfileStore(options: OpenProfileStoreOptions): SettingsStore {
  if (!path.isAbsolute(options.home)) throw new AppError('INVALID_INPUT', `The app home must be an absolute path, not "${options.home}".`);
  const logger = options.logger ?? nullLogger;
  const file = path.join(options.home, `${SETTINGS_FILE_NAME}.json`);
  const now = options.now ?? ((): Date => new Date());
  const text = readSettingsText(file);
  const parsed = text === undefined ? undefined : parseSettings(text, options.host);
  // A file that cannot be used at all is copied once (the same damage seen again reuses the copy).
  const damage = parsed && !parsed.ok ? { reason: parsed.reason, backupPath: backupFileOnce(file, now()) } : undefined;
  const store = new ElectronProfileStore(options.home, file, options.host, damage, now);
  // A set-aside profile is not logged: warnings() shows it on every run, and a log line would make every `profile list` write a log file.
  if (damage) logger.log('error', store.warnings()[0]?.message ?? damage.reason);
  return store;
}

class ElectronProfileStore implements SettingsStore {
  /** electron-store, made at the first change only: making it migrates and fills in the file, which a read must not do. */
  private conf: Store | undefined;

  constructor(
    private readonly home: string,
    readonly file: string,
    readonly host: HostLimits,
    /** Set when the file could not be used at all when the store was opened. */
    private readonly damage: { readonly reason: string; readonly backupPath: string } | undefined,
    private readonly now: () => Date,
  ) {}

  get recovery(): StoreRecovery | undefined {
    const warnings = this.warnings();
    if (warnings.length === 0) return undefined;
    return { backupPath: warnings[0]!.keptIn, reason: warnings.map((w) => w.reason).join('; '), message: warnings.map((w) => w.message).join(' ') };
  }

  warnings(): readonly SettingsWarning[] {
    let snap: Snapshot;
    try {
      snap = this.snapshot();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return Object.freeze([Object.freeze({ kind: 'file-damaged' as const, profile: undefined, keptIn: this.file, reason: message, message })]);
    }
    if (snap.damaged !== undefined) return Object.freeze([Object.freeze(damagedFileWarning(this.file, this.damage!.backupPath, snap.damaged))]);
    return Object.freeze(snap.entries.flatMap((e) => ('setAside' in e ? [Object.freeze(setAsideWarning(this.file, e.setAside))] : [])));
  }

  /** Reads the file. A file damaged at open reads as the defaults; one damaged while the app runs is reported, never reset. */
  private snapshot(): Snapshot {
    const text = readSettingsText(this.file);
    const parsed = text === undefined ? undefined : parseSettings(text, this.host);
    if (parsed?.ok) return parsed;
    const settings = defaultSettings(this.host);
    const entries = settings.profiles.map((p) => ({ profile: p, raw: p }));
    if (parsed === undefined) return { settings, entries };
    if (this.damage) return { settings, entries, damaged: parsed.reason };
    throw new AppError(
      'STORE_CORRUPT',
      `The settings file ${this.file} became unreadable (${parsed.reason}). Fix it, or move it away and restart to begin from the default profile.`,
    );
  }

  private read(): StoredSettings {
    return this.snapshot().settings;
  }

  /**
   * Writes; a file damaged meanwhile is reported the same way as on read. A
   * file that was damaged at open is replaced (its copy is made sure of first).
   */
  private write(change: Partial<StoredSettings>, base: Snapshot = this.snapshot()): void {
    try {
      if (base.damaged !== undefined) {
        backupFileOnce(this.file, this.now());
        unlinkSync(this.file);
      }
      this.conf ??= createStore(this.home, this.host);
      this.conf.set(change as StoredSettings);
    } catch (e) {
      throw new AppError('STORE_CORRUPT', `The settings file ${this.file} could not be updated (${describeWriteError(e)}). Nothing was changed.`, { cause: e });
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
    const setAside = this.warnings().find((w) => w.profile === name);
    if (setAside) throw new AppError('NOT_FOUND', setAside.message);
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
    const snap = this.snapshot();
    const { profiles, activeProfile } = snap.settings;
    const from = previousName ?? profile.name;
    const usableAt = (name: string): number => snap.entries.findIndex((e) => 'profile' in e && e.profile.name === name);
    const setAsideAt = (name: string): number => snap.entries.findIndex((e) => 'setAside' in e && e.setAside.name === name);
    if (previousName !== undefined && !profiles.some((p) => p.name === previousName)) this.require(previousName);
    if (from !== profile.name && (profiles.some((p) => p.name === profile.name) || setAsideAt(profile.name) >= 0)) {
      throw new AppError('CONFLICT', `A profile named "${profile.name}" already exists; choose another name or remove it first.`, { field: 'name' });
    }
    // Saving under the name of a set-aside profile replaces it: that is one way to fix it.
    const index = usableAt(from) >= 0 ? usableAt(from) : setAsideAt(profile.name);
    const entry: ProfileEntry = { profile, raw: profile };
    const next = index < 0 ? [...snap.entries, entry] : snap.entries.map((e, i) => (i === index ? entry : e));
    const nextActive = activeProfile === from ? profile.name : activeProfile;
    this.write({ profiles: profilesToWrite(next) as Profile[], activeProfile: nextActive }, snap);
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
    const snap = this.snapshot();
    const { profiles, activeProfile } = snap.settings;
    if (!profiles.some((p) => p.name === name)) {
      // A set-aside profile can always be removed: it is not one the app could use.
      const at = snap.entries.findIndex((e) => 'setAside' in e && e.setAside.name === name);
      if (at < 0) this.require(name);
      this.write({ profiles: profilesToWrite(snap.entries.filter((_, i) => i !== at)) as Profile[] }, snap);
      return;
    }
    if (profiles.length === 1) {
      throw new AppError('CONFLICT', `"${name}" is the only profile and cannot be removed; create another profile first.`);
    }
    const next = snap.entries.filter((e) => !('profile' in e && e.profile.name === name));
    const first = next.find((e): e is Extract<ProfileEntry, { profile: Profile }> => 'profile' in e)?.profile.name ?? '';
    this.write({ profiles: profilesToWrite(next) as Profile[], activeProfile: activeProfile === name ? first : activeProfile }, snap);
  }
}

function freezeProfile(p: Profile): Profile {
  return Object.freeze({ ...p, images: Object.freeze([...p.images]) });
}

/** A name quoted into a hint only when it is a valid name (never echo hostile text into a command line). */
function safeName(name: string): string {
  return validateProfileName(name) === undefined ? name : 'NAME';
}
