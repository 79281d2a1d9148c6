// At most one operation per instance: what runs now, so a second request can
// join it, wait for it or be refused, and a quit can cancel every start.
export type OperationKind = 'start' | 'stop' | 'delete';

export interface Operation {
  readonly profile: string;
  readonly kind: OperationKind;
  readonly abort: AbortController;
  readonly promise: Promise<void>;
}

export class Operations {
  private readonly running = new Map<string, Operation>();

  get(profile: string): Operation | undefined {
    return this.running.get(profile);
  }

  all(): Operation[] {
    return [...this.running.values()];
  }

  /** Runs `body` as the operation of `profile`; `onSettled` runs once it is no longer registered. */
  run(profile: string, kind: OperationKind, body: (signal: AbortSignal) => Promise<void>, onSettled: () => void): Promise<void> {
    const abort = new AbortController();
    // Started on the next microtask, so the operation is registered before any of its code runs.
    const promise: Promise<void> = Promise.resolve()
      .then(() => body(abort.signal))
      .finally(() => {
        if (this.running.get(profile)?.promise === promise) this.running.delete(profile);
        onSettled();
      });
    this.running.set(profile, { profile, kind, abort, promise });
    return promise;
  }
}
