// What one ledger entry holds: who recorded it, whether its `colima start`
// completed, and the process that runs it. Types only, so that the format
// (format.ts), the ownership rules (ownership.ts) and the ledger itself
// (ledger.ts) all read one definition without importing each other.

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
 * How they decide what happens to an entry: ledger/ownership.ts.
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
  /**
   * The pid of a process that is tearing this entry down (`colima-k8s down`,
   * the tray's Quit) and so took it over from its owner: the owner's start,
   * if it still runs, may no longer mark it spawned or started, and says why
   * it failed. A new start of the entry clears it.
   */
  readonly teardownBy?: number;
}

/** An entry as the ledger holds it: owner and state always known. */
export interface RecordedEntry extends LedgerEntry {
  readonly owner: LedgerOwner;
  readonly state: StartState;
}
