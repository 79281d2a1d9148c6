// The two colima steps of a teardown, each with its escalation:
// a graceful stop that times out or fails becomes `stop --force` (stop hangs
// are common: colima-cli §3, §11), and a delete is retried with backoff.
// Every colima call here (the user's Stop uses stopWithEscalation too) runs
// with the last intact cached nix environment when shell.nix is being
// evaluated again (PREFER_CACHED): a stop or quit must meet its deadline, and
// the colima that started the VM is the right one to stop it.
import type { ColimaClient } from '../colima/client-api.js';
import { AppError, userMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { sleep, type Deadline } from '../timing.js';
import type { LifecycleTimeouts } from '../timeouts.js';

/** What every colima and kubectl call of a teardown or stop adds to its options (nix/nix-tool-runner.ts preferCachedEnvironment). */
export const PREFER_CACHED = Object.freeze({ preferCachedEnvironment: true } as const);

export interface StepContext {
  readonly colima: ColimaClient;
  readonly timeouts: LifecycleTimeouts;
  readonly deadline: Deadline;
  /** The operation's log: the step's own lines and its colima runs (forProfile prefixes them). */
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/**
 * `ctx` for the steps of one instance: every line, colima's included, starts
 * with the profile, so the instances of one teardown, running in parallel in
 * one log, can be told apart (colima's exit lines do not name the profile).
 */
export function forProfile(ctx: StepContext, profile: string): StepContext {
  const logger = ctx.logger;
  return { ...ctx, logger: { log: (level, message) => logger.log(level, `${profile}: ${message}`) } };
}

/**
 * Stops `profile`, escalating to `--force`. Resolves with a note when even the
 * forced stop failed: the delete that follows (`delete --force`) still removes
 * a running VM, so the teardown goes on. Give it forProfile(ctx, profile).
 */
export async function stopWithEscalation(
  ctx: StepContext,
  profile: string,
  onForce: () => void,
): Promise<{ readonly forced: boolean; readonly problem?: string }> {
  try {
    await ctx.colima.stop(profile, { timeoutMs: ctx.deadline.budget(ctx.timeouts.stopMs), signal: ctx.signal, logger: ctx.logger, ...PREFER_CACHED });
    const left = await stateAfterStop(ctx, profile);
    if (left === undefined) return { forced: false };
    // A graceful stop of a Broken VM prints "not running" and exits 0 having done
    // nothing; only --force stops it (colima-cli §3, colima#439).
    ctx.logger.log('warn', `colima stop exited 0 but the VM is ${left}; escalating to stop --force`);
  } catch (e) {
    if (ctx.signal?.aborted) throw e;
    ctx.logger.log('warn', `graceful stop failed (${userMessage(e)}); escalating to stop --force`);
  }
  onForce();
  try {
    await ctx.colima.stop(profile, { force: true, timeoutMs: ctx.deadline.budget(ctx.timeouts.forceStopMs), signal: ctx.signal, logger: ctx.logger, ...PREFER_CACHED });
    return { forced: true };
  } catch (e) {
    if (ctx.signal?.aborted) throw e;
    ctx.logger.log('error', `stop --force failed: ${userMessage(e)}`);
    return { forced: true, problem: `stop --force failed: ${userMessage(e)}` };
  }
}

/** The VM's status when a graceful stop left it neither stopped nor gone; undefined when it is (or cannot be told). */
async function stateAfterStop(ctx: StepContext, profile: string): Promise<string | undefined> {
  try {
    const instance = (await ctx.colima.list({ logger: ctx.logger, ...PREFER_CACHED })).find((i) => i.name === profile);
    return instance?.status !== undefined && instance.status !== 'Stopped' ? instance.status : undefined;
  } catch (e) {
    ctx.logger.log('warn', `could not check the VM after the stop: ${userMessage(e)}`);
    return undefined;
  }
}

/** `colima delete --force [--data]`, retried up to `deleteAttempts` times. Throws the last error. */
export async function deleteWithRetry(
  ctx: StepContext,
  profile: string,
  deleteData: boolean,
  onRetry: (attempt: number, error: unknown) => void,
): Promise<void> {
  let pause = ctx.timeouts.deleteBackoffMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.colima.delete(profile, { deleteData, timeoutMs: ctx.deadline.budget(ctx.timeouts.deleteMs), signal: ctx.signal, logger: ctx.logger, ...PREFER_CACHED });
      return;
    } catch (e) {
      if (ctx.signal?.aborted || attempt >= ctx.timeouts.deleteAttempts || ctx.deadline.remainingMs() <= pause) throw e;
      ctx.logger.log('warn', `delete attempt ${attempt} failed (${userMessage(e)}); retrying in ${pause} ms`);
      onRetry(attempt, e);
      await sleep(pause, ctx.signal);
      pause *= 2;
    }
  }
}

export function deadlineExceeded(what: string): AppError {
  return new AppError('TIMEOUT', `${what}: the teardown ran out of time.`);
}
