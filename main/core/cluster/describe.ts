// The glance in words, one short item per field, for the CLI's `status` and
// the tray's cluster submenu alike. Unknown fields are left out of the line
// (their reasons stay in the glance and in `status --json`), except the
// Kubernetes ones, whose absence is news.
import type { ClusterGlance, Field } from './glance.js';

const GiB = 2 ** 30;

function value<T>(field: Field<T>): T | undefined {
  return field.known ? field.value : undefined;
}

/** `3m`, `2h 5m`, `4d 1h`: how long an instance has been up. */
export function formatUptime(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const gib = (bytes: number): string => `${Number((bytes / GiB).toFixed(1))} GiB`;

/** The glance as labelled items, in a fixed order: `context colima-dev`, `Kubernetes v1.35.0+k3s1`, `nodes 1/1 Ready`, … */
export function glanceItems(g: ClusterGlance): string[] {
  const items: string[] = [];
  const context = value(g.context);
  if (context !== undefined) items.push(`context ${context}`);
  if (value(g.kubernetesEnabled) !== false) {
    const version = value(g.serverVersion);
    const nodes = value(g.nodes);
    items.push(version !== undefined ? `Kubernetes ${version}` : 'Kubernetes version unknown');
    if (nodes) items.push(`nodes ${nodes.ready}/${nodes.total} Ready`);
    else if (g.error !== undefined) items.push('Kubernetes unreachable');
    const api = value(g.apiServer);
    if (api !== undefined) items.push(`API server ${api}`);
  }
  const vm = value(g.vmAddress);
  if (vm !== undefined) items.push(`VM ${vm}`);
  const cpus = value(g.cpus);
  const memory = value(g.memoryBytes);
  const disk = value(g.diskBytes);
  const size = [cpus !== undefined ? `${cpus} CPUs` : '', memory !== undefined ? `${gib(memory)} memory` : '', disk !== undefined ? `${gib(disk)} disk` : ''].filter(Boolean);
  if (size.length > 0) items.push(size.join(', '));
  const runtime = value(g.runtime);
  if (runtime !== undefined) items.push(runtime);
  const up = value(g.uptimeMs);
  if (up !== undefined) items.push(`up ${formatUptime(up)}`);
  return items;
}
