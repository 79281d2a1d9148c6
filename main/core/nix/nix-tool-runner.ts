// The ToolRunner the app uses: runs colima, kubectl, docker … with the
// captured nix environment (nix-env.md §3: as fast as no nix at all), by
// absolute path and argv array, so no argument is ever read by a shell (§6).
//
// Waiting for the environment honours each run's signal (shared-task.ts): a
// cancelled run rejects at once, and a capture nobody waits for any more is
// stopped. A run with preferCachedEnvironment (teardown, stop) never waits for
// a re-evaluation while an intact cached environment of the same shell.nix
// exists. The environment is re-checked against shell.nix's content at most
// every inputsCheckIntervalMs, so the long-running tray notices an edit.
import { AppError, isAppError, userMessage } from '../errors.js';
import { nullLogger } from '../log.js';
import type { EnvironmentProgress, EnvironmentStatus } from '../model.js';
import { runCommand, type CommandResult } from '../run.js';
import type { ToolRunner, ToolRunOptions } from '../tool-runner.js';
import { inputsFingerprint } from './cache-key.js';
import {
  childBaseEnv,
  findCachedNixEnvironment,
  resolveNixEnvironment,
  type NixEnvironment,
  type ResolveNixEnvironmentOptions,
} from './environment.js';
import { findOnPath } from '../executables.js';
import type { ChildEnv } from './env-diff.js';
import type { Env } from './login-shell-env.js';
import { SharedTask } from './shared-task.js';

/**
 * Variables removed from every child's environment. COLIMA_PROFILE silently
 * filters `colima list` and changes the default profile (colima-cli §6); the
 * app always names the profile itself.
 */
export const STRIPPED_VARIABLES: readonly string[] = ['COLIMA_PROFILE'];

/** Default of NixToolRunnerOptions.inputsCheckIntervalMs: a few small file reads at most this often. */
export const DEFAULT_INPUTS_CHECK_INTERVAL_MS = 2_000;

export interface NixToolRunnerOptions extends Omit<ResolveNixEnvironmentOptions, 'refresh' | 'signal' | 'baseEnv'> {
  /** The caller's environment at each run; default process.env. */
  readonly baseEnv?: () => Env;
  readonly onStatus?: (status: EnvironmentStatus) => void;
  /**
   * How often at most a run re-reads shell.nix and its sibling nix inputs to
   * notice an edit (then the environment is resolved again). 0: every run.
   */
  readonly inputsCheckIntervalMs?: number;
  /** Replaceable for tests. */
  readonly resolve?: (options: ResolveNixEnvironmentOptions) => Promise<NixEnvironment>;
  /** Replaceable for tests. */
  readonly findCached?: (options: ResolveNixEnvironmentOptions) => Promise<NixEnvironment | undefined>;
}

export class NixToolRunner implements ToolRunner {
  #status: EnvironmentStatus = { kind: 'unresolved' };
  #current: NixEnvironment | undefined;
  /** Set when shell.nix's content no longer matches #current: normal runs resolve again. */
  #outdated: NixEnvironment | undefined;
  #lastInputsCheck = 0;
  /** The capture new callers join; undefined when none runs or the running one was abandoned. */
  #capture: SharedTask<NixEnvironment> | undefined;
  /** Settles when the last capture started has: one capture at a time (two would race on the cache folder). */
  #tail: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(status: EnvironmentStatus) => void>();
  readonly #abort = new AbortController();

  constructor(private readonly options: NixToolRunnerOptions) {
    if (options.onStatus) this.#listeners.add(options.onStatus);
  }

  status(): EnvironmentStatus {
    return this.#status;
  }

  /** Calls `listener` on every status change; returns the unsubscribe function. */
  onStatusChange(listener: (status: EnvironmentStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The environment in use, if resolved (maintenance passes it to pruneStaleRoots). */
  current(): NixEnvironment | undefined {
    return this.#current;
  }

  /**
   * The environment for the next run: the current one while shell.nix is
   * unchanged, else a (shared) capture. A failure is not memoised. `signal`
   * stops this caller's wait at once (CANCELLED).
   */
  async environment(options: { readonly signal?: AbortSignal } = {}): Promise<NixEnvironment> {
    const current = this.#current;
    if (current && !(await this.#shellNixChanged(current))) return this.#current ?? current;
    return (this.#capture ?? this.#start(false)).wait(options.signal);
  }

  /** Evaluates shell.nix again even if the cache matches ("Reload environment"). */
  reload(): Promise<NixEnvironment> {
    return this.#start(true).wait();
  }

  /** Stops an evaluation in flight (app quit). */
  cancel(): void {
    this.#abort.abort();
  }

  async run(program: string, args: readonly string[], options: ToolRunOptions = {}): Promise<CommandResult> {
    const { preferCachedEnvironment, ...runOptions } = options;
    const signal = options.signal;
    let { env, oneOff } = preferCachedEnvironment ? await this.#cachedEnvironment(signal) : { env: await this.environment({ signal }), oneOff: false };
    try {
      let child = this.#childEnv(env);
      let file = findOnPath(program, child.PATH);
      if (!file) {
        // Vanished (a GC) or newly added to shell.nix: resolve again, once.
        env = await this.#resolveAgain(env, signal);
        child = this.#childEnv(env);
        file = this.#require(program, child, env);
      }
      try {
        return await runCommand(file, args, { ...runOptions, env: child });
      } catch (e) {
        if (!isAppError(e, 'SPAWN_FAILED')) throw e;
        (options.logger ?? this.options.logger ?? nullLogger).log('warn', `${file} could not be started; resolving the nix environment again`);
        env = await this.#resolveAgain(env, signal);
        child = this.#childEnv(env);
        return await runCommand(this.#require(program, child, env), args, { ...runOptions, env: child });
      }
    } finally {
      if (oneOff) env.release();
    }
  }

  /**
   * For preferCachedEnvironment: the current environment if intact (even if
   * shell.nix changed, even during a capture), else the cache's (the current
   * key's, adopted; or the group's newest, for this run only), else a wait.
   */
  async #cachedEnvironment(signal: AbortSignal | undefined): Promise<{ env: NixEnvironment; oneOff: boolean }> {
    const current = this.#current;
    if (current?.isIntact()) return { env: current, oneOff: false };
    if (signal?.aborted) throw new AppError('CANCELLED', 'Waiting for the nix environment was cancelled.');
    const found = await (this.options.findCached ?? findCachedNixEnvironment)({ ...this.#resolveOptions(false), signal: signal ?? this.#abort.signal });
    if (found && !found.fallback && this.#current === current) {
      this.#adopt(found);
      return { env: found, oneOff: false };
    }
    if (found) return { env: found, oneOff: true };
    return { env: await this.environment({ signal }), oneOff: false };
  }

  /** True when shell.nix's content changed since `current` was resolved (checked at most every interval). */
  async #shellNixChanged(current: NixEnvironment): Promise<boolean> {
    if (this.#outdated === current) return true;
    if (current.inputs === undefined) return false;
    const now = Date.now();
    if (now - this.#lastInputsCheck < (this.options.inputsCheckIntervalMs ?? DEFAULT_INPUTS_CHECK_INTERVAL_MS)) return false;
    this.#lastInputsCheck = now;
    // Unreadable (an editor's save in progress, a deleted file): keep what works.
    const inputs = await inputsFingerprint(current.shellNix).catch(() => current.inputs);
    if (inputs === current.inputs || this.#current !== current) return false;
    (this.options.logger ?? nullLogger).log('info', `${current.shellNix} changed: resolving the nix environment again`);
    this.#outdated = current;
    return true;
  }

  #childEnv(env: NixEnvironment): ChildEnv {
    const base = childBaseEnv(this.options.baseEnv?.() ?? process.env, env.nix, this.options.locate);
    const child = env.env(base);
    for (const name of STRIPPED_VARIABLES) delete child[name];
    return child;
  }

  #require(program: string, child: ChildEnv, env: NixEnvironment): string {
    const file = findOnPath(program, child.PATH);
    if (file) return file;
    throw new AppError('SPAWN_FAILED', `${program} is not in the nix environment of ${env.shellNix}. Add it to the packages of that shell.nix, then reload the environment.`);
  }

  /** Re-resolves unless another caller already replaced `stale`. The cache check re-captures when paths are gone. */
  #resolveAgain(stale: NixEnvironment, signal: AbortSignal | undefined): Promise<NixEnvironment> {
    if (this.#current && this.#current !== stale) return Promise.resolve(this.#current);
    if (this.#current === stale) this.#outdated = stale;
    return (this.#capture ?? this.#start(false)).wait(signal);
  }

  #resolveOptions(refresh: boolean): ResolveNixEnvironmentOptions {
    const { baseEnv, onStatus: _onStatus, resolve: _resolve, findCached: _findCached, inputsCheckIntervalMs: _interval, ...rest } = this.options;
    return { ...rest, baseEnv: baseEnv?.() ?? process.env, refresh };
  }

  #start(refresh: boolean): SharedTask<NixEnvironment> {
    const previous = this.#tail;
    const task: SharedTask<NixEnvironment> = new SharedTask(
      async (signal) => {
        await previous;
        if (signal.aborted) throw new AppError('CANCELLED', 'Resolving the nix environment was cancelled.');
        this.#setStatus({ kind: 'resolving' });
        try {
          const onProgress = (progress: EnvironmentProgress): void => {
            if (!signal.aborted) this.#setStatus({ kind: 'resolving', progress });
            this.options.onProgress?.(progress);
          };
          const env = await (this.options.resolve ?? resolveNixEnvironment)({ ...this.#resolveOptions(refresh), signal, onProgress });
          this.#adopt(env);
          return env;
        } catch (e) {
          // Abandoned by every caller: nothing failed, the state is what it was.
          if (task.abandoned && !this.#abort.signal.aborted) this.#setStatus(this.#statusOf(this.#current));
          else this.#setStatus({ kind: 'error', message: userMessage(e) });
          throw e;
        }
      },
      {
        parent: this.#abort.signal,
        what: 'Waiting for the nix environment',
        onAbandoned: () => {
          if (this.#capture === task) this.#capture = undefined;
        },
      },
    );
    this.#capture = task;
    this.#tail = task.promise.catch(() => undefined);
    void this.#tail.then(() => {
      if (this.#capture === task) this.#capture = undefined;
    });
    return task;
  }

  /** Makes `env` the current environment; the previous one's cache folder is no longer held. */
  #adopt(env: NixEnvironment): void {
    const previous = this.#current;
    this.#current = env;
    this.#outdated = undefined;
    this.#lastInputsCheck = Date.now();
    if (previous && previous !== env) previous.release();
    this.#setStatus(this.#statusOf(env));
  }

  #statusOf(env: NixEnvironment | undefined): EnvironmentStatus {
    if (!env) return { kind: 'unresolved' };
    return env.fallback ? { kind: 'fallback', shellNix: env.shellNix, reason: env.fallback.reason } : { kind: 'ready', fromCache: env.fromCache, shellNix: env.shellNix };
  }

  #setStatus(status: EnvironmentStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) {
      try {
        listener(status);
      } catch {
        /* a broken listener must not break the runner */
      }
    }
  }
}
