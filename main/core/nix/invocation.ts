// How the shell.nix is evaluated: the options that change the environment, and
// the argv each nix tool gets for them. Everything here is also part of the
// cache key, so one description serves evaluation and caching.

export interface NixInvocation {
  /** `nix-shell --pure`: only a short allow-list of the caller's variables survives (§2). */
  readonly pure?: boolean;
  /** Variables kept under --pure (`--keep NAME`). */
  readonly keep?: readonly string[];
  /** `-I` entries, e.g. `nixpkgs=/path/to/nixpkgs`. */
  readonly includePaths?: readonly string[];
  /** More nix-instantiate arguments, verbatim (e.g. `--arg`, `NAME`, `EXPR`, or `-A`, `ATTR`). */
  readonly extraArgs?: readonly string[];
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Rejects what nix would misread, with a message that says what to fix. */
export function invocationProblem(inv: NixInvocation): string | undefined {
  for (const k of inv.keep ?? []) if (!NAME_RE.test(k)) return `"${k}" is not a variable name (--keep).`;
  for (const i of inv.includePaths ?? []) if (i === '' || i.startsWith('-')) return `"${i}" is not a valid -I entry (use name=/path or /path).`;
  return undefined;
}

/**
 * The invocation with `-I nixpkgs=<source>` (the pinned nixpkgs' store path)
 * first, so nix-shell's own `<nixpkgs>` lookups (its bash, §2) use the pin and
 * not the user's channels. An explicit `nixpkgs=` entry of the caller wins.
 */
export function withNixpkgsInclude(inv: NixInvocation, source: string | undefined): NixInvocation {
  if (!source || (inv.includePaths ?? []).some((i) => i.startsWith('nixpkgs='))) return inv;
  return { ...inv, includePaths: [`nixpkgs=${source}`, ...(inv.includePaths ?? [])] };
}

/** The caller brings its own nixpkgs: an explicit `-I nixpkgs=…`, or `--arg pkgs …` (shell.nix's documented override). */
export function bringsOwnNixpkgs(inv: NixInvocation): boolean {
  const args = inv.extraArgs ?? [];
  return (inv.includePaths ?? []).some((i) => i.startsWith('nixpkgs=')) || args.some((a, i) => (a === '--arg' || a === '--argstr') && args[i + 1] === 'pkgs');
}

export function includeArgs(inv: NixInvocation): string[] {
  return (inv.includePaths ?? []).flatMap((p) => ['-I', p]);
}

/**
 * nix-instantiate arguments that evaluate `shellNix` as nix-shell would:
 * nix-shell passes `inNixShell = true` to functions that accept it.
 */
export function instantiateArgs(shellNix: string, inv: NixInvocation): string[] {
  return [shellNix, ...includeArgs(inv), '--arg', 'inNixShell', 'true', ...(inv.extraArgs ?? [])];
}

/**
 * nix-shell arguments for an already instantiated derivation. The -I entries
 * still matter: without NIX_BUILD_SHELL, nix-shell takes bash from
 * `(import <nixpkgs> {}).bashInteractive` (§2).
 */
export function shellArgs(drvPath: string, inv: NixInvocation, extraKeep: readonly string[] = []): string[] {
  const keep = inv.pure ? [...(inv.keep ?? []), ...extraKeep].flatMap((k) => ['--keep', k]) : [];
  return [drvPath, ...includeArgs(inv), ...(inv.pure ? ['--pure'] : []), ...keep];
}
