// At most one operation per instance: what runs now, so a second request can
// join it, wait for it or be refused, and a quit can cancel every start.
import { AppError, isAppError, userMessage } from '../errors.js';
import type { InstanceState } from '../model.js';

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

  /** Cancels the starts of the profiles `inScope` picks and waits until all their operations have settled. */
  async settle(inScope: (profile: string) => boolean): Promise<void> {
    const ops = this.all().filter((op) => inScope(op.profile));
    for (const op of ops) if (op.kind === 'start') op.abort.abort();
    await Promise.allSettled(ops.map((op) => op.promise));
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

/** The operation's own signal, also aborted by the caller's (Ctrl-C on the CLI). */
export function withCaller(own: AbortSignal, caller: AbortSignal | undefined): AbortSignal {
  return caller ? AbortSignal.any([own, caller]) : own;
}

export function busy(profile: string, kind: OperationKind): AppError {
  const doing = kind === 'start' ? 'starting' : kind === 'stop' ? 'stopping' : 'being deleted';
  return new AppError('BUSY', `"${profile}" is ${doing}; wait until that has finished and try again.`);
}

export function errorState(e: unknown): NonNullable<InstanceState['error']> {
  const logTail = isAppError(e) ? (e.details.logTail ?? []) : [];
  return { message: userMessage(e), logTail: [...logTail] };
}
