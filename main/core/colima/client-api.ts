// The typed surface over colima and kubectl that the lifecycle code uses.
// Implemented by client.ts / kubectl.ts on top of a ToolRunner.
import type { Logger } from '../log.js';
import type { Profile } from '../model.js';

/** One line of `colima list --json` (NDJSON, omitempty, bytes: colima-cli §6). */
export interface ColimaInstance {
  readonly name: string;
  /** `Running`, `Stopped`, `Broken`, ... or undefined when colima omitted it. */
  readonly status?: string;
  readonly arch?: string;
  readonly cpus?: number;
  readonly memoryBytes?: number;
  readonly diskBytes?: number;
  readonly address?: string;
  readonly runtime?: string;
}

/** `colima status --json` of a running instance (colima-cli §5). */
export interface ColimaStatus {
  readonly displayName: string;
  readonly driver?: string;
  readonly arch?: string;
  readonly runtime?: string;
  readonly kubernetes: boolean;
  readonly cpus?: number;
  readonly memoryBytes?: number;
  readonly diskBytes?: number;
  readonly ipAddress?: string;
}

/** One parsed colima log line (logfmt when piped, TTY format otherwise: colima-cli §0). */
export interface ColimaLogLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warning' | 'error' | 'fatal';
  readonly msg: string;
  readonly context?: string;
  /** Set for stage lines (`creating and starting ...`): a short human label with its context. */
  readonly stage?: string;
}

/** Options of every colima and kubectl call. */
export interface CallOptions {
  /**
   * Where this call's command line, stderr and exit go, instead of the
   * client's own logger: the log of the operation that made the call, so two
   * operations running at once never write into each other's log.
   */
  readonly logger?: Logger;
  /**
   * Run with the last intact cached nix environment instead of waiting for a
   * re-evaluation of an edited shell.nix (ToolRunOptions in tool-runner.ts).
   * Teardown and stop pass it: they must meet their deadline.
   */
  readonly preferCachedEnvironment?: boolean;
  /** Cancels the call: the command's process group is killed and the call throws AppError CANCELLED (Ctrl-C on the CLI). */
  readonly signal?: AbortSignal;
}

export interface OperationOptions extends CallOptions {
  readonly timeoutMs?: number;
  readonly onLog?: (line: ColimaLogLine) => void;
}

export interface ColimaClient {
  version(options?: CallOptions): Promise<{ readonly version: string; readonly commit?: string }>;
  list(options?: CallOptions): Promise<readonly ColimaInstance[]>;
  /** null when the profile is stopped, Broken or missing (exit 1: colima-cli §5). */
  status(profile: string, options?: CallOptions): Promise<ColimaStatus | null>;
  /**
   * Throws AppError (COMMAND_FAILED/TIMEOUT/CANCELLED) with the fatal message and a log tail.
   * `onSpawn` gets colima's pid (= its process group) as soon as it exists, so the
   * ledger can record it before anything else can go wrong.
   */
  start(profile: Profile, options?: OperationOptions & { readonly onSpawn?: (pid: number) => void }): Promise<void>;
  stop(profile: string, options?: OperationOptions & { readonly force?: boolean }): Promise<void>;
  delete(profile: string, options?: OperationOptions & { readonly deleteData: boolean }): Promise<void>;
  pullImage(profile: string, image: string, options?: OperationOptions): Promise<void>;
}

export interface KubectlClient {
  currentContext(options?: CallOptions): Promise<string | undefined>;
  contexts(options?: CallOptions): Promise<readonly string[]>;
  useContext(name: string, options?: CallOptions): Promise<void>;
  /** Removes the context, cluster and user named `name` (colima leaves them: colima-cli §14.8). */
  removeContextEntries(name: string, options?: CallOptions): Promise<void>;
  /**
   * True when every node of the context reports Ready, false while one does not;
   * throws (COMMAND_FAILED with kubectl's reason) when kubectl cannot ask, e.g. the API server is unreachable.
   */
  nodesReady(context: string, options?: CallOptions): Promise<boolean>;
}

/** One node of `kubectl get nodes -o json`, as the cluster glance shows it. */
export interface KubeNode {
  readonly name: string;
  readonly ready: boolean;
  /** status.nodeInfo.kubeletVersion: on k3s the server's own version (one binary). */
  readonly kubeletVersion?: string;
}

/** The kubeconfig entry of one context (`kubectl config view --minify -o json --context C`). */
export interface KubeContextEntry {
  readonly context: string;
  readonly cluster?: string;
  readonly server?: string;
}

/** What `kubectl get pod NAME -o json` says, reduced to what a check needs. */
export interface PodState {
  /** `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`. */
  readonly phase: string;
  /** The first container's waiting reason, e.g. ErrImagePull, ImagePullBackOff, ContainerCreating. */
  readonly waitingReason?: string;
  readonly waitingMessage?: string;
  /** PodScheduled False: its reason (Unschedulable) and message. */
  readonly unschedulable?: string;
}

/** The kubectl calls behind the cluster glance and check (main/core/cluster/); every one is one process. */
export interface KubectlClusterClient {
  /** undefined when the kubeconfig has no such context (`cannot locate context`). */
  contextEntry(context: string, options?: CallOptions): Promise<KubeContextEntry | undefined>;
  /** Throws (COMMAND_FAILED with kubectl's reason) when the API server cannot be asked. */
  nodes(context: string, options?: CallOptions): Promise<readonly KubeNode[]>;
  /** `kubectl run NAME --image=I --restart=Never --command -- ...command`. */
  runPod(context: string, name: string, image: string, command: readonly string[], options?: CallOptions): Promise<void>;
  /** undefined when the pod does not exist. */
  podState(context: string, name: string, options?: CallOptions): Promise<PodState | undefined>;
  podLogs(context: string, name: string, options?: CallOptions): Promise<string>;
  /** `delete pod --wait=false --ignore-not-found`: succeeds when there is nothing to delete. */
  deletePod(context: string, name: string, options?: CallOptions): Promise<void>;
}
