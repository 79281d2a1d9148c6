// The on-disk cache of captured environments:
//   <cacheDir>/shell-<id>/<key>/env.json     the EnvDiff and facts
//   <cacheDir>/shell-<id>/<key>/roots-<n>/   its GC roots (gc-roots.ts)
//   <cacheDir>/shell-<id>/<key>/in-use-<pid> a process uses it (in-use.ts)
// <id> hashes the shell.nix path and the invocation (--pure, -I, args): one
// group per way of entering one shell.nix keeps its last good environment
// findable as the fallback when a new evaluation fails. env.json is written atomically and
// last, so a folder without it is an unfinished capture. Each capture roots
// into a new roots-<id> folder named in env.json, so a failed re-capture never
// damages the roots of the environment that is still in use.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomically } from '../files.js';
import { CACHE_FORMAT_VERSION } from './cache-key.js';
import type { EnvDiff } from './env-diff.js';
import type { NixInvocation } from './invocation.js';
import { listRootLinks, rootsIntact, type RootLink } from './gc-roots.js';
import { usedByAnotherProcess } from './in-use.js';

export interface CachedEnvironment {
  readonly format: number;
  readonly key: string;
  readonly shellNix: string;
  /** ISO time of the capture. */
  readonly capturedAt: string;
  readonly drvPath: string;
  /** The roots folder (inside the key folder) this capture made. */
  readonly rootsName: string;
  readonly diff: EnvDiff;
  /** Top-level store paths of the PATH entries nix added: all must exist for the cache to be used. */
  readonly storePaths: readonly string[];
}

export interface CacheSlot {
  readonly dir: string;
  readonly entry: CachedEnvironment;
}

const ENTRY_FILE = 'env.json';
const KEY_RE = /^[0-9a-f]{32}$/;
const SHELL_RE = /^shell-[0-9a-f]{16}$/;

/** The group folder of one shell.nix entered one way. */
export function shellCacheDir(cacheDir: string, shellNix: string, inv: NixInvocation = {}): string {
  const identity = JSON.stringify([path.resolve(shellNix), inv.pure ?? false, inv.keep ?? [], inv.includePaths ?? [], inv.extraArgs ?? []]);
  const id = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return path.join(cacheDir, `shell-${id}`);
}

export function rootsDirOf(slot: CacheSlot): string {
  return path.join(slot.dir, slot.entry.rootsName);
}

/** A fresh roots folder name for a new capture. */
export function newRootsName(): string {
  return `roots-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Removes the roots-* folders of a key folder except `keep`. */
export function removeOtherRoots(dir: string, keep: string): void {
  for (const name of safeReaddir(dir)) {
    if (name.startsWith('roots-') && name !== keep) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

export function readCachedEnvironment(dir: string): CachedEnvironment | undefined {
  try {
    const entry = JSON.parse(readFileSync(path.join(dir, ENTRY_FILE), 'utf8')) as CachedEnvironment;
    if (entry.format !== CACHE_FORMAT_VERSION || typeof entry.key !== 'string' || typeof entry.rootsName !== 'string' || !entry.diff || !Array.isArray(entry.storePaths)) return undefined;
    return entry;
  } catch {
    // Missing or unreadable: a cache miss, never an error (the capture rewrites it).
    return undefined;
  }
}

/** Write to a temp file in the same folder, then rename: readers see the old file or the new one. */
export function writeCachedEnvironment(dir: string, entry: CachedEnvironment): void {
  writeFileAtomically(path.join(dir, ENTRY_FILE), JSON.stringify(entry, null, 2) + '\n');
}

/** Every store path of the cached PATH still exists, and so do the GC roots (§4 step 2). */
export function isCacheUsable(slot: CacheSlot): boolean {
  return slot.entry.storePaths.every((p) => existsSync(p)) && rootsIntact(rootsDirOf(slot), slot.entry.storePaths);
}

/** The finished captures in a group folder, newest first. */
export function listCachedEnvironments(shellDir: string): CacheSlot[] {
  const slots: CacheSlot[] = [];
  for (const key of safeReaddir(shellDir)) {
    if (!KEY_RE.test(key)) continue;
    const dir = path.join(shellDir, key);
    const entry = readCachedEnvironment(dir);
    if (entry && entry.key === key) slots.push({ dir, entry });
  }
  return slots.sort((a, b) => b.entry.capturedAt.localeCompare(a.entry.capturedAt));
}

/**
 * After a successful capture: drop the group's other keys (their roots go with
 * them), except a key another running process uses or captures into
 * (in-use.ts): the tray may still run with the key the CLI just replaced.
 */
export function removeOtherKeys(shellDir: string, keep: string): string[] {
  const removed: string[] = [];
  for (const key of safeReaddir(shellDir)) {
    if (key === keep || !KEY_RE.test(key)) continue;
    const dir = path.join(shellDir, key);
    if (usedByAnotherProcess(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/**
 * Releases the app's GC roots that no process of the app can still need, so
 * the next `nix-collect-garbage` may free their paths. Kept in every shell.nix
 * group (each shell.nix entered one way): its newest intact environment, the
 * environments in `keep` (the caller's own), and every key folder another
 * running process uses or captures into (in-use.ts). Released: older keys and
 * broken or unfinished captures nobody uses. Other groups are never emptied:
 * the tray may run with another shell.nix or other nix options than the
 * `colima-k8s gc` that calls this. Returns the removed folders.
 */
export function pruneStaleRoots(cacheDir: string, keep: readonly (string | { readonly dir: string })[]): string[] {
  const keepDirs = new Set(keep.map((k) => path.resolve(typeof k === 'string' ? k : k.dir)));
  const removed: string[] = [];
  for (const shell of safeReaddir(cacheDir)) {
    if (!SHELL_RE.test(shell)) continue;
    const shellDir = path.join(cacheDir, shell);
    const newestIntact = listCachedEnvironments(shellDir).find(isCacheUsable);
    if (newestIntact) keepDirs.add(path.resolve(newestIntact.dir));
    for (const key of safeReaddir(shellDir)) {
      const dir = path.join(shellDir, key);
      if (!KEY_RE.test(key) || keepDirs.has(path.resolve(dir)) || usedByAnotherProcess(dir)) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
    if (safeReaddir(shellDir).length === 0) rmSync(shellDir, { recursive: true, force: true });
  }
  return removed;
}

/** The GC root links of an environment (its roots folder). */
export function currentRoots(env: { readonly rootsDir: string }): RootLink[] {
  return listRootLinks(env.rootsDir);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
