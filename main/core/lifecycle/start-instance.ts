// Starting one profile's instance, in the order that keeps a crash at any
// moment recoverable and never touches a VM that is not ours:
//   1. `colima list`: an instance of that name that is not in the ledger was
//      started outside the app → refuse (tearing it down later would destroy
//      someone else's VM).
//   2. remember the current kube context (to restore at teardown) and write the
//      ledger entry BEFORE `colima start` runs.
//   3. `colima start` with the profile's flags, progress from its stage lines.
//   4. pull the profile's images into k8s.io (colima-cli §8, §14.11).
//   5. wait until `kubectl --context <ID> get nodes` is Ready, then make that
//      context current if the profile asks for it.
import { instanceId, kubeContextName } from '../colima/argv.js';
import type { ColimaClient, KubectlClient } from '../colima/client-api.js';
import { AppError, userMessage } from '../errors.js';
import type { Ledger } from '../ledger.js';
import type { Logger } from '../log.js';
import type { Profile } from '../model.js';
import { pullProfileImages } from './images.js';
import { waitForNodesReady } from './readiness.js';
import type { LifecycleTimeouts } from './timeouts.js';

export interface StartDeps {
  readonly colima: ColimaClient;
  readonly kubectl: KubectlClient;
  readonly ledger: Ledger;
  readonly timeouts: LifecycleTimeouts;
  readonly logger: Logger;
  readonly pid: number;
  readonly now: () => Date;
}

export interface StartHooks {
  readonly signal: AbortSignal;
  readonly onStage: (stage: string) => void;
  /** Called once the ledger holds the instance (it now counts as app-started). */
  readonly onRecorded: () => void;
}

export async function startInstance(profile: Profile, deps: StartDeps, hooks: StartHooks): Promise<void> {
  const { colima, kubectl, ledger, timeouts, logger } = deps;
  const id = instanceId(profile.name);
  const context = kubeContextName(profile.name);

  hooks.onStage('checking existing instances');
  const existing = (await colima.list()).find((i) => i.name === profile.name);
  const recorded = ledger.get(profile.name);
  if (existing && !recorded) {
    throw new AppError(
      'CONFLICT',
      `A colima instance "${profile.name}" (${existing.status ?? 'unknown state'}) already exists and was not started by this app, so the app will not manage it. ` +
        `Stop and delete it yourself (colima delete --force --profile ${profile.name}) or choose another profile name.`,
    );
  }
  throwIfCancelled(hooks.signal);

  // Ask for the current context only when this start is the first to switch it;
  // afterwards it is ours, and the ledger keeps the user's.
  const switches = profile.kubernetes && profile.switchKubeContext;
  const previousContext = switches && !recorded?.switchedContext ? await currentContextOrUndefined(kubectl, logger) : undefined;
  ledger.record({
    profile: profile.name,
    instanceId: id,
    keepData: profile.keepData,
    switchedContext: switches,
    ...(previousContext !== undefined ? { previousContext } : {}),
    startedAt: deps.now().toISOString(),
    pid: deps.pid,
  });
  logger.log('info', `ledger: recorded ${profile.name} before starting it`);
  hooks.onRecorded();
  throwIfCancelled(hooks.signal);

  hooks.onStage('starting colima');
  await colima.start(profile, {
    timeoutMs: timeouts.startMs,
    signal: hooks.signal,
    onLog: (line) => {
      if (line.stage) hooks.onStage(line.stage);
    },
  });

  if (profile.images.length > 0) {
    await pullProfileImages(colima, profile, { timeoutMs: timeouts.pullMs, signal: hooks.signal, onStage: hooks.onStage });
  }

  if (profile.kubernetes) {
    hooks.onStage('waiting for the Kubernetes node to be Ready');
    await waitForNodesReady(kubectl, context, { timeoutMs: timeouts.readyMs, intervalMs: timeouts.readyPollMs, signal: hooks.signal });
    if (profile.switchKubeContext) {
      // colima switches on a fresh start (--activate); a resume may not rewrite kubeconfig (colima-cli §7).
      const current = await currentContextOrUndefined(kubectl, logger);
      if (current !== context) await kubectl.useContext(context);
    }
  }
}

async function currentContextOrUndefined(kubectl: KubectlClient, logger: Logger): Promise<string | undefined> {
  try {
    return await kubectl.currentContext();
  } catch (e) {
    logger.log('warn', `could not read the current kube context: ${userMessage(e)}`);
    return undefined;
  }
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'The start was cancelled.');
}
