// The ToolRunner the app uses: runs colima, kubectl, docker … with the
// captured nix environment (nix-env.md §3: as fast as no nix at all), by
// absolute path and argv array, so no argument is ever read by a shell (§6).
import { AppError, isAppError, userMessage } from '../errors.js';
import { nullLogger } from '../log.js';
import type { EnvironmentStatus } from '../model.js';
import { runCommand, type CommandResult, type RunOptions } from '../run.js';
import type { ToolRunner } from '../tool-runner.js';
import { childBaseEnv, resolveNixEnvironment, type NixEnvironment, type ResolveNixEnvironmentOptions } from './environment.js';
import { findOnPath } from '../executables.js';
import type { ChildEnv } from './env-diff.js';
import type { Env } from './login-shell-env.js';

/**
 * Variables removed from every child's environment. COLIMA_PROFILE silently
 * filters `colima list` and changes the default profile (colima-cli §6); the
 * app always names the profile itself.
 */
export const STRIPPED_VARIABLES: readonly string[] = ['COLIMA_PROFILE'];

export interface NixToolRunnerOptions extends Omit<ResolveNixEnvironmentOptions, 'refresh' | 'signal' | 'baseEnv'> {
  /** The caller's environment at each run; default process.env. */
  readonly baseEnv?: () => Env;
  readonly onStatus?: (status: EnvironmentStatus) => void;
  /** Replaceable for tests. */
  readonly resolve?: (options: ResolveNixEnvironmentOptions) => Promise<NixEnvironment>;
}

export class NixToolRunner implements ToolRunner {
  #status: EnvironmentStatus = { kind: 'unresolved' };
  #current: NixEnvironment | undefined;
  #pending: Promise<NixEnvironment> | undefined;
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

  /** Resolves once; concurrent callers share one capture. A failure is not memoised. */
  environment(): Promise<NixEnvironment> {
    if (this.#current) return Promise.resolve(this.#current);
    return this.#pending ?? this.#start(false);
  }

  /** Evaluates shell.nix again even if the cache matches ("Reload environment"). */
  reload(): Promise<NixEnvironment> {
    return this.#start(true);
  }

  /** Stops an evaluation in flight (app quit). */
  cancel(): void {
    this.#abort.abort();
  }

  async run(program: string, args: readonly string[], options: Omit<RunOptions, 'env'> = {}): Promise<CommandResult> {
    let env = await this.environment();
    let child = this.#childEnv(env);
    let file = findOnPath(program, child.PATH);
    if (!file) {
      // Vanished (a GC) or newly added to shell.nix: resolve again, once.
      env = await this.#resolveAgain(env);
      child = this.#childEnv(env);
      file = this.#require(program, child, env);
    }
    try {
      return await runCommand(file, args, { ...options, env: child });
    } catch (e) {
      if (!isAppError(e, 'SPAWN_FAILED')) throw e;
      (options.logger ?? this.options.logger ?? nullLogger).log('warn', `${file} could not be started; resolving the nix environment again`);
      env = await this.#resolveAgain(env);
      child = this.#childEnv(env);
      return runCommand(this.#require(program, child, env), args, { ...options, env: child });
    }
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
  #resolveAgain(stale: NixEnvironment): Promise<NixEnvironment> {
    if (this.#current && this.#current !== stale) return Promise.resolve(this.#current);
    if (this.#current === stale) this.#current = undefined;
    return this.#pending ?? this.#start(false);
  }

  #start(refresh: boolean): Promise<NixEnvironment> {
    const previous = this.#pending;
    const run = async (): Promise<NixEnvironment> => {
      // One capture at a time: two would race on the same cache folder.
      if (previous) await previous.catch(() => undefined);
      this.#setStatus({ kind: 'resolving' });
      try {
        const { baseEnv, onStatus: _onStatus, resolve, ...rest } = this.options;
        const env = await (resolve ?? resolveNixEnvironment)({ ...rest, baseEnv: baseEnv?.() ?? process.env, refresh, signal: this.#abort.signal });
        this.#current = env;
        this.#setStatus(
          env.fallback
            ? { kind: 'fallback', shellNix: env.shellNix, reason: env.fallback.reason }
            : { kind: 'ready', fromCache: env.fromCache, shellNix: env.shellNix },
        );
        return env;
      } catch (e) {
        this.#setStatus({ kind: 'error', message: userMessage(e) });
        throw e;
      }
    };
    const pending = run().finally(() => {
      if (this.#pending === pending) this.#pending = undefined;
    });
    this.#pending = pending;
    return pending;
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
