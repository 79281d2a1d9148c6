// "Cluster at a glance": what one colima instance is and how its Kubernetes is,
// with every field either known or unknown with a reason a person can read.
//
// Spawn budget (each client call is one process; `spawns` in the result counts them):
//   1. `colima list --json`        status, CPUs, memory, disk, address, runtime (colima-cli §6);
//                                  skipped when the caller passes `instance` from a list it just ran
//   2. `kubectl config view --minify -o json --context C`   the context's kubeconfig entry: API server address
//   3. `kubectl --context C get nodes -o json`              node count, Ready, server version
// so at most 3 per call: 1 for a stopped/missing instance or one without Kubernetes,
// 2 when the context is missing from the kubeconfig. The server version is the node's
// kubeletVersion: k3s runs the API server and the kubelet from one binary, so they are
// the same, and a separate `kubectl version` (a 4th process) is not needed.
// Call it on a state change or on demand only, never on a timer.
// colima prints no uptime (neither `status` nor `list`: colima-cli §5, §6): it is known
// only when the caller passes `runningSince` (e.g. when the app saw it become Running).
import { instanceId as instanceIdOf } from '../colima/argv.js';
import type { CallOptions, ColimaClient, ColimaInstance, KubectlClusterClient, KubeNode } from '../colima/client-api.js';
import { userMessage } from '../errors.js';

export type Field<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly reason: string };

export type GlanceStatus = 'running' | 'stopped' | 'broken' | 'missing' | 'other';

export interface NodeCounts {
  readonly total: number;
  readonly ready: number;
}

export interface ClusterGlance {
  readonly profile: string;
  readonly instanceId: string;
  readonly status: GlanceStatus;
  /** colima's own status word (`Running`, `Stopped`, `Broken`, ...) when it printed one. */
  readonly colimaStatus?: string;
  /** Set when the instance runs but its Kubernetes could not be asked (kubectl's reason). */
  readonly error?: string;
  readonly context: Field<string>;
  readonly serverVersion: Field<string>;
  readonly nodes: Field<NodeCounts>;
  /** Every node Ready (and at least one). */
  readonly ready: Field<boolean>;
  readonly apiServer: Field<string>;
  readonly vmAddress: Field<string>;
  readonly cpus: Field<number>;
  readonly memoryBytes: Field<number>;
  readonly diskBytes: Field<number>;
  /** `docker`, `containerd`, ... without `+k3s`. */
  readonly runtime: Field<string>;
  readonly kubernetesEnabled: Field<boolean>;
  readonly uptimeMs: Field<number>;
  /** Processes this call spawned (≤ 3). */
  readonly spawns: number;
}

export interface GlanceOptions extends CallOptions {
  readonly profile: string;
  readonly colima: Pick<ColimaClient, 'list'>;
  readonly kubectl: Pick<KubectlClusterClient, 'contextEntry' | 'nodes'>;
  /** The instance's line of a `colima list` the caller just ran; null: that list did not have it. Saves one spawn. */
  readonly instance?: ColimaInstance | null;
  /** Epoch ms since when the caller knows the instance runs; gives uptimeMs. */
  readonly runningSince?: number;
  /** Default Date.now. */
  readonly now?: () => number;
}

const known = <T>(value: T): Field<T> => ({ known: true, value });
const unknown = <T>(reason: string): Field<T> => ({ known: false, reason });
const from = <T>(value: T | undefined, reason: string): Field<T> => (value === undefined ? unknown(reason) : known(value));

function statusOf(inst: ColimaInstance | undefined): GlanceStatus {
  if (!inst) return 'missing';
  if (inst.status === 'Running') return 'running';
  if (inst.status === 'Stopped') return 'stopped';
  if (inst.status === 'Broken') return 'broken';
  return 'other';
}

export async function clusterGlance(options: GlanceOptions): Promise<ClusterGlance> {
  const { profile } = options;
  const id = instanceIdOf(profile);
  const call: CallOptions = { ...(options.logger ? { logger: options.logger } : {}), ...(options.signal ? { signal: options.signal } : {}) };
  let spawns = 0;
  let inst: ColimaInstance | undefined;
  if (options.instance !== undefined) inst = options.instance ?? undefined;
  else {
    spawns++;
    inst = (await options.colima.list(call)).find((i) => i.name === profile || instanceIdOf(i.name) === id);
  }
  const status = statusOf(inst);
  const running = status === 'running';
  const notRunning = status === 'missing' ? `colima has no instance ${profile}` : `the instance is ${inst?.status ?? 'not running'}`;
  const [runtimeName, k3s] = (inst?.runtime ?? '').split('+');
  const kubernetesEnabled: Field<boolean> = inst?.runtime ? known(k3s === 'k3s') : unknown(status === 'missing' ? notRunning : 'colima did not print a runtime');
  const vm = {
    cpus: from(inst?.cpus, status === 'missing' ? notRunning : 'colima did not print CPUs'),
    memoryBytes: from(inst?.memoryBytes, status === 'missing' ? notRunning : 'colima did not print memory'),
    diskBytes: from(inst?.diskBytes, status === 'missing' ? notRunning : 'colima did not print a disk size'),
    runtime: runtimeName ? known(runtimeName) : unknown<string>(status === 'missing' ? notRunning : 'colima did not print a runtime'),
    kubernetesEnabled,
    vmAddress: running
      ? from(inst?.address, 'the VM has no reachable address (started without --network-address): the cluster is on 127.0.0.1')
      : unknown<string>(notRunning),
    uptimeMs: running && options.runningSince !== undefined
      ? known(Math.max(0, (options.now ?? Date.now)() - options.runningSince))
      : unknown<number>(running ? 'colima does not report uptime' : notRunning),
  };
  const base = { profile, instanceId: id, status, ...(inst?.status ? { colimaStatus: inst.status } : {}), ...vm };
  const noKube = (reason: string, context: Field<string> = unknown(reason), apiServer: Field<string> = unknown(reason)): ClusterGlance => ({
    ...base, context, apiServer, serverVersion: unknown(reason), nodes: unknown(reason), ready: unknown(reason), spawns,
  });

  if (!running) return noKube(notRunning);
  if (kubernetesEnabled.known && !kubernetesEnabled.value) return noKube('Kubernetes is not enabled on this instance');

  spawns++;
  let entry;
  try {
    entry = await options.kubectl.contextEntry(id, call);
  } catch (e) {
    return { ...noKube(userMessage(e)), error: userMessage(e) };
  }
  if (!entry) return noKube(`the kubeconfig has no context ${id}`);
  const context = known(id);
  const apiServer = from(entry.server, `the kubeconfig's cluster ${entry.cluster ?? id} has no server`);

  spawns++;
  let nodes: readonly KubeNode[];
  try {
    nodes = await options.kubectl.nodes(id, call);
  } catch (e) {
    // The errored instance: colima says Running, the API server does not answer.
    const reason = `kubectl cannot reach the cluster: ${userMessage(e)}`;
    return { ...noKube(reason, context, apiServer), error: userMessage(e) };
  }
  const ready = nodes.filter((n) => n.ready).length;
  const version = nodes.find((n) => n.kubeletVersion)?.kubeletVersion;
  return {
    ...base, context, apiServer, spawns,
    serverVersion: from(version, nodes.length === 0 ? 'the cluster has no node yet' : 'the node did not report a version'),
    nodes: known({ total: nodes.length, ready }),
    ready: known(nodes.length > 0 && ready === nodes.length),
  };
}
