// What the lifecycle controller is created with and what its calls take
// (controller.ts re-exports them).
import type { ColimaClient, KubectlClient } from '../colima/client-api.js';
import type { Ledger, LedgerOwner } from '../ledger/ledger.js';
import type { Logger } from '../log.js';
import type { EnvironmentStatus } from '../model.js';
import type { ProfileStore } from '../profiles/store.js';
import type { ProcessProbe } from '../ledger/process-probe.js';
import type { LifecycleTimeouts } from '../timeouts.js';

export interface ControllerOptions {
  readonly store: ProfileStore;
  readonly ledger: Ledger;
  readonly colima: ColimaClient;
  readonly kubectl: KubectlClient;
  readonly timeouts?: Partial<LifecycleTimeouts>;
  /** How processes recorded in the ledger are checked and signalled (tests may replace it). */
  readonly probe?: ProcessProbe;
  /** The nix environment's state, shown in the snapshot (the NixToolRunner fits). */
  readonly environment?: EnvironmentSource;
  /** Lines that belong to no operation (snapshots, refresh, deletes), and every operation's without operationLogger. */
  readonly logger?: Logger;
  /**
   * The log of one operation, asked for when it begins (synchronously in the
   * call to start, stop or teardownAll; a call that joins an operation under
   * way asks for nothing). Default: `logger`.
   */
  readonly operationLogger?: (kind: OperationLogKind, profile?: string) => Logger;
  readonly pid?: number;
  readonly now?: () => Date;
  /** Run before each start records anything (the colima version gate of services.ts). */
  readonly checkToolchain?: (signal: AbortSignal) => Promise<void>;
}

/** The operations that get a log of their own (ControllerOptions.operationLogger). */
export type OperationLogKind = 'start' | 'stop' | 'teardown';

export interface StartOptions {
  /** Who records the ledger entry (default the tray): decides what a later tray launch does with it (ownership.ts). */
  readonly owner?: LedgerOwner;
}

export type { TeardownRequest } from '../teardown/runner.js';

export interface StopOptions {
  /** Cancels the stop (Ctrl-C on `colima-k8s stop`): the colima stop is killed. */
  readonly signal?: AbortSignal;
}

export interface RefreshOptions {
  /** Cancels the refresh (Ctrl-C on `colima-k8s status`): its `colima list` is killed and refresh throws AppError CANCELLED. */
  readonly signal?: AbortSignal;
}

export interface EnvironmentSource {
  status(): EnvironmentStatus;
  onStatusChange?(listener: (status: EnvironmentStatus) => void): () => void;
}
