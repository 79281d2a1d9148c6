// Kubeconfig during a teardown. Deleting a STOPPED instance leaves its context,
// cluster and user (all named after the instance ID) in kubeconfig
// (colima-cli §4, §14.8); deleting a running one removes them and unsets the
// current-context if it was this instance. Either way the user ends up without
// the context they had before we started: put it back.
//
// kubectl locks the kubeconfig file while writing and fails rather than wait,
// so every call here runs one at a time (a queue). The entries of an instance
// are removed as soon as it is stopped, while the slow deletes still run, so
// the cleanup of several instances overlaps their deletes instead of adding up
// after them. A stopped instance's delete does not touch kubeconfig, so the two
// never write at the same time. Like every teardown call, kubectl runs with the
// cached nix environment while shell.nix is evaluated again (steps.ts).
import type { KubectlClient } from '../colima/client-api.js';
import { userMessage } from '../errors.js';
import type { LedgerEntry } from '../ledger/ledger.js';
import type { Logger } from '../log.js';
import { PREFER_CACHED } from './steps.js';

export class KubeconfigCleaner {
  private queue: Promise<unknown> = Promise.resolve();
  private before: Promise<{ readonly current?: string; readonly contexts: Set<string> } | { readonly error: string }> | undefined;
  private readonly problems = new Map<string, string>();
  private readonly cleaned = new Set<string>();

  constructor(
    private readonly kubectl: KubectlClient,
    private readonly logger: Logger,
  ) {}

  /** Reads the current context and the contexts once, before anything is removed (removing the current one unsets it). */
  start(): void {
    this.before ??= this.serially(async () => {
      try {
        const current = await this.kubectl.currentContext({ logger: this.logger, ...PREFER_CACHED });
        return { ...(current !== undefined ? { current } : {}), contexts: new Set(await this.kubectl.contexts({ logger: this.logger, ...PREFER_CACHED })) };
      } catch (e) {
        return { error: userMessage(e) };
      }
    });
  }

  /** Removes the instance's context, cluster and user if kubeconfig has them. Never throws. */
  removeEntries(entry: LedgerEntry): Promise<void> {
    this.start();
    if (this.cleaned.has(entry.profile)) return Promise.resolve();
    this.cleaned.add(entry.profile);
    return this.serially(async () => {
      const before = await this.before!;
      if ('error' in before) {
        this.problems.set(entry.profile, `kubeconfig not checked: ${before.error}`);
        return;
      }
      if (!before.contexts.has(entry.instanceId)) return;
      try {
        await this.kubectl.removeContextEntries(entry.instanceId, { logger: this.logger, ...PREFER_CACHED });
        this.logger.log('info', `removed the stale kube context, cluster and user ${entry.instanceId}`);
      } catch (e) {
        this.problems.set(entry.profile, `kube context ${entry.instanceId} could not be removed: ${userMessage(e)}`);
      }
    });
  }

  /** Makes the user's own context current again when one of `deleted` had taken over. Never throws. */
  restorePreviousContext(deleted: readonly LedgerEntry[], allEntries: readonly LedgerEntry[]): Promise<string | undefined> {
    this.start();
    return this.serially(async () => {
      const before = await this.before!;
      if ('error' in before) return undefined;
      const target = contextToRestore(before.current, deleted, allEntries);
      if (target === undefined || !before.contexts.has(target) || deleted.some((e) => e.instanceId === target)) return undefined;
      try {
        await this.kubectl.useContext(target, { logger: this.logger, ...PREFER_CACHED });
        this.logger.log('info', `restored the kube current-context ${target}`);
        return target;
      } catch (e) {
        const note = `the previous kube context ${target} could not be restored: ${userMessage(e)}`;
        for (const entry of deleted) if (entry.switchedContext) this.problems.set(entry.profile, note);
        return undefined;
      }
    });
  }

  /** What could not be cleaned for `profile` (the VM itself is gone either way). */
  problemFor(profile: string): string | undefined {
    return this.problems.get(profile);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * The context the user had before our instances took over, or undefined to
 * leave things alone (the user switched to something else themselves).
 * Follows the chain when an instance was started while another of ours was
 * current (b's previous context is colima-a, whose previous is the user's).
 */
export function contextToRestore(
  current: string | undefined,
  deleted: readonly LedgerEntry[],
  allEntries: readonly LedgerEntry[],
): string | undefined {
  const deletedIds = new Set(deleted.map((e) => e.instanceId));
  let from: LedgerEntry | undefined;
  if (current === undefined || current === '') {
    // Unset (colima unsets it while deleting a running instance): start from the most recent one that switched.
    from = [...deleted].filter((e) => e.switchedContext).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  } else if (deletedIds.has(current)) {
    from = deleted.find((e) => e.instanceId === current);
  }
  if (!from) return undefined;
  const byId = new Map(allEntries.map((e) => [e.instanceId, e]));
  let target = from.previousContext;
  const seen = new Set<string>([from.instanceId]);
  while (target !== undefined && deletedIds.has(target) && !seen.has(target)) {
    seen.add(target);
    target = byId.get(target)?.previousContext;
  }
  return target !== undefined && deletedIds.has(target) ? undefined : target;
}
