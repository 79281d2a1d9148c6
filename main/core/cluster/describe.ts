// The glance in words, one short item per field, for the CLI's `status` and
// the tray's cluster submenu alike. Unknown fields are left out of the line
// (their reasons stay in the glance and in `status --json`), except the
// Kubernetes ones, whose absence is news.
import type { ClusterGlance, Field } from './glance.js';

const GIB = 2 ** 30;

function value<T>(field: Field<T>): T | undefined {
  return field.known ? field.value : undefined;
}

/** `2 GiB`, `1.5 GiB`: a VM's memory or disk. */
export function formatGiB(bytes: number): string {
  const gib = bytes / GIB;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
}

/** `less than a minute`, `5 min`, `2 h 5 min`, `4 d 1 h`: how long an instance has been up. */
export function formatUptime(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'less than a minute';
  const h = Math.floor(min / 60);
  const d = Math.floor(h / 24);
  if (d > 0) return `${d} d ${h % 24} h`;
  return h > 0 ? `${h} h ${min % 60} min` : `${min} min`;
}

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
  const size = [cpus !== undefined ? `${cpus} CPUs` : '', memory !== undefined ? `${formatGiB(memory)} memory` : '', disk !== undefined ? `${formatGiB(disk)} disk` : ''].filter(Boolean);
  if (size.length > 0) items.push(size.join(', '));
  const runtime = value(g.runtime);
  if (runtime !== undefined) items.push(runtime);
  const up = value(g.uptimeMs);
  if (up !== undefined) items.push(`up ${formatUptime(up)}`);
  return items;
}
