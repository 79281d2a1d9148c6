// KubectlClient over a ToolRunner. colima names the kube context, cluster and
// user after its instance ID (colima-cli §7) and leaves them behind when a
// stopped instance is deleted (§4, §14.8), so the app cleans them itself.
// Names go after `--` so a context that starts with '-' is never read as a flag.
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { CommandResult } from '../run.js';
import type { ToolRunner } from '../tool-runner.js';
import { buildKubectlGetNodesArgs } from './argv.js';
import type { CallOptions, KubectlClient, KubectlClusterClient } from './client-api.js';
import { parseMinifiedConfig, parseNodes, parsePod } from '../cluster/kube-json.js';

export interface KubectlClientOptions {
  /** Per call. Default 30 s. */
  readonly timeoutMs?: number;
  /** Where each call logs unless it brings its own (CallOptions.logger). */
  readonly logger?: Logger;
}

export function createKubectlClient(runner: ToolRunner, options: KubectlClientOptions = {}): KubectlClient & KubectlClusterClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const kubectl = (args: readonly string[], call: CallOptions): Promise<CommandResult> =>
    runner.run('kubectl', args, {
      timeoutMs,
      logger: call.logger ?? options.logger,
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.preferCachedEnvironment ? { preferCachedEnvironment: true } : {}),
    });

  function failure(what: string, r: CommandResult): AppError {
    const logTail = r.stderr.split('\n').filter(Boolean).slice(-5);
    if (r.cancelled) return new AppError('CANCELLED', `${what} was cancelled.`, { logTail });
    if (r.timedOut) return new AppError('TIMEOUT', `${what} did not finish within ${Math.round(timeoutMs / 1000)} s.`, { logTail });
    // kubectl prints `error: <what went wrong>` on stderr (cmdutil.CheckErr).
    const reason = logTail.at(-1)?.replace(/^error: /, '') ?? `exit ${r.exitCode ?? r.signal}`;
    return new AppError('COMMAND_FAILED', `${what} failed: ${reason}`, { logTail });
  }

  async function currentContext(call: CallOptions = {}): Promise<string | undefined> {
    const r = await kubectl(['config', 'current-context'], call);
    if (r.exitCode === 0) return r.stdout.trim() || undefined;
    // Unset current context (or no kubeconfig at all): exit 1, `error: current-context is not set`.
    if (r.exitCode === 1 && /current-context is not set/.test(r.stderr)) return undefined;
    throw failure('kubectl config current-context', r);
  }

  /** Runs a `config delete-*` that may find nothing to delete; that is not an error. */
  async function deleteIfPresent(args: readonly string[], call: CallOptions): Promise<void> {
    const r = await kubectl(args, call);
    if (r.exitCode === 0 || (r.exitCode === 1 && /cannot delete \w+ .*, not in /.test(r.stderr))) return;
    throw failure(`kubectl ${args.slice(0, 2).join(' ')}`, r);
  }

  return {
    currentContext,

    async contexts(call: CallOptions = {}) {
      const r = await kubectl(['config', 'get-contexts', '-o', 'name'], call);
      if (r.exitCode !== 0) throw failure('kubectl config get-contexts', r);
      return r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    },

    async useContext(name: string, call: CallOptions = {}) {
      const r = await kubectl(['config', 'use-context', '--', name], call);
      if (r.exitCode !== 0) throw failure(`Switching kubectl to context "${name}"`, r);
    },

    async removeContextEntries(name: string, call: CallOptions = {}) {
      // Like colima's own teardown, clear current-context when it names the
      // removed context: kubectl only warns and would leave it dangling.
      const wasCurrent = (await currentContext(call)) === name;
      await deleteIfPresent(['config', 'delete-context', '--', name], call);
      await deleteIfPresent(['config', 'delete-cluster', '--', name], call);
      // `config unset users.<missing>` succeeds: kubectl deletes the map key blindly.
      const r = await kubectl(['config', 'unset', '--', `users.${name}`], call);
      if (r.exitCode !== 0) throw failure(`kubectl config unset users.${name}`, r);
      if (wasCurrent) {
        const u = await kubectl(['config', 'unset', 'current-context'], call);
        if (u.exitCode !== 0) throw failure('kubectl config unset current-context', u);
      }
    },

    async nodesReady(context: string, call: CallOptions = {}) {
      const r = await kubectl(buildKubectlGetNodesArgs(context), call);
      // An unreachable API server (VM down, k3s still starting) throws with kubectl's own
      // reason (`The connection to the server … was refused`): the readiness wait keeps
      // polling and reports that reason if it gives up, rather than "not Ready".
      if (r.exitCode !== 0) throw failure('kubectl get nodes', r);
      return allNodesReady(r.stdout);
    },

    // KubectlClusterClient (main/core/cluster/): one process each.
    async contextEntry(context: string, call: CallOptions = {}) {
      const r = await kubectl(['config', 'view', '--minify', '-o', 'json', '--context', context], call);
      if (r.exitCode === 1 && /cannot locate context|current-context must exist/.test(r.stderr)) return undefined;
      if (r.exitCode !== 0) throw failure('kubectl config view --minify', r);
      return parseMinifiedConfig(context, r.stdout);
    },

    async nodes(context: string, call: CallOptions = {}) {
      const r = await kubectl(buildKubectlGetNodesArgs(context), call);
      if (r.exitCode !== 0) throw failure('kubectl get nodes', r);
      return parseNodes(r.stdout);
    },

    async runPod(context: string, name: string, image: string, command: readonly string[], call: CallOptions = {}) {
      const args = ['--context', context, '--namespace', 'default', 'run', name, `--image=${image}`, '--restart=Never', '--command', '--', ...command];
      const r = await kubectl(args, call);
      if (r.exitCode !== 0) throw failure(`kubectl run ${name}`, r);
    },

    async podState(context: string, name: string, call: CallOptions = {}) {
      const r = await kubectl(['--context', context, '--namespace', 'default', 'get', 'pod', name, '-o', 'json'], call);
      if (r.exitCode === 1 && /\(NotFound\)/.test(r.stderr)) return undefined;
      if (r.exitCode !== 0) throw failure(`kubectl get pod ${name}`, r);
      return parsePod(r.stdout);
    },

    async podLogs(context: string, name: string, call: CallOptions = {}) {
      const r = await kubectl(['--context', context, '--namespace', 'default', 'logs', name], call);
      if (r.exitCode !== 0) throw failure(`kubectl logs ${name}`, r);
      return r.stdout;
    },

    async deletePod(context: string, name: string, call: CallOptions = {}) {
      const r = await kubectl(['--context', context, '--namespace', 'default', 'delete', 'pod', name, '--wait=false', '--ignore-not-found'], call);
      if (r.exitCode !== 0) throw failure(`kubectl delete pod ${name}`, r);
    },
  };
}

/** True when the `get nodes -o json` list has at least one node and every node's Ready condition is True. */
export function allNodesReady(json: string): boolean {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    throw new AppError('COMMAND_FAILED', `kubectl get nodes -o json printed something that is not JSON: ${json.trim().slice(0, 200)}`);
  }
  const items = (list as { items?: unknown }).items;
  if (!Array.isArray(items) || items.length === 0) return false;
  return items.every((node: { status?: { conditions?: { type?: string; status?: string }[] } }) =>
    (node?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}
