// Ctrl-C (or SIGTERM) during a command that runs processes: the command gets
// an AbortSignal and hands it to everything it runs (the controller's stop,
// teardown and profile delete, doctor, gc), so their process groups are
// killed; main/cli.ts waits for the command to finish, within the grace.
import type { CliIo } from './io.js';

export interface Interruption {
  readonly signal: AbortSignal;
  /** Stops listening (the command is over). */
  dispose(): void;
}

/** `onInterrupt` runs once, before the signal aborts (e.g. to say what is being cancelled). */
export function watchInterrupt(io: CliIo, onInterrupt?: () => void, options?: { readonly graceMs?: number }): Interruption {
  const abort = new AbortController();
  const dispose =
    io.onInterrupt?.(() => {
      if (abort.signal.aborted) return;
      onInterrupt?.();
      abort.abort();
    }, options) ?? (() => {});
  return { signal: abort.signal, dispose };
}
