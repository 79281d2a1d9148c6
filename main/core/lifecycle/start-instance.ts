// Starting one profile's instance, in the order that keeps a crash at any
// moment recoverable and never touches a VM that is not ours:
//   1. `colima list`: an instance of that name that is not in the ledger was
//      started outside the app → refuse (tearing it down later would destroy
//      someone else's VM).
//   2. remember the current kube context (to restore at teardown) and write the
//      ledger entry BEFORE `colima start` runs: owner (tray or CLI), state
//      `starting`.
//   3. `colima start` with the profile's flags, progress from its stage lines;
//      its process group goes into the ledger the moment it is spawned (a
//      later `down` kills it if this process dies: orphaned-start.ts), and the
//      entry becomes `started` when it returns successfully (ownership.ts).
//      A teardown in another process may take the entry over meanwhile: the
//      start then stops its own colima start (if the teardown could not) and
//      fails, saying so, and never reports success (lost-entry.ts).
//   4. pull the profile's images into k8s.io (colima-cli §8, §14.11).
//   5. wait until `kubectl --context <ID> get nodes` is Ready, then make that
//      context current if the profile asks for it.
import { instanceId, kubeContextName } from '../colima/argv.js';
import type { ColimaClient, KubectlClient } from '../colima/client-api.js';
import { AppError, userMessage } from '../errors.js';
import type { ProfileStore } from '../profiles/store.js';
import { formatFieldErrors, validateProfile } from '../profiles/validate.js';
import type { Ledger, LedgerEntry, LedgerOwner } from '../ledger/ledger.js';
import { isProcessAlive } from '../files.js';
import type { Logger } from '../log.js';
import type { Profile } from '../model.js';
import { pullProfileImages } from './images.js';
import { completedButLost, lostDuringStart } from './lost-entry.js';
import { waitForNodesReady } from './readiness.js';
import type { LifecycleTimeouts } from '../timeouts.js';

export interface StartDeps {
  readonly colima: ColimaClient;
  readonly kubectl: KubectlClient;
  readonly ledger: Ledger;
  readonly timeouts: LifecycleTimeouts;
  /** This start's own log: its lines and every colima/kubectl command it runs. */
  readonly logger: Logger;
  readonly pid: number;
  /** Who records the entry: the tray app or a CLI run. */
  readonly owner: LedgerOwner;
  /** processIdentity() of `pid` (undefined when unknown). */
  readonly ownerIdentity: () => Promise<string | undefined>;
  /** processIdentity() of colima's pid, recorded with its process group. */
  readonly processIdentity: (pid: number) => Promise<string | undefined>;
  readonly now: () => Date;
  /** Refuses a toolchain the app cannot work with (toolchain/colima-version.ts), before anything is recorded or started. */
  readonly checkToolchain?: (signal: AbortSignal) => Promise<void>;
}

export interface StartHooks {
  readonly signal: AbortSignal;
  readonly onStage: (stage: string) => void;
  /** Called once the ledger holds the instance (it now counts as app-started). */
  readonly onRecorded: () => void;
}

/** The stored profile, checked against this machine and what a start can do with it. */
export function startableProfile(store: ProfileStore, name: string): Profile {
  const stored = store.require(name);
  const checked = validateProfile(stored, store.host);
  if (!checked.ok) {
    throw new AppError('INVALID_INPUT', `Profile "${name}" does not fit this machine: ${formatFieldErrors(checked.errors)} Edit it (colima-k8s profile set ${name} ...) and start again.`, {
      field: checked.errors[0]?.field,
    });
  }
  if (stored.images.length > 0 && stored.runtime !== 'containerd') {
    // `colima nerdctl` only works with containerd (colima-cli §8).
    throw new AppError('INVALID_INPUT', `Profile "${name}": images can only be pulled with the containerd runtime; switch the runtime or remove the images.`, { field: 'images' });
  }
  return checked.profile;
}

export async function startInstance(profile: Profile, deps: StartDeps, hooks: StartHooks): Promise<void> {
  const { colima, kubectl, ledger, logger } = deps;
  const id = instanceId(profile.name);

  hooks.onStage('checking existing instances');
  const existing = (await colima.list({ logger })).find((i) => i.name === profile.name);
  await deps.checkToolchain?.(hooks.signal);
  const recorded = ledger.get(profile.name);
  if (existing && !recorded) {
    throw new AppError(
      'CONFLICT',
      `A colima instance "${profile.name}" (${existing.status ?? 'unknown state'}) already exists and was not started by this app, so the app will not manage it. ` +
        `Stop and delete it yourself (colima delete --force --profile ${profile.name}) or choose another profile name.`,
    );
  }
  if (recorded?.teardownBy !== undefined && recorded.teardownBy !== deps.pid && isProcessAlive(recorded.teardownBy)) {
    // Recording it again now would take it back from a teardown that is deleting its VM.
    throw new AppError('BUSY', `"${profile.name}" is being torn down by another colima-k8s process (pid ${recorded.teardownBy}); start it again when that has finished.`);
  }
  throwIfCancelled(hooks.signal);

  // Ask for the current context only when this start is the first to switch it;
  // afterwards it is ours, and the ledger keeps the user's.
  const switches = profile.kubernetes && profile.switchKubeContext;
  const previousContext = switches && !recorded?.switchedContext ? await currentContextOrUndefined(kubectl, logger) : undefined;
  const ownerIdentity = await deps.ownerIdentity();
  const entry: LedgerEntry = {
    profile: profile.name,
    instanceId: id,
    keepData: profile.keepData,
    switchedContext: switches,
    ...(previousContext !== undefined ? { previousContext } : {}),
    startedAt: deps.now().toISOString(),
    pid: deps.pid,
    owner: deps.owner,
    ...(ownerIdentity !== undefined ? { ownerIdentity } : {}),
    state: 'starting',
  };
  ledger.record(entry);
  logger.log('info', `ledger: recorded ${profile.name} (owner ${deps.owner}) before starting it`);
  hooks.onRecorded();
  // A failure while a teardown elsewhere takes the entry over is explained as such (lost-entry.ts);
  // one cancelled by this process (Stop, Quit, Ctrl-C) is not: the caller knows why.
  const explained = (e: unknown): unknown => (hooks.signal.aborted ? e : (lostDuringStart(ledger, profile.name, deps.pid, e) ?? e));

  try {
    await runColimaStart(profile, deps, hooks);
  } catch (e) {
    throw explained(e);
  }
  if (!ledger.markStarted(profile.name, deps.pid)) {
    logger.log('warn', `ledger: ${profile.name} is no longer this start's (taken over or removed while colima started it)`);
    await completedButLost({ ledger, colima, logger, pid: deps.pid, entry });
  }
  logger.log('info', `ledger: colima start of ${profile.name} completed`);
  try {
    await prepareStarted(profile, deps, hooks);
  } catch (e) {
    throw explained(e);
  }
}

/** Step 3: `colima start`, its process group recorded the moment it is spawned. */
async function runColimaStart(profile: Profile, deps: StartDeps, hooks: StartHooks): Promise<void> {
  throwIfCancelled(hooks.signal);
  // Aborted when the ledger refuses to record our colima process: a teardown claimed the entry before it could see it.
  const lost = new AbortController();
  hooks.onStage('starting colima');
  await deps.colima.start(profile, {
    timeoutMs: deps.timeouts.startMs,
    signal: AbortSignal.any([hooks.signal, lost.signal]),
    onLog: (line) => {
      if (line.stage) hooks.onStage(line.stage);
    },
    onSpawn: (pid) => recordStartProcess(profile.name, pid, deps, () => lost.abort()),
    logger: deps.logger,
  });
}

/** Steps 4 and 5: images, then Kubernetes Ready and the context. */
async function prepareStarted(profile: Profile, deps: StartDeps, hooks: StartHooks): Promise<void> {
  const { colima, kubectl, timeouts, logger } = deps;
  const context = kubeContextName(profile.name);
  if (profile.images.length > 0) {
    await pullProfileImages(colima, profile, { timeoutMs: timeouts.pullMs, signal: hooks.signal, onStage: hooks.onStage, logger });
  }

  if (profile.kubernetes) {
    hooks.onStage('waiting for the Kubernetes node to be Ready');
    await waitForNodesReady(kubectl, context, { timeoutMs: timeouts.readyMs, intervalMs: timeouts.readyPollMs, signal: hooks.signal, logger });
    if (profile.switchKubeContext) {
      // colima switches on a fresh start (--activate); a resume may not rewrite kubeconfig (colima-cli §7).
      const current = await currentContextOrUndefined(kubectl, logger);
      if (current !== context) await kubectl.useContext(context, { logger });
    }
  }
}

/**
 * The group id first, synchronously in the spawn's own tick (the window in
 * which a SIGKILL loses it is as small as it can be), then its identity once
 * read. A failure to write is logged: the start goes on, only the orphan
 * check loses. The ledger refusing it means a teardown (or another start)
 * took the entry over before it could see this process: `onLost` ends it.
 */
function recordStartProcess(profile: string, pgid: number, deps: StartDeps, onLost: () => void): void {
  const { ledger, logger } = deps;
  const refused = (): void => {
    logger.log('warn', `ledger: ${profile} was taken over while colima started it; stopping this colima start (process group ${pgid})`);
    onLost();
  };
  try {
    if (!ledger.markSpawned(profile, deps.pid, { pgid })) return refused();
  } catch (e) {
    logger.log('error', `ledger: could not record the colima start process ${pgid} of ${profile}: ${userMessage(e)}`);
    return;
  }
  void deps
    .processIdentity(pgid)
    .then((identity) => {
      if (identity !== undefined && !ledger.markSpawned(profile, deps.pid, { pgid, identity }) && ledger.get(profile)?.state === 'starting') refused();
    })
    .catch((e: unknown) => logger.log('warn', `ledger: could not record the identity of process ${pgid}: ${userMessage(e)}`));
}

async function currentContextOrUndefined(kubectl: KubectlClient, logger: Logger): Promise<string | undefined> {
  try {
    return await kubectl.currentContext({ logger });
  } catch (e) {
    logger.log('warn', `could not read the current kube context: ${userMessage(e)}`);
    return undefined;
  }
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'The start was cancelled.');
}
