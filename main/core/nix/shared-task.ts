// One piece of work (a capture of the nix environment) awaited by several
// callers, each with its own AbortSignal. A caller whose signal aborts stops
// waiting AT ONCE (AppError CANCELLED), whatever the work is doing: a SIGTERM
// to the CLI must not wait for a 20 s nix build. The work itself goes on for
// the callers still waiting, and is aborted when the last one has left: nobody
// needs its result any more, and its nix processes would keep an exiting CLI
// alive. A caller without a signal never leaves, so the work then always runs
// to its end.
import { AppError } from '../errors.js';

export class SharedTask<T> {
  readonly promise: Promise<T>;
  readonly #abort = new AbortController();
  #waiters = 0;
  #settled = false;

  /**
   * Starts `work` at once. Its signal aborts when `parent` does, or when every
   * waiter has left (then `onAbandoned` runs first, so the owner can stop
   * handing this task to new callers).
   */
  constructor(
    work: (signal: AbortSignal) => Promise<T>,
    private readonly options: { readonly parent?: AbortSignal; readonly what: string; readonly onAbandoned?: () => void },
  ) {
    const signal = options.parent ? AbortSignal.any([options.parent, this.#abort.signal]) : this.#abort.signal;
    this.promise = work(signal);
    const settle = (): void => {
      this.#settled = true;
    };
    this.promise.then(settle, settle);
  }

  /** True once the work was aborted because nobody waited for it any more. */
  get abandoned(): boolean {
    return this.#abort.signal.aborted;
  }

  /** The result for one caller; rejects with CANCELLED as soon as `signal` aborts. */
  wait(signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(this.#cancelled());
    this.#waiters++;
    if (!signal) return this.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        reject(this.#cancelled());
        if (--this.#waiters === 0 && !this.#settled) {
          this.options.onAbandoned?.();
          this.#abort.abort();
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  #cancelled(): AppError {
    return new AppError('CANCELLED', `${this.options.what} was cancelled.`);
  }
}
