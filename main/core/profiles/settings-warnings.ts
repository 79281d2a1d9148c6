// What the settings store tells the user about a file it could not fully use.
// Derived from the file at each read, so a warning shows on every run until the
// file is fixed (or the bad entry removed), and never once only.
import type { SetAsideProfile } from './read-settings.js';

export interface SettingsWarning {
  /** `profile-set-aside`: one profile cannot be used, the others can. `file-damaged`: the whole file cannot be used. */
  readonly kind: 'profile-set-aside' | 'file-damaged';
  /** The set-aside profile's name, when it has a valid one. */
  readonly profile: string | undefined;
  /** Where the data the app could not use is kept (settings.json itself for a set-aside profile, the copy for a damaged file). */
  readonly keptIn: string;
  /** What was wrong, without the file name or the advice. */
  readonly reason: string;
  /** One plain line for the user: what, where it is kept, how to fix it. */
  readonly message: string;
}

export function setAsideWarning(file: string, p: SetAsideProfile): SettingsWarning {
  const reason = p.problems.join('; ');
  const what = p.name !== undefined ? `Profile "${p.name}"` : `Profile ${p.index + 1} of the list (it has no valid name)`;
  const how =
    p.name !== undefined
      ? `Fix it there, replace it with: colima-k8s profile set ${p.name} [--cpu N --memory GiB ...] (the fields you leave out start from the defaults), ` +
        `or remove it with: colima-k8s profile remove ${p.name}`
      : 'Fix or delete that entry there while the app is not running';
  return {
    kind: 'profile-set-aside',
    profile: p.name,
    keptIn: file,
    reason,
    message: `${what} was set aside: ${reason}. Its settings are kept as they were in ${file} (entry ${p.index + 1} of "profiles"). ${how}.`,
  };
}

export function damagedFileWarning(file: string, backupPath: string, reason: string): SettingsWarning {
  return {
    kind: 'file-damaged',
    profile: undefined,
    keptIn: backupPath,
    reason,
    message:
      `The settings file ${file} cannot be used: ${reason}. A copy is kept in ${backupPath}. The app uses the default profile ` +
      `until the file is fixed, and does not write to it until you save a change, which starts a new file (the copy stays). ` +
      `To get your profiles back, fix ${file} while the app is not running.`,
  };
}
