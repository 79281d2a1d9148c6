// After `colima start --kubernetes` returns, k3s may still be registering its
// node: wait until `kubectl --context <ID> get nodes` reports every node Ready.
import { AppError, userMessage } from '../errors.js';
import type { KubectlClient } from '../colima/client-api.js';
import type { Logger } from '../log.js';
import { sleep } from '../timing.js';

export interface ReadinessOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly signal?: AbortSignal;
  /** The start's own log (each poll's kubectl run). */
  readonly logger?: Logger;
}

export async function waitForNodesReady(kubectl: KubectlClient, context: string, options: ReadinessOptions): Promise<void> {
  const until = Date.now() + options.timeoutMs;
  let lastProblem = 'no node reported Ready';
  for (;;) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'Waiting for Kubernetes was cancelled.');
    try {
      if (await kubectl.nodesReady(context, { logger: options.logger })) return;
      lastProblem = 'not every node is Ready yet';
    } catch (e) {
      // The API server refuses connections for a while after k3s starts: keep polling, remember why.
      if (e instanceof AppError && e.code === 'CANCELLED') throw e;
      lastProblem = userMessage(e);
    }
    if (Date.now() + options.intervalMs > until) {
      throw new AppError(
        'TIMEOUT',
        `Kubernetes (context ${context}) was not Ready within ${Math.round(options.timeoutMs / 1000)} s (${lastProblem}). ` +
          `Check with: kubectl --context ${context} get nodes`,
      );
    }
    await sleep(options.intervalMs, options.signal);
  }
}
