// The two lines a person copies from the cluster glance and pastes into a shell
// (pure). Words are quoted for sh/bash/zsh by shellQuote: never executed by the app.
import path from 'node:path';
import { instanceId } from '../colima/argv.js';
import { shellQuote } from '../maintenance/shell-quote.js';
import type { ClusterGlance } from './glance.js';

/** `kubectl config use-context colima-dev`: the glance's context, else colima's name for it (colima-cli §7). */
export function kubectlContextCommand(glance: Pick<ClusterGlance, 'context' | 'profile'>): string {
  const name = glance.context.known ? glance.context.value : instanceId(glance.profile);
  return `kubectl config use-context ${shellQuote(name)}`;
}

/**
 * The kubeconfig colima writes its entries into: the first path of KUBECONFIG
 * when set, else ~/.kube/config (colima-cli §7).
 */
export function colimaKubeconfigPath(home: string, env: Readonly<Record<string, string | undefined>> = {}): string {
  const first = (env.KUBECONFIG ?? '').split(path.delimiter).find(Boolean);
  return first ?? path.join(home, '.kube', 'config');
}

/** `export KUBECONFIG=/home/me/.kube/config`, the path quoted when it needs to be. */
export function kubeconfigExport(kubeconfigPath: string): string {
  return `export KUBECONFIG=${shellQuote(kubeconfigPath)}`;
}
