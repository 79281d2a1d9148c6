// The ledger: the colima instances this app started, so that "quit" (and a
// later launch after a crash or SIGKILL) tears down exactly those and never an
// instance someone started by hand. An entry is written BEFORE `colima start`
// runs and removed only after a successful delete, so there is no moment at
// which a VM we created is unrecorded.
//
// One small JSON file, rewritten atomically (temp file + fsync + rename), and a
// lock file around each read-modify-write because the CLI and the tray may both
// change it at the same time.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.js';
import { backupFile } from './profiles/backup.js';

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
  /** The process that started it (the tray or a CLI run). */
  readonly pid: number;
}

interface LedgerFile {
  readonly version: 1;
  readonly instances: readonly LedgerEntry[];
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

export class Ledger {
  constructor(readonly file: string) {}

  /** Every recorded instance, oldest first. */
  list(): readonly LedgerEntry[] {
    return this.read().instances;
  }

  get(profile: string): LedgerEntry | undefined {
    return this.list().find((e) => e.profile === profile);
  }

  /**
   * Records an instance about to be started. A second start of a recorded
   * instance takes over its ownership (pid) and the profile's current
   * keep-data choice, but keeps the previous kube context recorded by the
   * first start that switched it: that one is the user's own, not ours.
   */
  record(entry: LedgerEntry): LedgerEntry {
    return this.update((instances) => {
      const existing = instances.find((e) => e.profile === entry.profile);
      if (!existing) return { instances: [...instances, Object.freeze({ ...entry })], result: entry };
      const previousContext = existing.switchedContext ? existing.previousContext : entry.previousContext;
      const merged: LedgerEntry = Object.freeze({
        ...existing,
        pid: entry.pid,
        keepData: entry.keepData,
        switchedContext: existing.switchedContext || entry.switchedContext,
        ...(previousContext !== undefined ? { previousContext } : {}),
      });
      return { instances: instances.map((e) => (e === existing ? merged : e)), result: merged };
    });
  }

  remove(profile: string): void {
    this.update((instances) => ({ instances: instances.filter((e) => e.profile !== profile), result: undefined }));
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

  private update<T>(change: (instances: readonly LedgerEntry[]) => { instances: readonly LedgerEntry[]; result: T }): T {
    return withFileLock(`${this.file}.lock`, () => {
      const { instances, result } = change(this.read().instances);
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
    return { version: 1, instances: Object.freeze(instances.map((e) => Object.freeze({ ...e }))) };
  } catch {
    return undefined;
  }
}

function isEntry(e: unknown): e is LedgerEntry {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return (
    typeof o.profile === 'string' &&
    typeof o.instanceId === 'string' &&
    typeof o.keepData === 'boolean' &&
    typeof o.switchedContext === 'boolean' &&
    typeof o.startedAt === 'string' &&
    typeof o.pid === 'number' &&
    (o.previousContext === undefined || typeof o.previousContext === 'string')
  );
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

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Entries whose owning process is gone: left over from a crash, a SIGKILL, or
 * a CLI `start` that finished (the CLI leaves its instance running on purpose).
 */
export function leftoverEntries(ledger: Ledger, alive: (pid: number) => boolean = isProcessAlive): readonly LedgerEntry[] {
  return ledger.list().filter((e) => e.pid !== process.pid && !alive(e.pid));
}
