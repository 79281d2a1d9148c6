// At most one run of a slow task at a time (the doctor, a garbage
// collection): a second request while one runs joins it instead of starting
// another, so a double click or the quit path never runs nix twice at once.

export interface SingleFlight<T> {
  /** Starts the task, or returns the run under way. */
  run(): Promise<T>;
  running(): boolean;
  /** Aborts the run under way (its task sees the signal); nothing when idle. */
  abort(): void;
}

export function singleFlight<T>(task: (signal: AbortSignal) => Promise<T>, onChange?: () => void): SingleFlight<T> {
  let current: { promise: Promise<T>; abort: AbortController } | undefined;
  return {
    run() {
      if (current) return current.promise;
      const abort = new AbortController();
      const promise = Promise.resolve()
        .then(() => task(abort.signal))
        .finally(() => {
          current = undefined;
          onChange?.();
        });
      current = { promise, abort };
      onChange?.();
      return promise;
    },
    running: () => current !== undefined,
    abort: () => current?.abort.abort(),
  };
}
