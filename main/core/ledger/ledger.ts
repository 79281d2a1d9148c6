// Folder ledger/: the ledger's entries, file format, lock, backup and the
// ownership rules (whose entry is it, is its owner alive). Imports no lifecycle
// or teardown code.
//
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
// and to stop a start its dead owner left running (ledger/ownership.ts,
// lifecycle/orphaned-start.ts). What an entry may hold is checked on every
// read (ledger/format.ts): an entry that names colima's own
// instance makes the file damaged, never acted on.
import { readFileSync } from 'node:fs';
import { AppError } from '../errors.js';
import { backupOnce } from './backup.js';
import { isProcessAlive, writeFileAtomically } from '../files.js';
import { withFileLock } from './file-lock.js';
import type { LedgerEntry, RecordedEntry, StartProcess } from './entry.js';
import { entryProblem, parseLedger, type LedgerFile } from './format.js';

export { isProcessAlive };

export type { LedgerEntry, LedgerOwner, RecordedEntry, StartProcess, StartState } from './entry.js';

// Entries written before the ledger knew owners: read as completed CLI starts (format.ts says why).
export { LEGACY_OWNER, LEGACY_STATE } from './format.js';

export class Ledger {
  /** The damaged text last read and where its copy is: a damaged ledger is read on every snapshot, and copied once. */
  private damaged: { readonly text: string; readonly backup: string } | undefined;

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
    const { startProcess: _ignored, teardownBy: _t, ...fields } = entry;
    const owned: RecordedEntry = { ...fields, owner: entry.owner ?? 'tray', state: entry.state ?? 'starting' };
    // What the next read would refuse (and then treat the whole file as damaged) is never written.
    const problem = entryProblem(owned);
    if (problem) throw new AppError('INVALID_INPUT', `Not recorded in the ledger: ${problem}`);
    return this.update((instances) => {
      const existing = instances.find((e) => e.profile === entry.profile);
      if (!existing) return { instances: [...instances, Object.freeze(owned)], result: owned };
      const previousContext = existing.switchedContext ? existing.previousContext : entry.previousContext;
      const { previousContext: _p, ownerIdentity: _o, startProcess: _s, teardownBy: _b, ...kept } = existing;
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
      if (e.pid !== ownerPid || e.state !== 'starting' || e.teardownBy !== undefined) return undefined;
      if (startProcess.identity !== undefined && e.startProcess?.pgid !== startProcess.pgid) return undefined;
      return { ...e, startProcess: Object.freeze({ ...startProcess }) };
    });
  }

  /**
   * `colima start` of `ownerPid` returned successfully: the entry is `started`
   * and has no start process any more. False when the entry is gone, belongs
   * to another process now, or a teardown took it over: the caller's start
   * no longer counts (start-instance.ts says what happened).
   */
  markStarted(profile: string, ownerPid: number): boolean {
    return this.change(profile, (e) => {
      if (e.pid !== ownerPid || e.teardownBy !== undefined) return undefined;
      const { startProcess: _s, ...rest } = e;
      return { ...rest, state: 'started' };
    });
  }

  /**
   * A teardown by process `byPid` takes these entries over (teardownBy), in
   * one write, BEFORE it kills a start under way: from then on the owner's
   * start cannot record a new colima process or complete. Returns the
   * entries as they are now (their start processes included).
   */
  claimForTeardown(profiles: readonly string[], byPid: number): readonly RecordedEntry[] {
    const wanted = new Set(profiles);
    return this.update((instances) => {
      if (!instances.some((e) => wanted.has(e.profile))) return { instances, result: [] };
      const next = instances.map((e) => (wanted.has(e.profile) ? Object.freeze({ ...e, teardownBy: byPid }) : e));
      return { instances: next, result: next.filter((e) => wanted.has(e.profile)) };
    });
  }

  /** The teardown by `byPid` is over: entries it could not delete are no longer claimed by it (a new start may take them). */
  releaseFromTeardown(profiles: readonly string[], byPid: number): void {
    const wanted = new Set(profiles);
    this.update((instances) => {
      if (!instances.some((e) => wanted.has(e.profile) && e.teardownBy === byPid)) return { instances, result: undefined };
      const next = instances.map((e) => {
        if (!wanted.has(e.profile) || e.teardownBy !== byPid) return e;
        const { teardownBy: _t, ...rest } = e;
        return Object.freeze(rest);
      });
      return { instances: next, result: undefined };
    });
  }

  /** The profile's keep-data choice changed after its start: teardown must see the new one (teardown.ts). */
  setKeepData(profile: string, keepData: boolean): boolean {
    return this.change(profile, (e) => (e.keepData === keepData ? undefined : { ...e, keepData }));
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
    if (parsed.ok) {
      this.damaged = undefined;
      return parsed.file;
    }
    // The ledger is the only record of which VMs are ours; guessing (or acting
    // on an entry that names colima's own instance) could tear down someone
    // else's. Keep the evidence, once per damaged content, and ask the user.
    if (this.damaged?.text !== text) this.damaged = { text, backup: backupOnce(this.file) };
    throw new AppError(
      'STORE_CORRUPT',
      `The ledger of app-started instances ${this.file} is damaged: ${parsed.problem} (a copy is at ${this.damaged.backup}). ` +
        `Check \`colima list\`, delete the instances this app started with \`colima delete --force --data --profile NAME\`, then delete ${this.file}.`,
    );
  }

  private update<T>(change: (instances: readonly RecordedEntry[]) => { instances: readonly RecordedEntry[]; result: T }): T {
    return withFileLock(`${this.file}.lock`, () => {
      const before = this.read().instances;
      const { instances, result } = change(before);
      if (instances === before) return result;
      writeFileAtomically(this.file, JSON.stringify({ version: 1, instances } satisfies LedgerFile, null, 2) + '\n', { mode: 0o600 });
      return result;
    });
  }
}
