// Helpers for tests that watch processes die: liveness that does not count a
// zombie (an orphan killed in a test waits for PID 1 to reap it, which can take
// seconds in a container), and a poll with a bound against hangs.
import { existsSync, readFileSync } from 'node:fs';

/** Running, not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat'); // no /proc (macOS): kill(0) is all there is
  }
}

/** Polls `check` until true; fails after `limitMs` (a bound on a hang, not a timing claim). */
export async function until(check: () => boolean, limitMs = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not reached within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether `promise` has settled by now (after letting pending callbacks run). */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setImmediate(r));
  return settled;
}
