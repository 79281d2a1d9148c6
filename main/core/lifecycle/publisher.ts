// Holds the current AppSnapshot and hands a new one to every subscriber after
// each change. Snapshots are frozen and never changed once published, so a
// subscriber may keep one and compare it with the next by identity.
import { userMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { AppSnapshot } from '../model.js';

export class SnapshotPublisher {
  private latest: AppSnapshot;
  private readonly listeners = new Set<(snapshot: AppSnapshot) => void>();

  constructor(
    private readonly build: (previous?: AppSnapshot) => AppSnapshot,
    private readonly logger: Logger,
  ) {
    this.latest = build();
  }

  current(): AppSnapshot {
    return this.latest;
  }

  subscribe(listener: (snapshot: AppSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  publish(): void {
    this.latest = this.build(this.latest);
    for (const listener of [...this.listeners]) {
      try {
        listener(this.latest);
      } catch (e) {
        // One broken subscriber (a closed window) must not stop the others or the operation.
        this.logger.log('error', `snapshot subscriber failed: ${userMessage(e)}`);
      }
    }
  }
}
