// "Verify cluster": the seed's manual check (`kubectl get nodes`, then running
// something) made non-interactive and leaving nothing behind. It runs one
// short-lived pod
//   kubectl --context C run ck8s-verify-<random> --image=<image> --restart=Never --command -- sh -c 'echo colima-k8s-verify-ok'
// polls `get pod -o json` until it has run (within `limitMs`, on an injected clock),
// reads its `logs`, and always deletes it (`delete pod --wait=false --ignore-not-found`),
// also after a failure, a timeout or a cancellation.
//
// Spawns: 1 run + one `get pod` per poll (≤ limitMs / pollMs + 1) + 1 logs (only when it ran)
// + 1 delete. A pod that runs at once: 4. `spawns` in the result counts them.
// It refuses an instance the app did not start (`isOwned`, e.g. a ledger lookup): 0 spawns.
import { randomBytes } from 'node:crypto';
import { instanceId } from '../colima/argv.js';
import type { CallOptions, KubectlClusterClient, PodState } from '../colima/client-api.js';
import { isAppError, userMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { sleep as defaultSleep } from '../timing.js';

export const VERIFY_OK_TEXT = 'colima-k8s-verify-ok';
export const DEFAULT_VERIFY_IMAGE = 'busybox';
export const DEFAULT_VERIFY_LIMIT_MS = 120_000;
export const DEFAULT_VERIFY_POLL_MS = 1_000;

export type VerifyReason =
  | 'not-owned' // the app did not start this instance: refused, nothing ran
  | 'image-pull-failed' // ErrImagePull / ImagePullBackOff / InvalidImageName
  | 'node-not-ready' // the pod stayed unschedulable (node NotReady) until the limit
  | 'timeout' // the pod did not finish within the limit
  | 'cancelled'
  | 'pod-failed' // the container ran and exited non-zero
  | 'unexpected-output'
  | 'kubectl-failed'; // kubectl could not run/ask (API server unreachable, ...)

export interface VerifyResult {
  readonly ok: boolean;
  /** Set when !ok. */
  readonly reason?: VerifyReason;
  /** One line for a notification: what passed, or why not. */
  readonly message: string;
  readonly podName: string;
  readonly context: string;
  readonly image: string;
  /** False when even the final delete failed (its error is in `cleanupError`): a pod may remain. */
  readonly cleanedUp: boolean;
  readonly cleanupError?: string;
  readonly spawns: number;
}

export interface VerifyOptions {
  readonly profile: string;
  readonly kubectl: Pick<KubectlClusterClient, 'runPod' | 'podState' | 'podLogs' | 'deletePod'>;
  /** True only for an instance the app started (the ledger). */
  readonly isOwned: (profile: string) => boolean | Promise<boolean>;
  /** Default busybox; a profile's pulled image works if it has `sh`. */
  readonly image?: string;
  readonly limitMs?: number;
  readonly pollMs?: number;
  /** Default Date.now. */
  readonly now?: () => number;
  /** Default timing.ts sleep (rejects CANCELLED on abort). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly signal?: AbortSignal;
  /** The random suffix of the pod name. Default 6 hex digits. */
  readonly randomSuffix?: () => string;
  readonly logger?: Logger;
}

const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

type Outcome = { readonly ok: true; readonly message: string } | { readonly ok: false; readonly reason: VerifyReason; readonly message: string };

export async function verifyCluster(options: VerifyOptions): Promise<VerifyResult> {
  const context = instanceId(options.profile);
  const image = options.image ?? DEFAULT_VERIFY_IMAGE;
  const podName = `ck8s-verify-${(options.randomSuffix ?? (() => randomBytes(3).toString('hex')))()}`;
  const base = { podName, context, image };
  if (!(await options.isOwned(options.profile))) {
    return {
      ...base, ok: false, reason: 'not-owned', cleanedUp: true, spawns: 0,
      message: `Refused: ${options.profile} was not started by this app, so it is not checked.`,
    };
  }
  let spawns = 0;
  const { kubectl, signal } = options;
  const call: CallOptions = { ...(options.logger ? { logger: options.logger } : {}), ...(signal ? { signal } : {}) };
  const outcome = await runCheck();

  // Whatever happened: delete the pod, without the (maybe aborted) signal.
  let cleanupError: string | undefined;
  spawns++;
  try {
    await kubectl.deletePod(context, podName, options.logger ? { logger: options.logger } : {});
  } catch (e) {
    cleanupError = userMessage(e);
  }
  const cleanup = { cleanedUp: cleanupError === undefined, ...(cleanupError !== undefined ? { cleanupError } : {}), spawns };
  return outcome.ok ? { ...base, ...cleanup, ok: true, message: outcome.message } : { ...base, ...cleanup, ok: false, reason: outcome.reason, message: outcome.message };

  async function runCheck(): Promise<Outcome> {
    const now = options.now ?? Date.now;
    const wait = options.sleep ?? defaultSleep;
    const limitMs = options.limitMs ?? DEFAULT_VERIFY_LIMIT_MS;
    const pollMs = options.pollMs ?? DEFAULT_VERIFY_POLL_MS;
    const cancelled: Outcome = { ok: false, reason: 'cancelled', message: 'The cluster check was cancelled.' };
    try {
      if (signal?.aborted) return cancelled;
      spawns++;
      await kubectl.runPod(context, podName, image, ['sh', '-c', `echo ${VERIFY_OK_TEXT}`], call);
      const end = now() + limitMs;
      let last: PodState | undefined;
      for (;;) {
        spawns++;
        last = await kubectl.podState(context, podName, call);
        if (last?.waitingReason && PULL_FAILURES.has(last.waitingReason)) {
          return { ok: false, reason: 'image-pull-failed', message: `The image ${image} could not be pulled (${last.waitingReason})${last.waitingMessage ? `: ${last.waitingMessage}` : ''}.` };
        }
        if (last?.phase === 'Succeeded' || last?.phase === 'Failed') break;
        if (now() >= end) {
          const secs = Math.round(limitMs / 1000);
          if (last?.unschedulable) {
            return { ok: false, reason: 'node-not-ready', message: `The node is not Ready: the check pod was not scheduled within ${secs} s (${last.unschedulable}).` };
          }
          return { ok: false, reason: 'timeout', message: `The check pod did not finish within ${secs} s (phase ${last?.phase ?? 'gone'}${last?.waitingReason ? `, ${last.waitingReason}` : ''}).` };
        }
        await wait(Math.max(1, Math.min(pollMs, end - now())), signal);
      }
      spawns++;
      const logs = await kubectl.podLogs(context, podName, call);
      if (last.phase === 'Failed') return { ok: false, reason: 'pod-failed', message: `The check pod failed${logs.trim() ? `: ${logs.trim().slice(-200)}` : '.'}` };
      if (!logs.includes(VERIFY_OK_TEXT)) return { ok: false, reason: 'unexpected-output', message: `The check pod printed ${JSON.stringify(logs.trim().slice(0, 200))}, not ${VERIFY_OK_TEXT}.` };
      return { ok: true, message: `The cluster ran a pod (${image}) and read its output.` };
    } catch (e) {
      if (isAppError(e, 'CANCELLED') || signal?.aborted) return cancelled;
      return { ok: false, reason: 'kubectl-failed', message: `The cluster check could not run: ${userMessage(e)}` };
    }
  }
}
