// The cache key of a captured environment (nix-env.md §4 "Suggested design"):
// sha256 over everything that can change what nix-shell would produce. File
// CONTENT is hashed, not mtimes (git checkouts and editors change mtimes).
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { nullLogger, type Logger } from '../log.js';
import { runNix } from './run-nix.js';
import { includeArgs, type NixInvocation } from './invocation.js';
import type { NixTools } from './locate-nix.js';
import type { Env } from './login-shell-env.js';
import { isShellNixPinned, usesSearchPath } from '../toolchain/pin.js';

/** Bump when the cached file's shape or the capture's meaning changes. */
export const CACHE_FORMAT_VERSION = 1;

export interface CacheKeyOptions {
  readonly nix: NixTools;
  readonly shellNix: string;
  readonly invocation: NixInvocation;
  readonly env: Env;
  readonly platform?: string;
  readonly arch?: string;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export interface CacheKey {
  readonly key: string;
  /** The content fingerprint of the nix input files (inputsFingerprint), part of the key. */
  readonly inputs: string;
  /** What went into the key, for the log and for tests. */
  readonly parts: Readonly<Record<string, string>>;
}

export async function computeCacheKey(o: CacheKeyOptions): Promise<CacheKey> {
  const inputs = await inputsFingerprint(o.shellNix);
  // A pinned shell.nix (nix/nixpkgs-pin.json, no <…> lookups; toolchain/pin.ts)
  // is keyed on the pin's content (in `inputs`), never on the user's channels:
  // a channel update must not re-evaluate it. An explicit <nixpkgs> in the
  // invocation (e.g. --arg pkgs 'import <nixpkgs> {}') still counts.
  const pinned = isShellNixPinned(o.shellNix) && !(o.invocation.extraArgs ?? []).some((a) => usesSearchPath(a));
  const parts: Record<string, string> = {
    format: String(CACHE_FORMAT_VERSION),
    nixShell: await realpath(o.nix.nixShell).catch(() => o.nix.nixShell),
    nixVersion: o.nix.version,
    shellNix: path.resolve(o.shellNix),
    inputs,
    nixPath: pinned ? '(pinned)' : (o.env.NIX_PATH ?? ''),
    nixpkgs: pinned ? '(pinned)' : await findNixpkgs(o),
    invocation: JSON.stringify([o.invocation.pure ?? false, o.invocation.keep ?? [], o.invocation.includePaths ?? [], o.invocation.extraArgs ?? []]),
    system: `${o.platform ?? process.platform}/${o.arch ?? process.arch}`,
  };
  return { key: sha256(JSON.stringify(parts)).slice(0, 32), inputs, parts };
}

/**
 * `<file>:<sha256>` of each nix input file (nixInputFiles), one a line: the
 * part of the key that changes when someone edits shell.nix. Cheap (no nix
 * call), so a long-running tool runner re-checks it to notice an edit.
 */
export async function inputsFingerprint(shellNix: string): Promise<string> {
  const files = await nixInputFiles(shellNix);
  const hashes = await Promise.all(files.map(async (f) => `${path.relative(path.dirname(shellNix), f)}:${sha256(await readFile(f))}`));
  return hashes.join('\n');
}

/**
 * The project's nix inputs next to shell.nix: the shell.nix itself, every *.nix
 * in its folder and in nix/, flake.lock and every nix/*.json (niv's
 * sources.json, the nixpkgs pin). Sorted, so
 * the key does not depend on directory order.
 */
export async function nixInputFiles(shellNix: string): Promise<string[]> {
  const dir = path.dirname(path.resolve(shellNix));
  const pick = async (sub: string, test: (name: string) => boolean): Promise<string[]> => {
    const entries = await readdir(path.join(dir, sub), { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && test(e.name)).map((e) => path.join(dir, sub, e.name));
  };
  const files = [
    path.resolve(shellNix),
    ...(await pick('.', (n) => n.endsWith('.nix') || n === 'flake.lock')),
    // nix/*.json: niv's sources.json, npins, the app's nixpkgs-pin.json.
    ...(await pick('nix', (n) => n.endsWith('.nix') || n.endsWith('.json'))),
  ];
  return [...new Set(files)].sort();
}

/**
 * The real path `<nixpkgs>` resolves to (a 15 ms call that evaluates nothing),
 * so a channel update changes the key. Tolerates failure: a shell.nix that pins
 * nixpkgs itself needs no <nixpkgs> at all.
 */
async function findNixpkgs(o: CacheKeyOptions): Promise<string> {
  try {
    const r = await runNix(o.nix.nixInstantiate, [...includeArgs(o.invocation), '--find-file', 'nixpkgs'], {
      env: o.env,
      timeoutMs: 15_000,
      signal: o.signal,
      logger: o.logger ?? nullLogger,
    });
    const found = r.stdout.trim();
    if (r.exitCode !== 0 || !found) return '(not found)';
    const real = await realpath(found).catch(() => found);
    // A store path or channel link changes on update; a plain file (a local
    // checkout's default.nix, the tests' fake) is keyed on its content too.
    const content = await readFile(real).catch(() => undefined);
    return content ? `${real}:${sha256(content)}` : real;
  } catch {
    return '(not found)';
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
