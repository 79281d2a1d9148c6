// Pulls a profile's images into the k8s.io namespace after start, one after
// another (they share the VM's network and disk), reporting each as a stage.
import type { ColimaClient } from '../colima/client-api.js';
import type { Logger } from '../log.js';
import type { Profile } from '../model.js';

export interface PullOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onStage: (stage: string) => void;
  /** The start's own log. */
  readonly logger?: Logger;
}

export async function pullProfileImages(colima: ColimaClient, profile: Profile, options: PullOptions): Promise<void> {
  const total = profile.images.length;
  for (const [i, image] of profile.images.entries()) {
    options.onStage(`pulling image ${image} (${i + 1}/${total})`);
    await colima.pullImage(profile.name, image, { timeoutMs: options.timeoutMs, signal: options.signal, logger: options.logger });
  }
}
