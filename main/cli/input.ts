// What the user typed, checked before any work: profile names and values, and
// the exit codes. The rule (README, "The colima-k8s CLI"):
//   0   success (`status` also when the nix environment is unavailable: it says so);
//   1   an operation failed (nix, colima, kubectl, a teardown, a conflict with what exists);
//   2   something is wrong with what was typed: usage, an invalid value, an unknown profile;
//   130 interrupted (Ctrl-C, SIGTERM).
import { isAppError } from '../core/errors.js';
import type { Ledger } from '../core/ledger/ledger.js';
import { validateProfileName } from '../core/profiles/validate.js';
import type { SettingsStore } from '../core/profiles/store.js';
import { UsageError } from './args.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INPUT = 2;
export const EXIT_INTERRUPTED = 130;

/** A value or name the user typed is wrong (exit 2); the message says what to type instead. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError || e instanceof InputError || isAppError(e, 'INVALID_INPUT')) return EXIT_INPUT;
  return EXIT_FAILED;
}

/**
 * Checks a NAME the user typed before anything runs (no nix, no colima): it
 * must be a valid name and a profile, or (`recorded: true`, for `stop`) an
 * instance the ledger records.
 */
export function requireKnownProfile(services: { readonly store: Pick<SettingsStore, 'get' | 'list'>; readonly ledger: Pick<Ledger, 'get'> }, name: string, options: { readonly recorded?: boolean } = {}): void {
  const problem = validateProfileName(name);
  if (problem) throw new InputError(problem);
  if (services.store.get(name)) return;
  if (options.recorded && services.ledger.get(name)) return;
  const known = services.store.list().map((p) => p.name);
  throw new InputError(
    `There is no profile "${name}". Profiles: ${known.join(', ') || 'none'}. ` +
      `Create it with: colima-k8s profile set ${name} (colima-k8s profile list shows them all).`,
  );
}
