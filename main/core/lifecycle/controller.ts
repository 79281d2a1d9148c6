// The lifecycle controller: what the tray, the window and the CLI call
// (AppController). It owns one state machine per instance and runs at most one
// operation per instance at a time:
//   - a start while that instance is starting joins the running start;
//   - a stop while it is starting CANCELS the start (kills colima's process
//     group), waits for it to settle, then stops with escalation;
//   - a start while it is stopping or deleting is refused (BUSY);
//   - teardownAll cancels every start, waits for every operation, then tears
//     down every ledger instance (or, with `only`, just those: the leftovers
//     reaped at launch); a second teardownAll joins the first, and no start of
//     an instance being torn down is accepted meanwhile.
//   - before an entry is started again, stopped or torn down, a `colima start`
//     that its dead owner left running is killed (orphaned-start.ts).
// Each start, stop and teardown logs to the logger operationLogger gives it
// (its own lines and every colima/kubectl command it runs), so operations that
// overlap never share a log; lines of no operation go to `logger`.
// Every change publishes a new frozen AppSnapshot to the subscribers.
import type { ColimaClient, ColimaInstance, KubectlClient } from '../colima/client-api.js';
import type { AppController, TeardownResult } from '../controller-api.js';
import { AppError, isAppError, userMessage } from '../errors.js';
import type { Ledger, LedgerOwner } from '../ledger.js';
import { nullLogger, type Logger } from '../log.js';
import type { AppSnapshot, EnvironmentStatus, InstanceState, Profile, TeardownProgress } from '../model.js';
import type { ProfileStore } from '../profiles/store.js';
import { validateProfileName } from '../profiles/validate.js';
import { teardownInstances } from '../teardown/teardown.js';
import { forProfile, stopWithEscalation } from '../teardown/steps.js';
import { InstanceTable } from './instances.js';
import { Operations, type OperationKind } from './operations.js';
import { OrphanedStartGuard } from './orphaned-start.js';
import { systemProcessProbe, type ProcessProbe } from './process-probe.js';
import { SnapshotPublisher } from './publisher.js';
import { startableProfile, startInstance } from './start-instance.js';
import { scopeIncludes, TeardownRuns, type TeardownScope } from './teardown-runs.js';
import { Deadline } from './timing.js';
import { withTimeouts, type LifecycleTimeouts } from './timeouts.js';
import { buildSnapshot } from './snapshot.js';

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
}

/** The operations that get a log of their own (ControllerOptions.operationLogger). */
export type OperationLogKind = 'start' | 'stop' | 'teardown';

export interface StartOptions {
  /** Who records the ledger entry (default the tray): decides what a later tray launch does with it (ownership.ts). */
  readonly owner?: LedgerOwner;
}

export interface TeardownRequest {
  /** The whole teardown must end within this (`down --timeout`). */
  readonly timeoutMs?: number;
  /** Only these ledger profiles (the leftovers reaped at launch); default every entry. */
  readonly only?: readonly string[];
}

export interface EnvironmentSource {
  status(): EnvironmentStatus;
  onStatusChange?(listener: (status: EnvironmentStatus) => void): () => void;
}

export class LifecycleController implements AppController {
  private readonly instances = new InstanceTable();
  private readonly operations = new Operations();
  private readonly publisher: SnapshotPublisher;
  private readonly timeouts: LifecycleTimeouts;
  private readonly logger: Logger;
  private readonly teardowns = new TeardownRuns();
  private readonly probe: ProcessProbe;
  private readonly orphans: OrphanedStartGuard;
  private teardownProgress: TeardownProgress | undefined;
  private readonly stopWatchingEnvironment: (() => void) | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.timeouts = withTimeouts(options.timeouts);
    this.logger = options.logger ?? nullLogger;
    this.probe = options.probe ?? systemProcessProbe();
    this.orphans = new OrphanedStartGuard({ probe: this.probe, pid: this.pid(), logger: this.logger, graceMs: this.timeouts.orphanGraceMs });
    this.publisher = new SnapshotPublisher((previous) => this.buildSnapshot(previous), this.logger);
    this.stopWatchingEnvironment = options.environment?.onStatusChange?.(() => this.publisher.publish());
  }

  /** Stops listening to the environment (the controller is no longer used). */
  dispose(): void {
    this.stopWatchingEnvironment?.();
  }

  snapshot(): AppSnapshot {
    return this.publisher.current();
  }

  subscribe(listener: (snapshot: AppSnapshot) => void): () => void {
    return this.publisher.subscribe(listener);
  }

  async start(name?: string, options: StartOptions = {}): Promise<void> {
    const profileName = name ?? this.options.store.activeProfile();
    const teardown = this.teardowns.covering(profileName);
    if (teardown?.scope === 'all') throw new AppError('BUSY', 'All instances are being torn down (the app is quitting); start again when that has finished.');
    if (teardown) throw new AppError('BUSY', `"${profileName}" is being torn down (left over from an earlier session); start it again when that has finished.`);
    const running = this.operations.get(profileName);
    if (running?.kind === 'start') return running.promise;
    if (running) throw busy(profileName, running.kind);
    const profile = startableProfile(this.options.store, profileName);
    const log = this.operationLog('start', profileName);
    return this.runOperation(profileName, 'start', async (signal) => {
      this.instances.apply(profileName, { type: 'start' });
      this.publisher.publish();
      try {
        // A start its dead owner left running would race this one.
        const recorded = this.options.ledger.get(profileName);
        if (recorded) await this.orphans.stop([recorded], log);
        await startInstance(profile, this.startDeps(options.owner ?? 'tray', log), {
          signal,
          onStage: (stage) => {
            this.instances.setStage(profileName, stage);
            this.publisher.publish();
          },
          onRecorded: () => this.publisher.publish(),
        });
        this.instances.apply(profileName, { type: 'started' });
      } catch (e) {
        if (signal.aborted) this.instances.apply(profileName, { type: 'cancelled', observed: await this.observedPhase(profileName, log) });
        else this.instances.apply(profileName, { type: 'failed' }, errorState(e));
        throw e;
      }
    });
  }

  async stop(name?: string): Promise<void> {
    const profileName = name ?? this.options.store.activeProfile();
    const nameProblem = validateProfileName(profileName);
    if (nameProblem) throw new AppError('INVALID_INPUT', `name: ${nameProblem}`, { field: 'name' });
    // Asked for now, before any wait, while the caller's log for this stop is the one open.
    const log = this.operationLog('stop', profileName);
    for (;;) {
      const running = this.operations.get(profileName);
      if (!running) break;
      if (running.kind !== 'start') return running.promise;
      running.abort.abort();
      await running.promise.catch(() => {});
    }
    const teardown = this.teardowns.covering(profileName);
    if (teardown) {
      await teardown.promise;
      return;
    }
    const entry = this.options.ledger.get(profileName);
    if (!entry) {
      const listed = (await this.listInstances(log)).find((i) => i.name === profileName);
      if (listed?.status === 'Running') {
        throw new AppError('CONFLICT', `The instance "${profileName}" was not started by this app, so the app leaves it alone; stop it yourself with: colima stop --profile ${profileName}`);
      }
      return;
    }
    return this.runOperation(profileName, 'stop', async (signal) => {
      this.instances.apply(profileName, { type: 'stop' });
      this.publisher.publish();
      await this.orphans.stop([entry], log);
      const ctx = forProfile({ colima: this.options.colima, timeouts: this.timeouts, deadline: new Deadline(undefined), logger: log, signal }, profileName);
      const result = await stopWithEscalation(ctx, profileName, () => {
        this.instances.setStage(profileName, 'forcing the stop');
        this.publisher.publish();
      });
      if (result.problem) {
        const error = new AppError('COMMAND_FAILED', `Could not stop ${profileName}: ${result.problem}`);
        this.instances.apply(profileName, { type: 'failed' }, errorState(error));
        throw error;
      }
      this.instances.apply(profileName, { type: 'stopped' });
    });
  }

  async toggleActive(): Promise<void> {
    const active = this.options.store.activeProfile();
    const phase = this.snapshot().instances[active]?.phase;
    if (phase === 'running' || phase === 'starting') return this.stop(active);
    return this.start(active);
  }

  async refresh(): Promise<void> {
    await this.listInstances();
  }

  setActiveProfile(name: string): void {
    this.options.store.setActiveProfile(name);
    this.publisher.publish();
  }

  saveProfile(input: unknown, previousName?: string): Profile {
    const newName = typeof input === 'object' && input !== null ? (input as { name?: unknown }).name : undefined;
    if (previousName !== undefined && newName !== previousName && this.options.ledger.get(previousName)) {
      throw new AppError('CONFLICT', `"${previousName}" has a VM the app started; it cannot be renamed until that VM is deleted (colima-k8s down).`, { field: 'name' });
    }
    const saved = this.options.store.save(input, previousName);
    this.publisher.publish();
    return saved;
  }

  async deleteProfile(name: string, confirmName?: string): Promise<void> {
    this.options.store.require(name);
    if (this.operations.get(name) || this.teardowns.covering(name)) throw busy(name, this.operations.get(name)?.kind ?? 'delete');
    const entry = this.options.ledger.get(name);
    if (entry) {
      if (confirmName !== name) {
        throw new AppError('CONFLICT', `"${name}" has a VM the app started. Confirm by typing the profile name: the VM${entry.keepData ? '' : ' and its data'} will be deleted.`);
      }
      await this.runOperation(name, 'delete', async (signal) => {
        await this.orphans.stop([entry]);
        const result = await teardownInstances([entry], this.teardownDeps(this.logger), {
          signal,
          onProgress: (items) => {
            for (const item of items) this.instances.applyTeardownStep(item.profile, item.step, item.message);
            this.publisher.publish();
          },
        });
        if (!result.ok) throw new AppError('TEARDOWN_INCOMPLETE', `The VM of "${name}" could not be deleted: ${result.remaining[0]?.reason ?? 'unknown reason'}`);
      });
    }
    this.options.store.remove(name);
    this.instances.forget(name);
    this.publisher.publish();
  }

  teardownAll(options: TeardownRequest = {}): Promise<TeardownResult> {
    const scope: TeardownScope = options.only ? new Set(options.only) : 'all';
    // Asked for now: the run may wait for an earlier teardown, and then the caller's log is no longer the one open.
    const log = this.operationLog('teardown');
    return this.teardowns.request(scope, () => this.runTeardown(options.timeoutMs, scope, log), () => this.publisher.publish());
  }

  private async runTeardown(totalMs: number | undefined, scope: TeardownScope, log: Logger): Promise<TeardownResult> {
    this.teardownProgress = Object.freeze({ running: true, items: Object.freeze([]) });
    this.publisher.publish();
    // A quit during a start cancels it first (peers.md §3: docker/for-mac#7053 otherwise).
    const ops = this.operations.all().filter((op) => scopeIncludes(scope, op.profile));
    for (const op of ops) if (op.kind === 'start') op.abort.abort();
    await Promise.allSettled(ops.map((op) => op.promise));
    let result: TeardownResult;
    try {
      const entries = this.options.ledger.list().filter((e) => scopeIncludes(scope, e.profile));
      await this.orphans.stop(entries, log);
      result = await teardownInstances(entries, this.teardownDeps(log), {
        ...(totalMs !== undefined ? { totalMs } : {}),
        onProgress: (items) => {
          for (const item of items) this.instances.applyTeardownStep(item.profile, item.step, item.message);
          this.teardownProgress = Object.freeze({ running: true, items });
          this.publisher.publish();
        },
      });
    } catch (e) {
      // The ledger itself could not be read or written: nothing is known to be gone.
      result = { ok: false, remaining: [{ profile: '*', reason: userMessage(e) }] };
    }
    this.teardownProgress = Object.freeze({ running: false, items: this.teardownProgress?.items ?? Object.freeze([]), ok: result.ok });
    this.publisher.publish();
    return result;
  }

  private operationLog(kind: OperationLogKind, profile?: string): Logger {
    return this.options.operationLogger?.(kind, profile) ?? this.logger;
  }

  private runOperation(profile: string, kind: OperationKind, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
    return this.operations.run(profile, kind, body, () => this.publisher.publish());
  }

  /** `colima list`, applied to every instance no operation owns. */
  private async listInstances(log: Logger = this.logger): Promise<readonly ColimaInstance[]> {
    const listing = await this.options.colima.list({ logger: log });
    this.instances.observe(listing, this.knownNames());
    this.publisher.publish();
    return listing;
  }

  private async observedPhase(profile: string, log: Logger): Promise<InstanceState['phase']> {
    try {
      const listing = await this.options.colima.list({ logger: log });
      const found = listing.find((i) => i.name === profile);
      return found?.status === 'Running' ? 'running' : found ? 'stopped' : 'gone';
    } catch {
      return 'error';
    }
  }

  private knownNames(): string[] {
    const names = new Set<string>();
    try {
      for (const p of this.options.store.list()) names.add(p.name);
    } catch {
      /* a damaged settings file must not hide the instances */
    }
    for (const e of this.options.ledger.list()) names.add(e.profile);
    return [...names];
  }

  private buildSnapshot(previous?: AppSnapshot): AppSnapshot {
    const { store, ledger, environment } = this.options;
    return buildSnapshot({ store, ledger, instances: this.instances, environment, teardown: this.teardownProgress, logger: this.logger }, previous);
  }

  private startDeps(owner: LedgerOwner, logger: Logger): Parameters<typeof startInstance>[1] {
    return {
      colima: this.options.colima,
      kubectl: this.options.kubectl,
      ledger: this.options.ledger,
      timeouts: this.timeouts,
      logger,
      pid: this.pid(),
      owner,
      ownerIdentity: () => this.orphans.ownIdentity(),
      processIdentity: (pid) => this.probe.identity(pid),
      now: this.options.now ?? (() => new Date()),
    };
  }

  private pid(): number {
    return this.options.pid ?? process.pid;
  }

  private teardownDeps(logger: Logger): Parameters<typeof teardownInstances>[1] {
    return { colima: this.options.colima, kubectl: this.options.kubectl, ledger: this.options.ledger, timeouts: this.timeouts, logger };
  }
}

function busy(profile: string, kind: OperationKind): AppError {
  const doing = kind === 'start' ? 'starting' : kind === 'stop' ? 'stopping' : 'being deleted';
  return new AppError('BUSY', `"${profile}" is ${doing}; wait until that has finished and try again.`);
}

function errorState(e: unknown): NonNullable<InstanceState['error']> {
  const logTail = isAppError(e) ? (e.details.logTail ?? []) : [];
  return { message: userMessage(e), logTail: [...logTail] };
}
