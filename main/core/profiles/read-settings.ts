// Reading settings.json without writing it: the text is parsed here, brought
// up to date in memory (the same migrations conf runs at a write), and split
// into the profiles that can be used and the ones that must be set aside.
//
// One bad profile never costs the others: a profile whose *structure* is wrong
// (cpus "lots", a missing name) is set aside and left in the file as it is, so
// nothing is lost and the warning stays until it is fixed or removed. Bounds
// that depend on this machine (cpus ≤ cores) do not set a profile aside: the
// same file may come from a bigger machine, and starting checks them.
import type { Profile } from '../model.js';
import { APP_OPT_INS, defaultSettings, settingsMigrations, STORE_FORMAT_VERSION, type StoredSettings } from './schema.js';
import { validateProfile, type HostLimits } from './validate.js';

/** A profile of the file that cannot be used; its raw JSON stays in the file untouched. */
export interface SetAsideProfile {
  /** Its position in the file's `profiles` list. */
  readonly index: number;
  /** Its name when it has one that is a valid profile name (safe to quote into a command). */
  readonly name: string | undefined;
  /** The entry exactly as the file holds it. */
  readonly raw: unknown;
  /** One plain sentence per bad field, e.g. `CPUs must be a whole number from 1 to 8 (found "lots")`. */
  readonly problems: readonly string[];
}

/** One entry of `profiles`: usable, or set aside. */
export type ProfileEntry = { readonly profile: Profile; readonly raw: unknown } | { readonly setAside: SetAsideProfile; readonly raw: unknown };

export type ParsedSettings =
  | { readonly ok: true; readonly settings: StoredSettings; readonly entries: readonly ProfileEntry[] }
  | { readonly ok: false; readonly reason: string };

const NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const isBool = (v: unknown): boolean => typeof v === 'boolean';
const isWhole = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 1;

/** What the file must hold for a profile to be usable at all (the former JSON schema, in code). */
const STRUCTURE: Record<keyof Profile, (v: unknown) => boolean> = {
  name: (v) => typeof v === 'string' && v.length <= 69 && NAME_PATTERN.test(v),
  cpus: isWhole,
  memoryGiB: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 1,
  diskGiB: isWhole,
  kubernetes: isBool,
  kubernetesVersion: (v) => typeof v === 'string',
  runtime: (v) => v === 'containerd' || v === 'docker',
  networkAddress: isBool,
  images: (v) => Array.isArray(v) && v.every((i) => typeof i === 'string'),
  keepData: isBool,
  switchKubeContext: isBool,
};

/** A value quoted into a message: JSON (so control characters are escaped), kept short. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function profileProblems(raw: unknown, host: HostLimits): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [`it is not a profile (found ${shown(raw)})`];
  const o = raw as Record<string, unknown>;
  const bad = (Object.keys(STRUCTURE) as (keyof Profile)[]).filter((field) => !STRUCTURE[field](o[field]));
  if (bad.length === 0) return [];
  const result = validateProfile(raw, host);
  const messages = result.ok ? [] : result.errors;
  return bad.map((field) => {
    const plain = (messages.find((e) => e.field === field)?.message ?? `${field} is not valid.`).replace(/\.$/, '');
    const found = shown(o[field]);
    // Say what the file holds unless the message already does: "… from 1 to 8 (this machine's cores)" → "… from 1 to 8 (found "lots")".
    return plain.includes(found) ? plain : `${plain.replace(/\s*\([^)]*\)$/, '')} (found ${found})`;
  });
}

function versionBelow(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) < (pb[i] ?? 0);
  return false;
}

/** Runs, on a copy, the migrations conf would run at the next write. */
function migrated(data: Record<string, unknown>): Record<string, unknown> {
  const internal = data.__internal__ as { migrations?: { version?: unknown } } | undefined;
  const version = typeof internal?.migrations?.version === 'string' ? internal.migrations.version : '0.0.0';
  const copy: Record<string, unknown> = structuredClone(data);
  const view = { get: (key: string): unknown => copy[key], set: (key: string, value: unknown): void => void (copy[key] = value) };
  for (const [to, migrate] of Object.entries(settingsMigrations)) {
    if (versionBelow(version, to) && !versionBelow(STORE_FORMAT_VERSION, to)) migrate(view);
  }
  return copy;
}

/** Why the file as a whole cannot be used (its top level is the wrong shape), or undefined. */
function fileProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return `it does not hold settings (found ${shown(data)})`;
  const o = data as Record<string, unknown>;
  if (o.profiles !== undefined && !Array.isArray(o.profiles)) return `"profiles" must be a list of profiles (found ${shown(o.profiles)})`;
  if (o.activeProfile !== undefined && typeof o.activeProfile !== 'string') return `"activeProfile" must be a profile name (found ${shown(o.activeProfile)})`;
  for (const key of [...APP_OPT_INS, 'firstLaunchDoctorDone']) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') return `"${key}" must be true or false (found ${shown(o[key])})`;
  }
  return undefined;
}

/** Parses the file's text; never throws. */
export function parseSettings(text: string, host: HostLimits): ParsedSettings {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `it is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const problem = fileProblem(data);
  if (problem) return { ok: false, reason: problem };
  const defaults = defaultSettings(host);
  const o = migrated(data as Record<string, unknown>);
  const rawProfiles = Array.isArray(o.profiles) ? (o.profiles as unknown[]) : defaults.profiles;
  const entries: ProfileEntry[] = rawProfiles.map((raw, index) => {
    const problems = profileProblems(raw, host);
    if (problems.length === 0) return { profile: raw as Profile, raw };
    const name = (raw as { name?: unknown } | null)?.name;
    return { raw, setAside: { index, raw, problems, name: typeof name === 'string' && NAME_PATTERN.test(name) ? name : undefined } };
  });
  const usable = entries.flatMap((e) => ('profile' in e ? [e.profile] : []));
  const settings: StoredSettings = {
    ...defaults,
    ...(o as Partial<StoredSettings>),
    // With every profile set aside the app still needs one: the default, in memory only.
    profiles: usable.length > 0 ? usable : defaults.profiles,
  };
  return { ok: true, settings, entries };
}

/** The `profiles` list to write: the usable profiles as given, every set-aside entry kept as it was. */
export function profilesToWrite(entries: readonly ProfileEntry[]): unknown[] {
  return entries.map((e) => ('profile' in e ? { ...e.profile, images: [...e.profile.images] } : e.raw));
}
