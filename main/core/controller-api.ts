// What the tray, the window and the CLI may ask of the core. They never run a
// command themselves: they call one of these methods and re-render from the
// snapshots the controller publishes.
import type { AppSnapshot, Profile } from './model.js';

export interface TeardownResult {
  /** True when no app-started instance remains. */
  readonly ok: boolean;
  /** Profiles that could not be stopped and deleted, with why. */
  readonly remaining: readonly { readonly profile: string; readonly reason: string }[];
}

export interface ProgressListener {
  (event: { readonly profile: string; readonly message: string }): void;
}

export interface AppController {
  snapshot(): AppSnapshot;
  /** Called with a new snapshot after every change; returns an unsubscribe function. */
  subscribe(listener: (snapshot: AppSnapshot) => void): () => void;

  /** Starts the profile (default: the active one). A second start while one runs joins it. */
  start(profile?: string): Promise<void>;
  /** Stops the instance (it stays in the ledger until teardown deletes it). `signal` cancels it (Ctrl-C). */
  stop(profile?: string, options?: { readonly signal?: AbortSignal }): Promise<void>;
  /** Start/stop toggle of the active profile, by its current phase. */
  toggleActive(): Promise<void>;
  /** Re-reads colima's view of instances (e.g. after `colima stop` in a terminal). */
  refresh(): Promise<void>;

  setActiveProfile(name: string): void;
  /** Validates and saves; `previousName` renames. Throws AppError INVALID_INPUT naming the field. */
  saveProfile(input: unknown, previousName?: string): Profile;
  /** Refuses (AppError CONFLICT) while an instance of the profile exists unless `confirmName` equals the name. */
  deleteProfile(name: string, confirmName?: string, options?: { readonly signal?: AbortSignal }): Promise<void>;

  /**
   * Stops and deletes every instance the app started (the quit path), or only
   * the profiles in `only` (the launch-time cleanup of crash leftovers).
   */
  teardownAll(options?: { readonly timeoutMs?: number; readonly only?: readonly string[]; readonly signal?: AbortSignal }): Promise<TeardownResult>;
}
