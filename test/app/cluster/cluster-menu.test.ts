// The cluster submenus as a pure function: every glance field, unknowns with
// their reason, `&` escaped, VM address only when known, "Verify cluster" only
// for the active instance the app started, and its progress and cancel items.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { cliToolItems, clusterMenuItems, glanceLines, type ClusterMenuActions, type ClusterMenuState } from '../../../main/app/cluster/cluster-menu.js';
import { formatUptime } from '../../../main/core/cluster/describe.js';
import type { ClusterGlance } from '../../../main/core/cluster/glance.js';
import type { AppSnapshot } from '../../../main/core/model.js';
import { snapshotOf } from '../../fixtures/fake-controller.js';

const GIB = 2 ** 30;
const glance = (over: Partial<ClusterGlance> = {}): ClusterGlance => ({
  profile: 'dev', instanceId: 'colima-dev', status: 'running', colimaStatus: 'Running', spawns: 3,
  context: { known: true, value: 'colima-dev' },
  serverVersion: { known: true, value: 'v1.31.2+k3s1' },
  nodes: { known: true, value: { total: 1, ready: 1 } },
  ready: { known: true, value: true },
  apiServer: { known: true, value: 'https://127.0.0.1:6443' },
  vmAddress: { known: false, reason: 'the VM has no reachable address' },
  cpus: { known: true, value: 2 },
  memoryBytes: { known: true, value: 2 * GIB },
  diskBytes: { known: true, value: 20 * GIB },
  runtime: { known: true, value: 'containerd' },
  kubernetesEnabled: { known: true, value: true },
  uptimeMs: { known: false, reason: 'colima does not report uptime' },
  ...over,
});

const actions = (): ClusterMenuActions => ({
  refresh: vi.fn(), copyContextCommand: vi.fn(), copyKubeconfigExport: vi.fn(), verify: vi.fn(), cancelVerify: vi.fn(), installCliTool: vi.fn(), uninstallCliTool: vi.fn(),
});
const labels = (items: readonly MenuItemConstructorOptions[]): string[] => items.map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')));
const submenu = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] => (item?.submenu ?? []) as MenuItemConstructorOptions[];

function running(startedByApp = true, active = 'dev'): AppSnapshot {
  const base = snapshotOf({ active, instances: { dev: { phase: 'running', startedByApp } } });
  return base;
}
const state = (over: Partial<ClusterMenuState> = {}): ClusterMenuState => ({ glances: { dev: { glance: glance(), gathering: false } }, quitting: false, now: 0, ...over });

describe('cluster menu', () => {
  it('lists every field of a running instance, then refresh, copy and verify', () => {
    const [item, ...rest] = clusterMenuItems(running(), state(), actions());
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ id: 'cluster:dev', label: 'Cluster dev', type: 'submenu' });
    expect(labels(submenu(item))).toEqual([
      'Context: colima-dev',
      'Kubernetes: v1.31.2+k3s1',
      'Nodes: 1/1 Ready',
      'API server: https://127.0.0.1:6443',
      '2 CPUs, 2 GiB memory, 20 GiB disk',
      'Runtime: containerd',
      'Uptime: unknown (colima does not report uptime)',
      '---',
      'Refresh cluster info',
      'Copy kubectl context command',
      'Copy KUBECONFIG export',
      'Verify cluster',
    ]);
    expect(submenu(item).slice(0, 7).every((i) => i.enabled === false)).toBe(true);
  });

  it('shows the VM address when known, the uptime since the app saw it run, unknowns with their reason, `&` escaped', () => {
    const g = glance({
      vmAddress: { known: true, value: '192.168.106.2' },
      nodes: { known: false, reason: 'the R&D proxy refused' },
      runtime: { known: true, value: 'docker&co' },
    });
    const lines = glanceLines('dev', { glance: g, gathering: false, runningSince: 1_000 }, 1_000 + 125 * 60_000);
    expect(labels(lines)).toContain('VM address: 192.168.106.2');
    expect(labels(lines)).toContain('Nodes: unknown (the R&&D proxy refused)');
    expect(labels(lines)).toContain('Runtime: docker&&co');
    expect(labels(lines)).toContain('Uptime: 2 h 5 min');
    expect(formatUptime(30_000)).toBe('less than a minute');
    expect(formatUptime(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 d 4 h');
  });

  it('says it is gathering before the first glance, and why when it failed', () => {
    expect(labels(glanceLines('dev', { gathering: true }, 0))).toEqual(['Gathering cluster info…']);
    expect(labels(glanceLines('dev', { gathering: false, failed: 'colima list failed' }, 0))).toEqual(['Cluster info unavailable (colima list failed)']);
    const [item] = clusterMenuItems(running(), state({ glances: { dev: { gathering: true } } }), actions());
    expect(submenu(item).find((i) => i.id === 'cluster-refresh:dev')).toMatchObject({ label: 'Refreshing cluster info…', enabled: false });
  });

  it('offers no Verify for an instance the app did not start, nor for one that is not active', () => {
    expect(labels(submenu(clusterMenuItems(running(false), state(), actions())[0]))).not.toContain('Verify cluster');
    const other = snapshotOf({ active: 'k8s', instances: { dev: { phase: 'running' } } });
    expect(labels(submenu(clusterMenuItems(other, state(), actions())[0]))).not.toContain('Verify cluster');
  });

  it('shows a disabled "Verifying…" and a Cancel item while the check runs', () => {
    const a = actions();
    const items = submenu(clusterMenuItems(running(), state({ verifying: 'dev' }), a)[0]);
    expect(items.find((i) => i.id === 'cluster-verify:dev')).toMatchObject({ label: 'Verifying…', enabled: false });
    items.find((i) => i.id === 'cluster-cancel-verify:dev')!.click!({} as never, undefined, {} as never);
    expect(a.cancelVerify).toHaveBeenCalledOnce();
  });

  it('has no submenu for an instance that does not run', () => {
    const stopped = snapshotOf({ instances: { dev: { phase: 'stopped' } } });
    expect(clusterMenuItems(stopped, state(), actions())).toEqual([]);
  });

  it('offers the command-line tool items only when the platform has a launcher', () => {
    expect(cliToolItems(state(), actions())).toEqual([]);
    expect(labels(cliToolItems(state({ cliTool: 'idle' }), actions()))).toEqual(['Install command-line tool', 'Uninstall command-line tool']);
    expect(cliToolItems(state({ cliTool: 'busy' }), actions()).map((i) => i.enabled)).toEqual([false, false]);
  });
});
