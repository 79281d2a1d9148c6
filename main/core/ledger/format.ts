// What a ledger file may hold. Every entry is checked before anything acts on
// it: a teardown stops and deletes the instance an entry names, so an entry
// that names colima's own instance (`default`, "" → `colima`: colima-cli §1)
// or an instance ID that is not its profile's would destroy a VM the app never
// started. One bad entry makes the whole file damaged (ledger.ts keeps a copy
// and asks the user): a file someone edited by hand is not trusted in part.
import { instanceId } from '../colima/argv.js';
import type { LedgerOwner, RecordedEntry, StartProcess, StartState } from './entry.js';
import { validateProfileName } from '../profiles/validate.js';

/**
 * Entries written before the ledger knew owners (no `owner`/`state`) are read
 * as a COMPLETED CLI START: a dead owner then means "adopt" (kept running,
 * shown as app-started, deleted when the tray quits and by `colima-k8s
 * down`), never "delete at launch". Such an entry may be someone's working
 * cluster started from a terminal, and deleting it (and its data) without
 * being asked cannot be undone; adopting it is not silent (the tray shows it
 * and notifies) and a quit still removes it. The other choice, `tray`, would
 * delete every old CLI-started cluster at the first launch of this version.
 */
export const LEGACY_OWNER: LedgerOwner = 'cli';
export const LEGACY_STATE: StartState = 'started';

export interface LedgerFile {
  readonly version: 1;
  readonly instances: readonly RecordedEntry[];
}

export type ParsedLedger = { readonly ok: true; readonly file: LedgerFile } | { readonly ok: false; readonly problem: string };

export function parseLedger(text: string): ParsedLedger {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'it is not valid JSON' };
  }
  if (typeof data !== 'object' || data === null) return { ok: false, problem: 'it is not a JSON object' };
  const { version, instances } = data as Record<string, unknown>;
  if (version !== 1 || !Array.isArray(instances)) return { ok: false, problem: 'it is not a version 1 ledger with an instances list' };
  const seen = new Set<string>();
  for (const [i, e] of instances.entries()) {
    const problem = entryProblem(e);
    if (problem) return { ok: false, problem: `entry ${i + 1}: ${problem}` };
    const profile = (e as RecordedEntry).profile;
    if (seen.has(profile)) return { ok: false, problem: `entry ${i + 1}: profile "${profile}" is recorded twice` };
    seen.add(profile);
  }
  const entries = instances as RecordedEntry[];
  return {
    ok: true,
    file: { version: 1, instances: Object.freeze(entries.map((e) => Object.freeze({ ...e, owner: e.owner ?? LEGACY_OWNER, state: e.state ?? LEGACY_STATE }))) },
  };
}

/** Why `e` is not a ledger entry the app may act on, or undefined when it is one. */
export function entryProblem(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return 'not an object';
  const o = e as Record<string, unknown>;
  const nameProblem = validateProfileName(o.profile);
  if (nameProblem) return `profile ${quoted(o.profile)}: ${nameProblem}`;
  const profile = o.profile as string;
  if (o.instanceId !== instanceId(profile)) return `profile "${profile}" must have the instance ID ${instanceId(profile)}, not ${quoted(o.instanceId)}`;
  const fields =
    typeof o.keepData === 'boolean' &&
    typeof o.switchedContext === 'boolean' &&
    typeof o.startedAt === 'string' &&
    isPid(o.pid) &&
    (o.previousContext === undefined || typeof o.previousContext === 'string') &&
    (o.owner === undefined || o.owner === 'tray' || o.owner === 'cli') &&
    (o.ownerIdentity === undefined || typeof o.ownerIdentity === 'string') &&
    (o.state === undefined || o.state === 'starting' || o.state === 'started') &&
    (o.startProcess === undefined || isStartProcess(o.startProcess)) &&
    (o.teardownBy === undefined || isPid(o.teardownBy));
  return fields ? undefined : `profile "${profile}" has a missing or invalid field`;
}

const isPid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

function isStartProcess(v: unknown): v is StartProcess {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  // pgid 1 would make kill(-1) signal every process of the user: never accepted.
  return isPid(o.pgid) && o.pgid > 1 && (o.identity === undefined || typeof o.identity === 'string');
}

/** A value from the file, short and on one line, for a message. */
function quoted(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
