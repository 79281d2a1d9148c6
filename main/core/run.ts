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
  const killTree = (): void => {
    const pid = child.pid;
    if (pid === undefined) return;
    const send = (sig: NodeJS.Signals): void => {
      try {
        if (process.platform === 'win32') child.kill(sig);
        else process.kill(-pid, sig);
      } catch {
        /* already gone */
      }
    };
    send('SIGTERM');
    const force = setTimeout(() => send('SIGKILL'), options.killGraceMs ?? 3_000);
    force.unref();
    void child.finally(() => clearTimeout(force)).catch(() => {});
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
  }
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
