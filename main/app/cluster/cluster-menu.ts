// Folder cluster/: "cluster at a glance" in the tray (one submenu per running
// instance), its copy and verify actions, and the command-line tool items.
//
// The cluster submenus and the command-line tool items as a pure function of
// the snapshot and the small state cluster-feature.ts keeps: nothing here runs
// a command, each item calls one action. Every data label goes through menuText.
import type { MenuItemConstructorOptions } from 'electron';
import type { ClusterGlance, Field } from '../../core/cluster/glance.js';
import type { AppSnapshot } from '../../core/model.js';
import { ellipsize, menuText } from '../tray/tray-status.js';
import { formatGiB, formatUptime } from '../../core/cluster/describe.js';

export interface GlanceEntry {
  /** The last glance gathered; undefined before the first one ended. */
  readonly glance?: ClusterGlance;
  readonly gathering: boolean;
  /** Why the last gathering failed (colima could not be asked). */
  readonly failed?: string;
  /** Epoch ms when the app saw the instance become Running: the uptime is counted from it at each render. */
  readonly runningSince?: number;
}

export interface ClusterMenuState {
  /** Running instances only, by profile. */
  readonly glances: Readonly<Record<string, GlanceEntry>>;
  /** The profile whose check runs. */
  readonly verifying?: string | undefined;
  /** Undefined hides the command-line tool items (no launcher on this platform or build). */
  readonly cliTool?: 'idle' | 'busy' | undefined;
  readonly quitting: boolean;
  readonly now: number;
}

export interface ClusterMenuActions {
  refresh(profile: string): void;
  copyContextCommand(profile: string): void;
  copyKubeconfigExport(profile: string): void;
  verify(profile: string): void;
  cancelVerify(): void;
  installCliTool(): void;
  uninstallCliTool(): void;
}

export const CLUSTER_ITEM = {
  refresh: (p: string) => `cluster-refresh:${p}`,
  copyContext: (p: string) => `cluster-copy-context:${p}`,
  copyKubeconfig: (p: string) => `cluster-copy-kubeconfig:${p}`,
  verify: (p: string) => `cluster-verify:${p}`,
  cancelVerify: (p: string) => `cluster-cancel-verify:${p}`,
  installCli: 'install-cli-tool',
  uninstallCli: 'uninstall-cli-tool',
} as const;

export function clusterItemId(profile: string): string {
  return `cluster:${profile}`;
}

const shown = <T>(f: Field<T>, format: (v: T) => string): string => (f.known ? format(f.value) : `unknown (${ellipsize(f.reason, 48)})`);

const info = (id: string, label: string): MenuItemConstructorOptions => ({ id, label: menuText(label), enabled: false });

/** The disabled info lines of one glance. */
export function glanceLines(profile: string, entry: GlanceEntry, now: number): MenuItemConstructorOptions[] {
  const g = entry.glance;
  if (!g) return [info(`cluster-info:${profile}:none`, entry.failed ? `Cluster info unavailable (${ellipsize(entry.failed, 48)})` : 'Gathering cluster info…')];
  const id = (k: string): string => `cluster-info:${profile}:${k}`;
  const lines = [
    info(id('context'), `Context: ${shown(g.context, String)}`),
    info(id('version'), `Kubernetes: ${shown(g.serverVersion, String)}`),
    info(id('nodes'), `Nodes: ${shown(g.nodes, (n) => `${n.ready}/${n.total} Ready`)}`),
    info(id('api'), `API server: ${shown(g.apiServer, String)}`),
  ];
  if (g.vmAddress.known) lines.push(info(id('vm'), `VM address: ${g.vmAddress.value}`));
  const cpus = shown(g.cpus, (c) => `${c} CPU${c === 1 ? '' : 's'}`);
  lines.push(
    info(id('resources'), `${cpus}, ${shown(g.memoryBytes, formatGiB)} memory, ${shown(g.diskBytes, formatGiB)} disk`),
    info(id('runtime'), `Runtime: ${shown(g.runtime, String)}`),
  );
  const uptime = entry.runningSince !== undefined ? formatUptime(Math.max(0, now - entry.runningSince)) : shown(g.uptimeMs, formatUptime);
  lines.push(info(id('uptime'), `Uptime: ${uptime}`));
  return lines;
}

function clusterSubmenu(snapshot: AppSnapshot, profile: string, entry: GlanceEntry, state: ClusterMenuState, actions: ClusterMenuActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [...glanceLines(profile, entry, state.now), { type: 'separator' }];
  items.push(
    {
      id: CLUSTER_ITEM.refresh(profile),
      label: entry.gathering ? 'Refreshing cluster info…' : 'Refresh cluster info',
      enabled: !entry.gathering && !state.quitting,
      click: () => actions.refresh(profile),
    },
    { id: CLUSTER_ITEM.copyContext(profile), label: 'Copy kubectl context command', click: () => actions.copyContextCommand(profile) },
    { id: CLUSTER_ITEM.copyKubeconfig(profile), label: 'Copy KUBECONFIG export', click: () => actions.copyKubeconfigExport(profile) },
  );
  // Only the active instance, and only one the app started (the ledger is asked again when it runs).
  if (profile === snapshot.activeProfile && snapshot.instances[profile]?.startedByApp) {
    if (state.verifying === profile) {
      items.push(
        { id: CLUSTER_ITEM.verify(profile), label: 'Verifying…', enabled: false },
        { id: CLUSTER_ITEM.cancelVerify(profile), label: 'Cancel verification', click: () => actions.cancelVerify() },
      );
    } else {
      items.push({
        id: CLUSTER_ITEM.verify(profile),
        label: 'Verify cluster',
        enabled: state.verifying === undefined && !state.quitting,
        click: () => actions.verify(profile),
      });
    }
  }
  return items;
}

/** One "Cluster <profile>" submenu per running instance, in the snapshot's profile order. */
export function clusterMenuItems(snapshot: AppSnapshot, state: ClusterMenuState, actions: ClusterMenuActions): MenuItemConstructorOptions[] {
  const names = [...snapshot.profiles.map((p) => p.name), ...Object.keys(snapshot.instances)];
  return [...new Set(names)]
    .filter((name) => snapshot.instances[name]?.phase === 'running' && state.glances[name])
    .map((name) => ({
      id: clusterItemId(name),
      label: menuText(`Cluster ${name}`),
      type: 'submenu' as const,
      submenu: clusterSubmenu(snapshot, name, state.glances[name]!, state, actions),
    }));
}

export function cliToolItems(state: ClusterMenuState, actions: ClusterMenuActions): MenuItemConstructorOptions[] {
  if (state.cliTool === undefined) return [];
  const busy = state.cliTool === 'busy';
  return [
    { id: CLUSTER_ITEM.installCli, label: busy ? 'Installing command-line tool…' : 'Install command-line tool', enabled: !busy, click: () => actions.installCliTool() },
    { id: CLUSTER_ITEM.uninstallCli, label: 'Uninstall command-line tool', enabled: !busy, click: () => actions.uninstallCliTool() },
  ];
}
