// The one place that spawns processes. Always an argv array (never a shell,
// never a command string), stdin closed unless input is given, a timeout, and
// cancellation that kills the whole process group (colima → limactl → qemu is a
// tree; killing only the top leaves orphans: peers.md §3, nix-env.md §6).
import { execa } from 'execa';
import { AppError } from './errors.js';
import { nullLogger, type Logger } from './log.js';

export interface RunOptions {
  /** The complete environment of the child (not merged with process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Kill the process group after this long. Default 60 s. */
  readonly timeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL when killing. Default 3 s. */
  readonly killGraceMs?: number;
  readonly signal?: AbortSignal;
  /** Written to stdin, which is then closed. Without it stdin is /dev/null. */
  readonly input?: string;
  readonly onStderrLine?: (line: string) => void;
  readonly onStdoutLine?: (line: string) => void;
  /**
   * Called once, synchronously right after the spawn, with the child's pid,
   * which is also its process group id (it is spawned detached). Lets a
   * caller record the group before anything else can happen, so a later
   * process can stop it if this one dies (lifecycle/orphaned-start.ts).
   */
  readonly onSpawn?: (pid: number) => void;
  readonly logger?: Logger;
}

export interface CommandResult {
  readonly file: string;
  readonly args: readonly string[];
  /** null when the process was killed by a signal. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly durationMs: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Runs `file` with `args`. Resolves with the result whatever the exit code;
 * rejects only when the program cannot be started (AppError SPAWN_FAILED).
 */
export async function runCommand(file: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const logger = options.logger ?? nullLogger;
  const started = performance.now();
  logger.log('info', `run ${JSON.stringify([file, ...args])}`);

  const child = execa(file, [...args], {
    env: options.env as Record<string, string> | undefined,
    extendEnv: options.env === undefined,
    cwd: options.cwd,
    shell: false,
    reject: false,
    stripFinalNewline: false,
    // A new process group, so timeouts and cancellation reach every descendant.
    detached: process.platform !== 'win32',
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });

  // Registered before anything else can run, so killAllProcessGroups() sees it.
  const group = child.pid !== undefined && process.platform !== 'win32' ? child.pid : undefined;
  if (group !== undefined) liveGroups.add(group);

  if (child.pid !== undefined && options.onSpawn) {
    // A throwing listener must not leave the child running unwatched (no timer yet).
    try {
      options.onSpawn(child.pid);
    } catch (e) {
      logger.log('error', `onSpawn listener failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  let timedOut = false;
  let cancelled = false;
  let force: NodeJS.Timeout | undefined;
  const killTree = (): void => {
    if (force || child.pid === undefined) return;
    if (group === undefined) {
      child.kill('SIGTERM');
      force = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 3_000);
      force.unref();
      return;
    }
    signalGroup(group, 'SIGTERM');
    // SIGKILL the GROUP after the grace even when the leader has exited by
    // then: a member that ignores SIGTERM (limactl outliving colima) would
    // survive otherwise. ESRCH (nobody left) is ignored by signalGroup.
    force = setTimeout(() => {
      signalGroup(group, 'SIGKILL');
      liveGroups.delete(group);
    }, options.killGraceMs ?? 3_000);
    // Not keeping the process alive for it: an exiting CLI or app calls killAllProcessGroups().
    force.unref();
  };

  const timer = setTimeout(() => {
    timedOut = true;
    logger.log('warn', `timeout after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms: ${file}`);
    killTree();
  }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const onAbort = (): void => {
    cancelled = true;
    logger.log('warn', `cancelled: ${file}`);
    killTree();
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  forEachLine(child.stderr, (line) => {
    logger.log('debug', `stderr: ${line}`);
    options.onStderrLine?.(line);
  });
  forEachLine(child.stdout, (line) => options.onStdoutLine?.(line));

  try {
    const r = await child;
    if (r.failed && r.exitCode === undefined && r.signal === undefined && !timedOut && !cancelled) {
      const code = (r as { code?: string }).code ?? 'unknown';
      throw new AppError('SPAWN_FAILED', `Could not start ${file} (${code}). Check that it is installed and executable.`, {
        cause: r,
      });
    }
    const result: CommandResult = {
      file,
      args: [...args],
      exitCode: r.exitCode ?? null,
      signal: r.signal ?? null,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      timedOut,
      cancelled,
      durationMs: performance.now() - started,
    };
    logger.log(result.exitCode === 0 ? 'info' : 'warn', `exit ${result.exitCode ?? result.signal} after ${Math.round(result.durationMs)} ms: ${file}`);
    return result;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (group === undefined) {
      if (force) clearTimeout(force);
    } else if (!force || !groupHasMembers(group)) {
      // Exited on its own (members it left behind were left on purpose), or
      // killed and nothing is left: no SIGKILL, and the id may be reused.
      if (force) clearTimeout(force);
      liveGroups.delete(group);
    }
  }
}

/**
 * Process groups started here that may still hold processes: the leader still
 * runs, or the group is being killed and its SIGKILL is not sent yet. A group
 * whose leader exited on its own leaves the registry at once, so a daemon it
 * started on purpose is never killed by killAllProcessGroups().
 */
const liveGroups = new Set<number>();

/**
 * Sends `signal` (default SIGKILL) to every process group in the registry and
 * empties it when killing. Synchronous, so an exiting CLI or app can call it
 * from process.on('exit') or after a signal: no nix-shell, colima or limactl
 * it started outlives it. Returns how many groups still existed.
 */
export function killAllProcessGroups(signal: NodeJS.Signals = 'SIGKILL'): number {
  let signalled = 0;
  for (const group of [...liveGroups]) {
    if (signalGroup(group, signal)) signalled++;
    if (signal === 'SIGKILL') liveGroups.delete(group);
  }
  return signalled;
}

/** The process group ids in the registry (diagnostics and tests). */
export function liveProcessGroups(): number[] {
  return [...liveGroups];
}

/** True when the group still existed (ESRCH: nobody left, ignored). */
function signalGroup(group: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch (e) {
    // EPERM: a member changed its user (sudo); it exists but is not ours to signal.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groupHasMembers(group: number): boolean {
  return signalGroup(group, 0);
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.on('data', (chunk: Buffer | string) => {
    rest += chunk.toString();
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      onLine(rest.slice(0, nl).replace(/\r$/, ''));
      rest = rest.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}

/** Throws a COMMAND_FAILED / TIMEOUT / CANCELLED AppError unless the command exited 0. */
export function assertSucceeded(r: CommandResult, what: string, stderrTail = 5): CommandResult {
  if (r.exitCode === 0) return r;
  const logTail = r.stderr.split('\n').filter(Boolean).slice(-stderrTail);
  if (r.cancelled) throw new AppError('CANCELLED', `${what} was cancelled.`, { logTail });
  if (r.timedOut) throw new AppError('TIMEOUT', `${what} did not finish in time and was stopped.`, { logTail });
  throw new AppError('COMMAND_FAILED', `${what} failed (exit ${r.exitCode ?? r.signal}).`, { logTail });
}
