// The oldest colima the app works with (colima-cli §12): `status --json`
// needs ≥ 0.8.1 and `delete --data` ≥ 0.9.0. Checked once an environment is
// evaluated, before anything starts a VM: a pin or a user's shell.nix with an
// older colima is refused with one clear sentence, not a confusing failure
// halfway through a start or a teardown.
import { AppError } from '../errors.js';
import type { ToolRunner } from '../tool-runner.js';

export interface VersionRequirement {
  readonly version: string;
  readonly needs: string;
}

export const COLIMA_REQUIREMENTS: readonly VersionRequirement[] = [
  { version: '0.8.1', needs: '`colima status --json`' },
  { version: '0.9.0', needs: '`colima delete --data` (removing the separate data disk)' },
];

/** The highest requirement: what the app needs as a whole. */
export const MIN_COLIMA_VERSION = '0.9.0';

/** `0.10.3` from `colima version <v>` (nixpkgs: `0.10.1`; GitHub builds: `v0.10.3`, `v0.10.3-18-g490420d`). */
export function parseColimaVersion(stdout: string): string | undefined {
  const m = /colima version v?(\d+)\.(\d+)\.(\d+)/.exec(stdout);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b` (numeric x.y.z). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why this colima is too old, or undefined. An unparsable version (a development build) is accepted. */
export function colimaVersionProblem(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const unmet = COLIMA_REQUIREMENTS.filter((r) => compareVersions(version, r.version) < 0);
  if (unmet.length === 0) return undefined;
  return (
    `colima ${version} is too old: the app needs colima ${MIN_COLIMA_VERSION} or newer (${unmet.map((r) => `${r.needs} needs ${r.version}`).join('; ')}). ` +
    'Move the nixpkgs pin to a newer revision (colima-k8s toolchain update), or use a shell.nix whose nixpkgs has a newer colima.'
  );
}

/**
 * Runs `colima version` in the environment and refuses (AppError CONFLICT) a
 * colima below MIN_COLIMA_VERSION. Returns the version (undefined when
 * colima printed no parsable one).
 */
export async function assertSupportedColima(runner: ToolRunner, options: { readonly signal?: AbortSignal; readonly timeoutMs?: number } = {}): Promise<string | undefined> {
  const r = await runner.run('colima', ['version'], { timeoutMs: options.timeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) });
  const version = r.exitCode === 0 ? parseColimaVersion(r.stdout) : undefined;
  const problem = colimaVersionProblem(version);
  if (problem) throw new AppError('CONFLICT', problem);
  return version;
}

/**
 * assertSupportedColima once per environment (keyed by `keyOf()`, e.g. the
 * NixEnvironment key): a start path can call it every time for the price of
 * one `colima version` per evaluated environment.
 */
export function supportedColimaGate(runner: ToolRunner, keyOf: () => string | undefined): (signal?: AbortSignal) => Promise<void> {
  let checked: string | undefined;
  return async (signal) => {
    const key = keyOf();
    if (key !== undefined && key === checked) return;
    await assertSupportedColima(runner, signal ? { signal } : {});
    checked = keyOf() ?? key;
  };
}
