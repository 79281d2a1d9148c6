// argv builders for colima and kubectl. Pure (no Node imports): the picker
// window bundles buildStartArgs for its live preview of the exact command.
// Every command names its profile with `--profile` because `nerdctl` and
// `kubernetes` take no positional profile (colima-cli §1); validated names never
// start with '-', so they cannot be read as flags.
import type { Profile } from '../model.js';

export type Platform = 'darwin' | 'linux' | 'win32' | (string & {});

/** colima's instance ID: also the kube context, cluster and user name (colima-cli §1, §7). */
export function instanceId(profile: string): string {
  return profile === 'default' || profile === 'colima' || profile === '' ? 'colima' : `colima-${profile.replace(/^colima-/, '')}`;
}

export function kubeContextName(profile: string): string {
  return instanceId(profile);
}

export function buildStartArgs(p: Profile, platform: Platform): string[] {
  const args = ['start', '--profile', p.name, '--cpus', String(p.cpus), '--memory', String(p.memoryGiB), '--disk', String(p.diskGiB)];
  args.push('--runtime', p.runtime);
  if (p.kubernetes) {
    args.push('--kubernetes');
    if (p.kubernetesVersion) args.push('--kubernetes-version', p.kubernetesVersion);
  } else {
    // Spelled out: a flag left out falls back to the saved colima.yaml or the
    // user's template (colima-cli §2.2), which may turn Kubernetes on.
    args.push('--kubernetes=false');
  }
  // --network-address exists on macOS only (colima-cli §2.1).
  if (p.networkAddress && platform === 'darwin') args.push('--network-address');
  // --activate (default true) makes colima switch the current kube/docker context.
  if (!p.switchKubeContext) args.push('--activate=false');
  return args;
}

export function buildStopArgs(profile: string, force = false): string[] {
  // `-f` means --foreground for start but --force for stop: always spell it out (colima-cli §14.4).
  return force ? ['stop', '--force', '--profile', profile] : ['stop', '--profile', profile];
}

export function buildDeleteArgs(profile: string, deleteData: boolean): string[] {
  // Without --force, delete prompts on stdout and blocks on an open stdin, or does
  // nothing and exits 0 on a closed one (colima-cli §4, §14.3).
  return ['delete', '--force', ...(deleteData ? ['--data'] : []), '--profile', profile];
}

export function buildStatusArgs(profile: string): string[] {
  return ['status', '--json', '--profile', profile];
}

export function buildListArgs(): string[] {
  return ['list', '--json'];
}

export function buildVersionArgs(): string[] {
  return ['version'];
}

/** Pulls into k8s.io, the only namespace k3s sees (colima-cli §8, §14.11). */
export function buildPullArgs(profile: string, image: string): string[] {
  return ['nerdctl', '--profile', profile, '--', '--namespace', 'k8s.io', 'pull', image];
}

export function buildKubectlGetNodesArgs(context: string): string[] {
  return ['--context', context, 'get', 'nodes', '-o', 'json'];
}
