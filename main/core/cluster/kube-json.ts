// Parsers for the kubectl JSON the cluster glance and check read (pure). Shapes:
// `get nodes -o json` (a List of Node), `config view --minify -o json` (a Config
// with the one context, its cluster and user), `get pod NAME -o json` (a Pod).
import { AppError } from '../errors.js';
import type { KubeContextEntry, KubeNode, PodState } from '../colima/client-api.js';

function parse(what: string, json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw new AppError('COMMAND_FAILED', `${what} printed something that is not JSON: ${json.trim().slice(0, 200)}`);
  }
}

interface Condition { readonly type?: string; readonly status?: string; readonly reason?: string; readonly message?: string }

export function parseNodes(json: string): KubeNode[] {
  const items = (parse('kubectl get nodes -o json', json) as { items?: unknown }).items;
  if (!Array.isArray(items)) return [];
  return items.map((n: { metadata?: { name?: string }; status?: { conditions?: Condition[]; nodeInfo?: { kubeletVersion?: string } } }) => ({
    name: n?.metadata?.name ?? '',
    ready: (n?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    ...(n?.status?.nodeInfo?.kubeletVersion ? { kubeletVersion: n.status.nodeInfo.kubeletVersion } : {}),
  }));
}

export function parseMinifiedConfig(context: string, json: string): KubeContextEntry {
  const cfg = parse('kubectl config view --minify -o json', json) as {
    contexts?: { name?: string; context?: { cluster?: string } }[];
    clusters?: { name?: string; cluster?: { server?: string } }[];
  };
  const ctx = (cfg.contexts ?? []).find((c) => c.name === context);
  const cluster = ctx?.context?.cluster;
  const server = (cfg.clusters ?? []).find((c) => c.name === cluster)?.cluster?.server;
  return { context, ...(cluster ? { cluster } : {}), ...(server ? { server } : {}) };
}

export function parsePod(json: string): PodState {
  const pod = parse('kubectl get pod -o json', json) as {
    status?: {
      phase?: string;
      conditions?: Condition[];
      containerStatuses?: { state?: { waiting?: { reason?: string; message?: string } } }[];
    };
  };
  const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
  const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  return {
    phase: pod.status?.phase ?? 'Unknown',
    ...(waiting?.reason ? { waitingReason: waiting.reason } : {}),
    ...(waiting?.message ? { waitingMessage: waiting.message } : {}),
    ...(scheduled?.status === 'False' ? { unschedulable: [scheduled.reason, scheduled.message].filter(Boolean).join(': ') } : {}),
  };
}
