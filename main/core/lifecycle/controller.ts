// Folder lifecycle/: the per-instance state machine, start, stop and this
// controller, which the tray, window and CLI call (AppController); it imports
// ledger/ and teardown/. It runs at most one operation per instance at a time:
//   - a start while that instance is starting joins the running start;
//   - a stop while it is starting CANCELS the start (kills colima's process
//     group), waits for it to settle, then stops with escalation;
//   - a start while it is stopping or deleting is refused (BUSY);
//   - teardownAll cancels every start, waits for every operation, then tears
//     down every ledger instance (or, with `only`, just those: the leftovers
//     reaped at launch); a second teardownAll joins the first, and no start of
//     an instance being torn down is accepted meanwhile.
//   - before an entry is started again, stopped or torn down, a `colima start`
//     that its dead owner left running is killed (orphaned-start.ts); a
//     teardown also takes over an entry that ANOTHER live process is still
//     starting (claims it in the ledger, kills that start, then tears down),
//     so that start cannot bring the VM up after its entry is gone.
// Each operation logs (its lines and its colima/kubectl commands) to its own
// operationLogger log, so overlapping ones never share a log. Every change
// publishes a new frozen AppSnapshot. The steps: start-instance.ts,
// stop-instance.ts, teardown/runner.ts (teardownAll, a profile delete's).
import type { CallOptions, ColimaInstance } from '../colima/client-api.js';
import type { AppController, TeardownResult } from '../controller-api.js';
import { AppError, isAppError, userMessage } from '../errors.js';
import type { LedgerOwner } from '../ledger/ledger.js';
import { nullLogger, type Logger } from '../log.js';
import type { AppSnapshot, InstanceState, Profile } from '../model.js';
import { validateProfileName } from '../profiles/validate.js';
import { PREFER_CACHED } from '../teardown/steps.js';
import { InstanceTable } from './instances.js';
import { busy, errorState, Operations, withCaller, type OperationKind } from './operations.js';
import { OrphanedStartGuard } from './orphaned-start.js';
import { systemProcessProbe, type ProcessProbe } from '../ledger/process-probe.js';
import { SnapshotPublisher } from './publisher.js';
import { startableProfile, startInstance } from './start-instance.js';
import { checkUnrecordedStop, stopRecordedInstance } from './stop-instance.js';
import { TeardownRunner } from '../teardown/runner.js';
import { withTimeouts, type LifecycleTimeouts } from '../timeouts.js';
import { buildSnapshot } from './snapshot.js';

import type { ControllerOptions, OperationLogKind, RefreshOptions, StartOptions, StopOptions, TeardownRequest } from './controller-options.js';

export type { ControllerOptions, EnvironmentSource, OperationLogKind, RefreshOptions, StartOptions, StopOptions, TeardownRequest } from './controller-options.js';

export class LifecycleController implements AppController {
  private readonly instances = new InstanceTable();
  private readonly operations = new Operations();
  private readonly publisher: SnapshotPublisher;
  private readonly timeouts: LifecycleTimeouts;
  private readonly logger: Logger;
  private readonly probe: ProcessProbe;
  private readonly orphans: OrphanedStartGuard;
  private readonly teardowns: TeardownRunner;
  private readonly stopWatchingEnvironment: (() => void) | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.timeouts = withTimeouts(options.timeouts);
    this.logger = options.logger ?? nullLogger;
    this.probe = options.probe ?? systemProcessProbe();
    this.orphans = new OrphanedStartGuard({ probe: this.probe, pid: this.pid(), logger: this.logger, graceMs: this.timeouts.orphanGraceMs });
    // Before the publisher: its first snapshot reads the teardown progress.
    this.teardowns = new TeardownRunner({
      ledger: options.ledger,
      colima: options.colima,
      kubectl: options.kubectl,
      timeouts: this.timeouts,
      profileKeepsData: (profile) => options.store.get(profile)?.keepData,
      settleOperations: (inScope) => this.operations.settle(inScope),
      onStep: (profile, step, message) => this.instances.applyTeardownStep(profile, step, message),
      endStarts: (claimed, log) => this.orphans.stop(claimed, log, 'takeover'),
      pid: this.pid(),
      publish: () => this.publisher.publish(),
    });
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

  async stop(name?: string, options: StopOptions = {}): Promise<void> {
    const profileName = name ?? this.options.store.activeProfile();
    const nameProblem = validateProfileName(profileName);
    if (nameProblem) throw new AppError('INVALID_INPUT', nameProblem, { field: 'name' });
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
      const listed = (await this.listInstances(log, PREFER_CACHED)).find((i) => i.name === profileName);
      return checkUnrecordedStop(profileName, listed, this.options.store);
    }
    return this.runOperation(profileName, 'stop', async (signal) => {
      this.instances.apply(profileName, { type: 'stop' });
      this.publisher.publish();
      await this.orphans.stop([entry], log);
      const stopped = stopRecordedInstance(profileName, {
        colima: this.options.colima,
        timeouts: this.timeouts,
        logger: log,
        signal: withCaller(signal, options.signal),
        onForce: () => {
          this.instances.setStage(profileName, 'forcing the stop');
          this.publisher.publish();
        },
      });
      try {
        await stopped;
      } catch (e) {
        if (isAppError(e, 'COMMAND_FAILED')) this.instances.apply(profileName, { type: 'failed' }, errorState(e));
        else this.instances.apply(profileName, { type: 'cancelled', observed: await this.observedPhase(profileName, log) });
        throw e;
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

  async refresh(options: RefreshOptions = {}): Promise<void> {
    await this.listInstances(this.logger, options.signal ? { signal: options.signal } : {});
  }

  setActiveProfile(name: string): void {
    this.options.store.setActiveProfile(name);
    this.publisher.publish();
  }

  saveProfile(input: unknown, previousName?: string): Profile {
    const newName = typeof input === 'object' && input !== null ? (input as { name?: unknown }).name : undefined;
    if (previousName !== undefined && newName !== previousName && this.options.ledger.get(previousName)) {
      throw new AppError('CONFLICT', `"${previousName}" has a VM the app started; it cannot be renamed until that VM is deleted (quitting the app deletes it).`, { field: 'name' });
    }
    const saved = this.options.store.save(input, previousName);
    // The teardown deletes the data disk unless the entry or the profile says keep: keep the entry in step.
    // (The profile is saved either way; a ledger that cannot be written leaves the teardown the profile's word.)
    try {
      if (this.options.ledger.setKeepData(saved.name, saved.keepData)) this.logger.log('info', `ledger: ${saved.name} keep-data is now ${saved.keepData}`);
    } catch (e) {
      this.logger.log('error', `ledger: could not record the keep-data choice of ${saved.name}: ${userMessage(e)}`);
    }
    this.publisher.publish();
    return saved;
  }

  /** `options.signal`: Ctrl-C on `colima-k8s profile remove --delete-vm` cancels the teardown of its VM. */
  async deleteProfile(name: string, confirmName?: string, options: StopOptions = {}): Promise<void> {
    const profile = this.options.store.require(name);
    if (this.operations.get(name) || this.teardowns.covering(name)) throw busy(name, this.operations.get(name)?.kind ?? 'delete');
    const entry = this.options.ledger.get(name);
    if (entry) {
      if (confirmName !== name) {
        const keeps = entry.keepData || profile.keepData;
        throw new AppError('CONFLICT', `"${name}" has a VM the app started. Confirm by typing the profile name: the VM${keeps ? '' : ' and its data'} will be deleted.`);
      }
      await this.runOperation(name, 'delete', async (signal) => {
        const result = await this.teardowns.tearDownClaimed([name], this.logger, {
          signal: withCaller(signal, options.signal),
          onProgress: () => this.publisher.publish(),
        });
        if (!result.ok) throw new AppError('TEARDOWN_INCOMPLETE', `The VM of "${name}" could not be deleted: ${result.remaining[0]?.reason ?? 'unknown reason'}`);
      });
    }
    this.options.store.remove(name);
    this.instances.forget(name);
    this.publisher.publish();
  }

  teardownAll(options: TeardownRequest = {}): Promise<TeardownResult> {
    // Asked for now: the run may wait for an earlier teardown, and then the caller's log is no longer the one open.
    return this.teardowns.request(options, this.operationLog('teardown'));
  }

  private operationLog(kind: OperationLogKind, profile?: string): Logger {
    return this.options.operationLogger?.(kind, profile) ?? this.logger;
  }

  private runOperation(profile: string, kind: OperationKind, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
    return this.operations.run(profile, kind, body, () => this.publisher.publish());
  }

  /** `colima list`, applied to every instance no operation owns. `call`: PREFER_CACHED for a stop's. */
  private async listInstances(log: Logger = this.logger, call: CallOptions = {}): Promise<readonly ColimaInstance[]> {
    // A listing that was under way while an instance changed phase is stale for that instance.
    const asOf = this.instances.observation();
    const listing = await this.options.colima.list({ ...call, logger: log });
    this.instances.observe(listing, this.knownNames(), asOf);
    this.publisher.publish();
    return listing;
  }

  /** After a cancelled start or stop: what colima reports now. A Stop or Quit waits for it, so it never waits for a nix re-evaluation. */
  private async observedPhase(profile: string, log: Logger): Promise<InstanceState['phase']> {
    try {
      const listing = await this.options.colima.list({ logger: log, ...PREFER_CACHED });
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
    return buildSnapshot({ store, ledger, instances: this.instances, environment, teardown: this.teardowns.progress(), logger: this.logger }, previous);
  }

  /** What a start's steps get: the clients, the ledger, the limits, the operation's own log and who owns the entry. */
  private startDeps(owner: LedgerOwner, logger: Logger): Parameters<typeof startInstance>[1] {
    const { colima, kubectl, ledger } = this.options;
    return {
      colima,
      kubectl,
      ledger,
      timeouts: this.timeouts,
      logger,
      pid: this.pid(),
      owner,
      ownerIdentity: () => this.orphans.ownIdentity(),
      processIdentity: (pid) => this.probe.identity(pid),
      now: this.options.now ?? (() => new Date()),
      ...(this.options.checkToolchain ? { checkToolchain: this.options.checkToolchain } : {}),
    };
  }

  private pid(): number {
    return this.options.pid ?? process.pid;
  }
}
