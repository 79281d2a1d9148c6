// Waiting that can be cancelled, and deadlines shared by several steps.
import { AppError } from './errors.js';

/** Resolves after `ms`, or rejects with AppError CANCELLED as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'The operation was cancelled.');
}

/** A point in time that several steps share: each gets min(its own limit, what is left). */
export class Deadline {
  private readonly at: number;
  constructor(totalMs: number | undefined, private readonly clock: () => number = Date.now) {
    this.at = totalMs === undefined ? Number.POSITIVE_INFINITY : clock() + totalMs;
  }
  remainingMs(): number {
    return Math.max(0, this.at - this.clock());
  }
  expired(): boolean {
    return this.remainingMs() <= 0;
  }
  /** The timeout for a step whose own limit is `stepMs`. */
  budget(stepMs: number): number {
    return Math.max(1, Math.min(stepMs, this.remainingMs()));
  }
}
