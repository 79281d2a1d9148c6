// `colima-k8s status` when the nix environment cannot be had (no nix-shell,
// a shell.nix that does not evaluate): colima cannot run, so the states of the
// instances are unknown, but the profiles and the instances the ledger records
// are still shown, with the reason and what to do.
import { isAppError } from '../core/errors.js';
import type { EnvironmentStatus } from '../core/model.js';
import { resolveShellNix, shippedShellNix } from '../core/paths.js';
import type { CliIo } from './io.js';

export interface EnvironmentProblem {
  /** Nix's or the locator's message (may span lines). */
  readonly reason: string;
  readonly whatToDo: string;
}

/** The problem when `error` came from resolving the nix environment (its status is then `error`); undefined otherwise. */
export function environmentProblem(error: unknown, environment: EnvironmentStatus, io: Pick<CliIo, 'env' | 'bundleDir'>): EnvironmentProblem | undefined {
  if (environment.kind !== 'error') return undefined;
  if (isAppError(error, 'NIX_NOT_FOUND')) {
    return {
      reason: environment.message,
      whatToDo:
        'Install Nix (sh <(curl -L https://nixos.org/nix/install) --daemon, or apt install nix-bin), or set COLIMA_K8S_NIX_SHELL to the full path of nix-shell; then run colima-k8s status again (colima-k8s doctor checks the setup).',
    };
  }
  const shellNix = resolveShellNix(io.env, shippedShellNix({ bundleDir: io.bundleDir }));
  return {
    reason: environment.message,
    whatToDo: `Run nix-shell ${shellNix} in a terminal to see nix's error and fix it (or point COLIMA_K8S_SHELL_NIX at a shell.nix that evaluates); then run colima-k8s status again (colima-k8s doctor checks the setup).`,
  };
}
