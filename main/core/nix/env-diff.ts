// The captured environment as a difference from the caller's (direnv and
// nix-direnv semantics): what nix changed or added, what it removed (--pure),
// and the PATH entries it put in front. Applied at run time to the CURRENT
// base environment, so the app's own later changes still reach the tools.
import path from 'node:path';
import { splitAbsolutePath } from '../executables.js';
import type { Env } from './login-shell-env.js';

export interface EnvDiff {
  /** Variables nix added or changed (PATH is not here). */
  readonly set: Readonly<Record<string, string>>;
  /** Variables of the caller that the nix shell did not have (only with --pure, in practice). */
  readonly unset: readonly string[];
  /** Absolute PATH entries nix added, in order. */
  readonly pathPrefix: readonly string[];
  /** false with --pure: the caller's PATH is not appended (as nix-shell --pure does). */
  readonly keepBasePath: boolean;
}

/**
 * Variables that describe the capturing shell, not the environment. The list is
 * direnv's, plus the temp folders nix-shell points at its own (nix-direnv puts
 * back the caller's: nix-env.md §3) and the dump's own variables.
 */
export const IGNORED_VARIABLES: ReadonlySet<string> = new Set([
  '_', 'PWD', 'OLDPWD', 'SHLVL', 'SHELL', 'SHELLOPTS', 'PS1', 'COMP_WORDBREAKS',
  'TMPDIR', 'TMP', 'TEMP', 'TEMPDIR', 'NIX_BUILD_TOP',
]);

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `NAME=VALUE\0` records, split at the first `=` (values may hold `=` and newlines). */
export function parseEnvDump(dump: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const record of dump.split('\0')) {
    const eq = record.indexOf('=');
    if (eq <= 0) continue;
    out[record.slice(0, eq)] = record.slice(eq + 1);
  }
  return out;
}

export function diffEnvironment(base: Env, captured: Readonly<Record<string, string>>, options: { pure?: boolean; ignore?: readonly string[] } = {}): EnvDiff {
  const ignored = new Set([...IGNORED_VARIABLES, ...(options.ignore ?? [])]);
  const set: Record<string, string> = {};
  for (const [name, value] of Object.entries(captured)) {
    if (name === 'PATH' || ignored.has(name)) continue;
    if (base[name] !== value) set[name] = value;
  }
  // Only names bash can export are comparable: bash never lists the others
  // (exported functions, odd names), yet passes them on unchanged.
  const unset = Object.keys(base).filter(
    (name) => name !== 'PATH' && base[name] !== undefined && NAME_RE.test(name) && !ignored.has(name) && !(name in captured),
  );
  const basePath = new Set(splitAbsolutePath(base.PATH));
  // Relative and empty entries (`.::` when nix-shell fell back to `bash`: §2) are dropped.
  const pathPrefix = [...new Set(splitAbsolutePath(captured.PATH).filter((p) => !basePath.has(p)))];
  return { set, unset: unset.sort(), pathPrefix, keepBasePath: !options.pure };
}

/** A complete child environment; PATH is always set. */
export type ChildEnv = Record<string, string> & { PATH: string };

/** base + diff; PATH = nix's entries, then the base PATH (unless --pure). */
export function applyEnvDiff(diff: EnvDiff, base: Env): ChildEnv {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) out[k] = v;
  for (const k of diff.unset) delete out[k];
  Object.assign(out, diff.set);
  const entries = [...diff.pathPrefix, ...(diff.keepBasePath ? splitAbsolutePath(base.PATH) : [])];
  return Object.assign(out, { PATH: [...new Set(entries)].join(path.delimiter) });
}

