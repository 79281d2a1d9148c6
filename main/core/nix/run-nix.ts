// Runs one nix tool (through runCommand, the one spawn point) and turns its
// failure into the error the user sees.
//
// Nix 2.8 clients register temporary GC roots through the garbage collector's
// socket while a GC runs; when the GC exits mid-conversation the client can die
// of SIGPIPE (NixOS/nix#5149 review, #7370). Measured here: nix-shell killed by
// SIGPIPE while `nix-collect-garbage -d` ran in parallel. Before 2.15 a client
// could also fail with "cannot connect to socket at '…/gc-socket/socket'"
// (#7370). Every call made here is idempotent (evaluate, realise, query, dump),
// so it is simply run again.
import { AppError } from '../errors.js';
import { nullLogger } from '../log.js';
import { runCommand, type CommandResult, type RunOptions } from '../run.js';

const ATTEMPTS = 3;

/** Failed because a garbage collection ran at the same moment, not because of the input. */
export function isConcurrentGcFailure(r: CommandResult): boolean {
  if (r.cancelled || r.timedOut || r.exitCode === 0) return false;
  return r.signal === 'SIGPIPE' || /gc-socket\/socket/.test(r.stderr);
}

/** The timer a stall watchdog uses; replaceable so tests control the clock. */
export interface StallTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: StallTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface NixRunOptions extends RunOptions {
  /**
   * Stop the call when it prints nothing (no stderr or stdout line: nix's
   * progress) for this long; the result is then timedOut with `stalledMs`.
   * timeoutMs stays a hard limit on top of it.
   */
  readonly stallMs?: number;
  readonly timers?: StallTimers;
}

export interface NixCommandResult extends CommandResult {
  /** Set when the stall watchdog stopped the call: how long nix had been silent. */
  readonly stalledMs?: number;
}

export async function runNix(file: string, args: readonly string[], options: NixRunOptions): Promise<NixCommandResult> {
  let r = await runWatched(file, args, options);
  for (let attempt = 1; attempt < ATTEMPTS && isConcurrentGcFailure(r); attempt++) {
    (options.logger ?? nullLogger).log('warn', `${file} failed (${r.signal ?? `exit ${r.exitCode}`}) while a garbage collection ran; running it again`);
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    r = await runWatched(file, args, options);
  }
  return r;
}

/** runCommand with the stall watchdog: every output line re-arms it. */
async function runWatched(file: string, args: readonly string[], options: NixRunOptions): Promise<NixCommandResult> {
  const { stallMs, timers = realTimers, ...run } = options;
  if (stallMs === undefined) return runCommand(file, args, run);
  const stall = new AbortController();
  let handle: unknown;
  const arm = (): void => {
    if (handle !== undefined) timers.clear(handle);
    handle = timers.set(() => {
      (options.logger ?? nullLogger).log('warn', `${file} printed no progress for ${Math.round(stallMs / 1000)} s: stopping it`);
      stall.abort();
    }, stallMs);
  };
  arm();
  try {
    const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
    const r = await runCommand(file, args, {
      ...run,
      signal,
      onStderrLine: (line) => {
        if (!stall.signal.aborted) arm();
        options.onStderrLine?.(line);
      },
      onStdoutLine: (line) => {
        if (!stall.signal.aborted) arm();
        options.onStdoutLine?.(line);
      },
    });
    if (stall.signal.aborted && !options.signal?.aborted && r.exitCode !== 0) return { ...r, cancelled: false, timedOut: true, stalledMs: stallMs };
    return r;
  } finally {
    timers.clear(handle);
  }
}

/** Maps a failed nix call to the error the user sees, with nix's last stderr lines. */
export function throwUnlessSucceeded(r: NixCommandResult, what: string): void {
  if (r.exitCode === 0) return;
  const logTail = tail(r.stderr);
  if (r.cancelled) throw new AppError('CANCELLED', `${what} was cancelled.`, { logTail });
  if (r.stalledMs !== undefined)
    throw new AppError('TIMEOUT', `${what} stopped: nix reported no progress for ${formatMinutes(r.stalledMs)} (network down or very slow?). Try again, or raise ${STALL_SETTING}.`, { logTail });
  if (r.timedOut) throw new AppError('TIMEOUT', `${what} did not finish in time (downloads may be slow); try again, or raise the timeout.`, { logTail });
  const last = logTail.filter((l) => /error/i.test(l)).at(-1) ?? logTail.at(-1) ?? '';
  throw new AppError('NIX_EVAL_FAILED', `${what} failed (exit ${r.exitCode ?? r.signal})${last ? `: ${last}` : ''}. ${evalFailureAdvice(r.stderr)}`, {
    logTail,
  });
}

/**
 * What to do about a failed evaluation. A missing `<nixpkgs>` is the usual
 * first-run failure of a GUI app: no channel yet (flakes-only installs), or a
 * NIX_PATH that only the login shell sets (nix-env.md §5).
 */
export function evalFailureAdvice(stderr: string): string {
  if (/file 'nixpkgs' was not found in the Nix search path/.test(stderr))
    return (
      'Nix has no <nixpkgs>: add a channel (nix-channel --add https://nixos.org/channels/nixpkgs-unstable nixpkgs && nix-channel --update), ' +
      'set NIX_PATH=nixpkgs=<path or tarball URL>, or pin nixpkgs inside shell.nix; then try again.'
    );
  return 'Fix shell.nix (see the log lines), then reload the environment.';
}

/** The environment variable that sets the stall timeout, in minutes (environment.ts). */
export const STALL_SETTING = 'COLIMA_K8S_NIX_STALL_MINUTES';

function formatMinutes(ms: number): string {
  const min = ms / 60_000;
  return min >= 1 ? `${Number.isInteger(min) ? min : min.toFixed(1)} min` : `${Math.round(ms / 1000)} s`;
}

export function tail(stderr: string, lines = 12): string[] {
  return stderr.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-lines);
}
