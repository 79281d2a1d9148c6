// The glance in words: what `colima-k8s status` prints and the tray shows.
import { describe, expect, it } from 'vitest';
import { formatGiB, formatUptime, glanceItems } from '../../../main/core/cluster/describe.js';
import type { ClusterGlance } from '../../../main/core/cluster/glance.js';

const k = <T>(value: T) => ({ known: true as const, value });
const u = (reason: string) => ({ known: false as const, reason });

const running: ClusterGlance = {
  profile: 'dev', instanceId: 'colima-dev', status: 'running', colimaStatus: 'Running',
  context: k('colima-dev'), serverVersion: k('v1.35.0+k3s1'), nodes: k({ total: 1, ready: 1 }), ready: k(true),
  apiServer: k('https://127.0.0.1:6443'), vmAddress: k('192.168.106.2'), cpus: k(2), memoryBytes: k(2 * 2 ** 30), diskBytes: k(20 * 2 ** 30),
  runtime: k('containerd'), kubernetesEnabled: k(true), uptimeMs: k(3_720_000), spawns: 3,
};

describe('glanceItems', () => {
  it('names every known field of a running cluster, in order', () => {
    expect(glanceItems(running)).toEqual([
      'context colima-dev', 'Kubernetes v1.35.0+k3s1', 'nodes 1/1 Ready', 'API server https://127.0.0.1:6443', 'VM 192.168.106.2',
      '2 CPUs, 2 GiB memory, 20 GiB disk', 'containerd', 'up 1 h 2 min',
    ]);
  });

  it('leaves out what is unknown, but says when Kubernetes cannot be reached', () => {
    const errored: ClusterGlance = { ...running, error: 'connection refused', serverVersion: u('kubectl cannot reach the cluster'), nodes: u('x'), ready: u('x'), vmAddress: u('no address'), uptimeMs: u('not known') };
    expect(glanceItems(errored)).toEqual(['context colima-dev', 'Kubernetes version unknown', 'Kubernetes unreachable', 'API server https://127.0.0.1:6443', '2 CPUs, 2 GiB memory, 20 GiB disk', 'containerd']);
  });

  it('shows no Kubernetes items for a VM without Kubernetes', () => {
    const plain: ClusterGlance = { ...running, kubernetesEnabled: k(false), context: u('no Kubernetes'), serverVersion: u('no Kubernetes'), nodes: u('no Kubernetes'), apiServer: u('no Kubernetes') };
    expect(glanceItems(plain)).toEqual(['VM 192.168.106.2', '2 CPUs, 2 GiB memory, 20 GiB disk', 'containerd', 'up 1 h 2 min']);
  });

  it('formats uptimes in minutes, hours and days, and sizes in GiB', () => {
    expect([59_000, 5 * 60_000, 125 * 60_000, 50 * 3_600_000].map(formatUptime)).toEqual(['less than a minute', '5 min', '2 h 5 min', '2 d 2 h']);
    expect([2 * 2 ** 30, 1.5 * 2 ** 30].map(formatGiB)).toEqual(['2 GiB', '1.5 GiB']);
  });
});
