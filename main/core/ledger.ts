// The ledger: the colima instances this app started, so that "quit" (and a
// later launch after a crash or SIGKILL) tears down exactly those and never an
// instance someone started by hand. An entry is written BEFORE `colima start`
// runs and removed only after a successful delete, so there is no moment at
// which a VM we created is unrecorded.
//
// One small JSON file, rewritten atomically (temp file + fsync + rename), and a
// lock file around each read-modify-write because the CLI and the tray may both
// change it at the same time.
//
// Each entry also says who recorded it (tray or CLI), whether its `colima
// start` completed, and while it runs, colima's process group: what a later
// launch or `down` needs to tell a crash's leftover from a CLI-started cluster
// and to stop a start its dead owner left running (lifecycle/ownership.ts,
// lifecycle/orphaned-start.ts).
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.js';
import { backupFile } from './profiles/backup.js';

/** Who recorded an entry: the tray app, or a `colima-k8s` CLI run. */
export type LedgerOwner = 'tray' | 'cli';

/**
 * Whether the owner's `colima start` returned successfully. `starting` from
 * the moment the entry is written (before colima runs) until then; a start
 * that failed, was cancelled or was killed stays `starting`.
 */
export type StartState = 'starting' | 'started';

/** The `colima start` process of an entry that is `starting` (run.ts spawns it as a process group leader). */
export interface StartProcess {
  /** Its process group id (= its pid: runCommand spawns detached). */
  readonly pgid: number;
  /** processIdentity() of that pid, recorded right after the spawn when it can be read (pid reuse check). */
  readonly identity?: string;
}

/**
 * What a start records. The ownership fields are optional here so that a
 * caller that does not set them records what the tray would: owner `tray`,
 * state `starting`. What the ledger returns always has them (RecordedEntry).
 * How they decide what happens to an entry: lifecycle/ownership.ts.
 */
export interface LedgerEntry {
  /** The colima profile (also the app profile name). */
  readonly profile: string;
  /** colima's instance ID, also the kube context/cluster/user name (colima-cli §1, §7). */
  readonly instanceId: string;
  /** Teardown keeps the data disk (no `--data`). */
  readonly keepData: boolean;
  /** The kube current-context before the app first started this instance, to restore at teardown. */
  readonly previousContext?: string;
  /** Whether starting this instance was allowed to switch the current kube context. */
  readonly switchedContext: boolean;
  /** ISO time of the first start. */
  readonly startedAt: string;
  /** The process that recorded it (the tray or a CLI run): the owner. */
  readonly pid: number;
  readonly owner?: LedgerOwner;
  /** processIdentity() of `pid` when it recorded the entry: tells a reused pid from the owner. */
  readonly ownerIdentity?: string;
  readonly state?: StartState;
  /** Set once colima start is spawned; removed when it completes. */
  readonly startProcess?: StartProcess;
}

/** An entry as the ledger holds it: owner and state always known. */
export interface RecordedEntry extends LedgerEntry {
  readonly owner: LedgerOwner;
  readonly state: StartState;
}

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

interface LedgerFile {
  readonly version: 1;
  readonly instances: readonly RecordedEntry[];
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

export class Ledger {
  constructor(readonly file: string) {}

  /** Every recorded instance, oldest first. */
  list(): readonly RecordedEntry[] {
    return this.read().instances;
  }

  get(profile: string): RecordedEntry | undefined {
    return this.list().find((e) => e.profile === profile);
  }

  /**
   * Records an instance about to be started (state `starting`). A second
   * start of a recorded instance takes over its ownership (pid, owner) and the
   * profile's current keep-data choice, but keeps the previous kube context
   * recorded by the first start that switched it: that one is the user's own,
   * not ours.
   */
  record(entry: LedgerEntry): RecordedEntry {
    const { startProcess: _ignored, ...fields } = entry;
    const owned: RecordedEntry = { ...fields, owner: entry.owner ?? 'tray', state: entry.state ?? 'starting' };
    return this.update((instances) => {
      const existing = instances.find((e) => e.profile === entry.profile);
      if (!existing) return { instances: [...instances, Object.freeze(owned)], result: owned };
      const previousContext = existing.switchedContext ? existing.previousContext : entry.previousContext;
      const { previousContext: _p, ownerIdentity: _o, startProcess: _s, ...kept } = existing;
      const merged: RecordedEntry = Object.freeze({
        ...kept,
        pid: owned.pid,
        owner: owned.owner,
        ...(owned.ownerIdentity !== undefined ? { ownerIdentity: owned.ownerIdentity } : {}),
        state: owned.state,
        keepData: owned.keepData,
        switchedContext: existing.switchedContext || owned.switchedContext,
        ...(previousContext !== undefined ? { previousContext } : {}),
      });
      return { instances: instances.map((e) => (e === existing ? merged : e)), result: merged };
    });
  }

  /**
   * Notes the `colima start` process of a `starting` entry that `ownerPid`
   * still owns (another process may have taken it over since). With an
   * identity, only completes the record of that same process group.
   */
  markSpawned(profile: string, ownerPid: number, startProcess: StartProcess): boolean {
    return this.change(profile, (e) => {
      if (e.pid !== ownerPid || e.state !== 'starting') return undefined;
      if (startProcess.identity !== undefined && e.startProcess?.pgid !== startProcess.pgid) return undefined;
      return { ...e, startProcess: Object.freeze({ ...startProcess }) };
    });
  }

  /** `colima start` of `ownerPid` returned successfully: the entry is `started` and has no start process any more. */
  markStarted(profile: string, ownerPid: number): boolean {
    return this.change(profile, (e) => {
      if (e.pid !== ownerPid) return undefined;
      const { startProcess: _s, ...rest } = e;
      return { ...rest, state: 'started' };
    });
  }

  remove(profile: string): void {
    this.update((instances) => ({ instances: instances.filter((e) => e.profile !== profile), result: undefined }));
  }

  private change(profile: string, edit: (entry: RecordedEntry) => RecordedEntry | undefined): boolean {
    return this.update((instances) => {
      const existing = instances.find((e) => e.profile === profile);
      const changed = existing && edit(existing);
      if (!changed) return { instances, result: false };
      return { instances: instances.map((e) => (e === existing ? Object.freeze(changed) : e)), result: true };
    });
  }

  private read(): LedgerFile {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, instances: [] };
      throw e;
    }
    const parsed = parseLedger(text);
    if (parsed) return parsed;
    // The ledger is the only record of which VMs are ours; guessing could tear
    // down someone else's. Keep the evidence and ask the user.
    const backup = backupFile(this.file);
    throw new AppError(
      'STORE_CORRUPT',
      `The ledger of app-started instances ${this.file} is damaged (a copy is at ${backup}). ` +
        `Check \`colima list\`, delete the instances this app started with \`colima delete --force --data --profile NAME\`, then delete ${this.file}.`,
    );
  }

  private update<T>(change: (instances: readonly RecordedEntry[]) => { instances: readonly RecordedEntry[]; result: T }): T {
    return withFileLock(`${this.file}.lock`, () => {
      const before = this.read().instances;
      const { instances, result } = change(before);
      if (instances === before) return result;
      writeAtomically(this.file, JSON.stringify({ version: 1, instances } satisfies LedgerFile, null, 2) + '\n');
      return result;
    });
  }
}

function parseLedger(text: string): LedgerFile | undefined {
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data !== 'object' || data === null) return undefined;
    const { version, instances } = data as Record<string, unknown>;
    if (version !== 1 || !Array.isArray(instances)) return undefined;
    if (!instances.every(isEntry)) return undefined;
    return {
      version: 1,
      instances: Object.freeze(instances.map((e) => Object.freeze({ ...e, owner: e.owner ?? LEGACY_OWNER, state: e.state ?? LEGACY_STATE }))),
    };
  } catch {
    return undefined;
  }
}

const isPid = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

function isEntry(e: unknown): e is LedgerEntry {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return (
    typeof o.profile === 'string' &&
    typeof o.instanceId === 'string' &&
    typeof o.keepData === 'boolean' &&
    typeof o.switchedContext === 'boolean' &&
    typeof o.startedAt === 'string' &&
    isPid(o.pid) &&
    (o.previousContext === undefined || typeof o.previousContext === 'string') &&
    (o.owner === undefined || o.owner === 'tray' || o.owner === 'cli') &&
    (o.ownerIdentity === undefined || typeof o.ownerIdentity === 'string') &&
    (o.state === undefined || o.state === 'starting' || o.state === 'started') &&
    (o.startProcess === undefined || isStartProcess(o.startProcess))
  );
}

function isStartProcess(v: unknown): v is StartProcess {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  // pgid 1 would make kill(-1) signal every process of the user: never accepted.
  return isPid(o.pgid) && o.pgid > 1 && (o.identity === undefined || typeof o.identity === 'string');
}

/** temp + fsync + rename: a reader sees the old file or the new one, never half of one. */
export function writeAtomically(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/**
 * Runs `fn` holding an exclusive lock file (O_EXCL). A lock left by a process
 * that died (no such pid) or older than LOCK_STALE_MS is taken over.
 */
function withFileLock<T>(lockFile: string, fn: () => T): T {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (isStaleLock(lockFile)) {
        try {
          unlinkSync(lockFile);
        } catch {
          /* another process took it over first */
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError('BUSY', `The ledger ${path.dirname(lockFile)} is locked by another colima-k8s process (${lockFile}). Try again; delete that file if no colima-k8s process runs.`);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  }
}

function isStaleLock(lockFile: string): boolean {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) return true;
    return Date.now() - statSync(lockFile).mtimeMs > LOCK_STALE_MS;
  } catch {
    return !existsSync(lockFile);
  }
}

/** Whether a process with this pid exists (ours or not). 0 and negatives are never a process (kill would signal a group). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
