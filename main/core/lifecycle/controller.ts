// The lifecycle controller: what the tray, the window and the CLI call
// (AppController). It owns one state machine per instance and runs at most one
// operation per instance at a time:
//   - a start while that instance is starting joins the running start;
//   - a stop while it is starting CANCELS the start (kills colima's process
//     group), waits for it to settle, then stops with escalation;
//   - a start while it is stopping or deleting is refused (BUSY);
//   - teardownAll cancels every start, waits for every operation, then tears
//     down every ledger instance; a second teardownAll joins the first, and no
//     start is accepted while it runs.
// Every change publishes a new frozen AppSnapshot to the subscribers.
import type { ColimaClient, ColimaInstance, KubectlClient } from '../colima/client-api.js';
import type { AppController, TeardownResult } from '../controller-api.js';
import { AppError, isAppError, userMessage } from '../errors.js';
import type { Ledger } from '../ledger.js';
import { nullLogger, type Logger } from '../log.js';
import type { AppSnapshot, EnvironmentStatus, InstanceState, Profile, TeardownProgress } from '../model.js';
import type { ProfileStore } from '../profiles/store.js';
import { formatFieldErrors, validateProfile, validateProfileName } from '../profiles/validate.js';
import { teardownInstances } from '../teardown/teardown.js';
import { stopWithEscalation } from '../teardown/steps.js';
import { InstanceTable } from './instances.js';
import { Operations, type OperationKind } from './operations.js';
import { SnapshotPublisher } from './publisher.js';
import { startInstance } from './start-instance.js';
import { Deadline } from './timing.js';
import { withTimeouts, type LifecycleTimeouts } from './timeouts.js';
import { buildSnapshot } from './snapshot.js';

export interface ControllerOptions {
  readonly store: ProfileStore;
  readonly ledger: Ledger;
  readonly colima: ColimaClient;
  readonly kubectl: KubectlClient;
  readonly timeouts?: Partial<LifecycleTimeouts>;
  /** The nix environment's state, shown in the snapshot (the NixToolRunner fits). */
  readonly environment?: EnvironmentSource;
  readonly logger?: Logger;
  readonly pid?: number;
  readonly now?: () => Date;
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
  private teardownRun: Promise<TeardownResult> | undefined;
  private teardownProgress: TeardownProgress | undefined;
  private readonly stopWatchingEnvironment: (() => void) | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.timeouts = withTimeouts(options.timeouts);
    this.logger = options.logger ?? nullLogger;
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

  async start(name?: string): Promise<void> {
    const profileName = name ?? this.options.store.activeProfile();
    if (this.teardownRun) throw new AppError('BUSY', 'All instances are being torn down (the app is quitting); start again when that has finished.');
    const running = this.operations.get(profileName);
    if (running?.kind === 'start') return running.promise;
    if (running) throw busy(profileName, running.kind);
    const profile = this.startableProfile(profileName);
    return this.runOperation(profileName, 'start', async (signal) => {
      this.instances.apply(profileName, { type: 'start' });
      this.publisher.publish();
      try {
        await startInstance(profile, this.startDeps(), {
          signal,
          onStage: (stage) => {
            this.instances.setStage(profileName, stage);
            this.publisher.publish();
          },
          onRecorded: () => this.publisher.publish(),
        });
        this.instances.apply(profileName, { type: 'started' });
      } catch (e) {
        if (signal.aborted) this.instances.apply(profileName, { type: 'cancelled', observed: await this.observedPhase(profileName) });
        else this.instances.apply(profileName, { type: 'failed' }, errorState(e));
        throw e;
      }
    });
  }

  async stop(name?: string): Promise<void> {
    const profileName = name ?? this.options.store.activeProfile();
    const nameProblem = validateProfileName(profileName);
    if (nameProblem) throw new AppError('INVALID_INPUT', `name: ${nameProblem}`, { field: 'name' });
    for (;;) {
      const running = this.operations.get(profileName);
      if (!running) break;
      if (running.kind !== 'start') return running.promise;
      running.abort.abort();
      await running.promise.catch(() => {});
    }
    if (this.teardownRun) {
      await this.teardownRun;
      return;
    }
    if (!this.options.ledger.get(profileName)) {
      const listed = (await this.listInstances()).find((i) => i.name === profileName);
      if (listed?.status === 'Running') {
        throw new AppError('CONFLICT', `The instance "${profileName}" was not started by this app, so the app leaves it alone; stop it yourself with: colima stop --profile ${profileName}`);
      }
      return;
    }
    return this.runOperation(profileName, 'stop', async (signal) => {
      this.instances.apply(profileName, { type: 'stop' });
      this.publisher.publish();
      const ctx = { colima: this.options.colima, timeouts: this.timeouts, deadline: new Deadline(undefined), logger: this.logger, signal };
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
    if (this.operations.get(name) || this.teardownRun) throw busy(name, this.operations.get(name)?.kind ?? 'delete');
    const entry = this.options.ledger.get(name);
    if (entry) {
      if (confirmName !== name) {
        throw new AppError('CONFLICT', `"${name}" has a VM the app started. Confirm by typing the profile name: the VM${entry.keepData ? '' : ' and its data'} will be deleted.`);
      }
      await this.runOperation(name, 'delete', async (signal) => {
        const result = await teardownInstances([entry], this.teardownDeps(), {
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

  teardownAll(options: { readonly timeoutMs?: number } = {}): Promise<TeardownResult> {
    this.teardownRun ??= this.runTeardown(options.timeoutMs).finally(() => {
      this.teardownRun = undefined;
      this.publisher.publish();
    });
    return this.teardownRun;
  }

  private async runTeardown(totalMs: number | undefined): Promise<TeardownResult> {
    this.teardownProgress = Object.freeze({ running: true, items: Object.freeze([]) });
    this.publisher.publish();
    // A quit during a start cancels it first (peers.md §3: docker/for-mac#7053 otherwise).
    for (const op of this.operations.all()) if (op.kind === 'start') op.abort.abort();
    await Promise.allSettled(this.operations.all().map((op) => op.promise));
    let result: TeardownResult;
    try {
      result = await teardownInstances(this.options.ledger.list(), this.teardownDeps(), {
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

  private startableProfile(name: string): Profile {
    const stored = this.options.store.require(name);
    const checked = validateProfile(stored, this.options.store.host);
    if (!checked.ok) {
      throw new AppError('INVALID_INPUT', `Profile "${name}" does not fit this machine: ${formatFieldErrors(checked.errors)} Edit it (colima-k8s profile set ${name} ...) and start again.`, {
        field: checked.errors[0]?.field,
      });
    }
    if (stored.images.length > 0 && stored.runtime !== 'containerd') {
      // `colima nerdctl` only works with containerd (colima-cli §8).
      throw new AppError('INVALID_INPUT', `Profile "${name}": images can only be pulled with the containerd runtime; switch the runtime or remove the images.`, { field: 'images' });
    }
    return checked.profile;
  }

  private runOperation(profile: string, kind: OperationKind, body: (signal: AbortSignal) => Promise<void>): Promise<void> {
    return this.operations.run(profile, kind, body, () => this.publisher.publish());
  }

  /** `colima list`, applied to every instance no operation owns. */
  private async listInstances(): Promise<readonly ColimaInstance[]> {
    const listing = await this.options.colima.list();
    this.instances.observe(listing, this.knownNames());
    this.publisher.publish();
    return listing;
  }

  private async observedPhase(profile: string): Promise<InstanceState['phase']> {
    try {
      const listing = await this.options.colima.list();
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

  private startDeps(): Parameters<typeof startInstance>[1] {
    return {
      colima: this.options.colima,
      kubectl: this.options.kubectl,
      ledger: this.options.ledger,
      timeouts: this.timeouts,
      logger: this.logger,
      pid: this.options.pid ?? process.pid,
      now: this.options.now ?? (() => new Date()),
    };
  }

  private teardownDeps(): Parameters<typeof teardownInstances>[1] {
    return { colima: this.options.colima, kubectl: this.options.kubectl, ledger: this.options.ledger, timeouts: this.timeouts, logger: this.logger };
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
