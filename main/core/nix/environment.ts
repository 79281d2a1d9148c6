// Resolves the environment of a shell.nix with nix-direnv semantics (nix-env.md
// §3, §4): evaluate once, keep the result as a diff on disk keyed on everything
// that can change it, protect it with GC roots, reuse it while it is intact,
// and fall back to the last good one when a new evaluation fails.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError, isAppError } from '../errors.js';
import { nullLogger, type Logger } from '../log.js';
import { CACHE_FORMAT_VERSION, computeCacheKey } from './cache-key.js';
import {
  isCacheUsable,
  listCachedEnvironments,
  newRootsName,
  readCachedEnvironment,
  removeOtherKeys,
  removeOtherRoots,
  rootsDirOf,
  shellCacheDir,
  writeCachedEnvironment,
  type CacheSlot,
  type CachedEnvironment,
} from './cache-store.js';
import { captureShellEnvironment } from './capture.js';
import { findOnPath } from '../executables.js';
import { holdKeyDir, usedByAnotherProcess } from './in-use.js';
import { applyEnvDiff, diffEnvironment, type ChildEnv, type EnvDiff } from './env-diff.js';
import { instantiateRooted, realiseInputsRooted, rootStorePaths, topLevelStorePaths, touchRootLinks, type NixCallOptions } from './gc-roots.js';
import { NixProgressParser } from './progress.js';
import { STALL_SETTING, type StallTimers } from './run-nix.js';
import type { EnvironmentProgress } from '../model.js';
import { bringsOwnNixpkgs, invocationProblem, withNixpkgsInclude, type NixInvocation } from './invocation.js';
import { fetchPinnedNixpkgs } from '../toolchain/pinned-source.js';
import { locateNix, saneChildPath, type LocateNixOptions, type NixTools } from './locate-nix.js';
import type { Env } from './login-shell-env.js';

/**
 * Only a safety net on the whole capture: a first run downloads 0.5–0.9 GiB,
 * so what ends a stuck one is the stall timeout (no progress from nix).
 */
export const DEFAULT_CAPTURE_TIMEOUT_MS = 6 * 60 * 60_000;
/** A nix call that prints nothing (no progress) for this long is stopped; COLIMA_K8S_NIX_STALL_MINUTES overrides it. */
export const DEFAULT_STALL_TIMEOUT_MS = 10 * 60_000;

/** The stall timeout: the option, else COLIMA_K8S_NIX_STALL_MINUTES of `env` (a positive number), else the default. */
export function stallTimeoutMs(option: number | undefined, env: Env): number {
  if (option !== undefined) return option;
  const minutes = Number(env[STALL_SETTING]);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : DEFAULT_STALL_TIMEOUT_MS;
}

export interface ResolveNixEnvironmentOptions extends NixInvocation {
  readonly shellNix: string;
  /** The app passes `<appHome>/nix`. */
  readonly cacheDir: string;
  /** Already located nix tools; else locateNix(locate). */
  readonly nix?: NixTools;
  readonly locate?: LocateNixOptions;
  /** The caller's environment; default process.env. Its PATH is made sane (locate-nix.ts). */
  readonly baseEnv?: Env;
  /** Capture again even when the cache matches (the "Reload environment" action). */
  readonly refresh?: boolean;
  /** A hard limit for the whole capture (evaluation, builds, nix-shell); default DEFAULT_CAPTURE_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Stop a nix call that reports no progress for this long; default stallTimeoutMs(). */
  readonly stallTimeoutMs?: number;
  /** The stall watchdog's timer (tests pass a controllable one). */
  readonly timers?: StallTimers;
  /** nix's progress while it evaluates, fetches and builds (progress.ts). */
  readonly onProgress?: (progress: EnvironmentProgress) => void;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

export interface NixEnvironment {
  readonly shellNix: string;
  readonly key: string;
  /** The cache folder of this environment. */
  readonly dir: string;
  /** Its GC roots folder (currentRoots / pruneStaleRoots use it). */
  readonly rootsDir: string;
  readonly capturedAt: string;
  readonly fromCache: boolean;
  /**
   * The content fingerprint of shell.nix and its sibling nix inputs when this
   * environment was resolved (cache-key.ts inputsFingerprint; for a fallback,
   * of the files that failed). A long-running runner compares it with the files
   * to notice an edit. Undefined when unknown (never re-checked then).
   */
  readonly inputs?: string;
  /** Set when this is the last good environment because a new evaluation failed. */
  readonly fallback?: { readonly reason: string };
  readonly nix: NixTools;
  readonly diff: EnvDiff;
  /** base + the nix diff; base defaults to the environment the capture started from. */
  env(base?: Env): ChildEnv;
  /** The absolute file of `program` on this environment's PATH, or undefined. */
  which(program: string, base?: Env): string | undefined;
  /** Store paths and roots still exist (false after a GC that broke it). */
  isIntact(): boolean;
  /**
   * Ends this process's hold on the cache folder (in-use.ts), which protects it
   * from other processes' pruning while held. The environment itself stays
   * usable. Idempotent.
   */
  release(): void;
}

/** The caller's env with a PATH that also holds nix's and the system's folders, and NIX_PATH from the login shell. */
export function childBaseEnv(env: Env, nix: NixTools, locate: LocateNixOptions = {}): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env, PATH: saneChildPath(nix.binDir, { ...locate, env }) };
  if (out.NIX_PATH === undefined && nix.loginShellNixPath) out.NIX_PATH = nix.loginShellNixPath;
  return out;
}

export async function resolveNixEnvironment(o: ResolveNixEnvironmentOptions): Promise<NixEnvironment> {
  const logger = o.logger ?? nullLogger;
  const shellNix = path.resolve(o.shellNix);
  assertShellNix(shellNix);
  const problem = invocationProblem(o);
  if (problem) throw new AppError('INVALID_INPUT', `Invalid nix-shell options: ${problem}`);

  const nix = o.nix ?? (await locateNix({ ...o.locate, env: o.locate?.env ?? o.baseEnv, logger, signal: o.signal }));
  const base = childBaseEnv(o.baseEnv ?? process.env, nix, o.locate);
  const { key, inputs, parts } = await computeCacheKey({ nix, shellNix, invocation: o, env: base, logger, signal: o.signal });
  logger.log('debug', `nix cache key ${key} from ${JSON.stringify(parts)}`);
  const group = shellCacheDir(o.cacheDir, shellNix, o);
  const dir = path.join(group, key);

  const cached = readCachedEnvironment(dir);
  if (!o.refresh && cached?.key === key) {
    const slot = { dir, entry: cached };
    if (isCacheUsable(slot)) {
      logger.log('info', `nix environment of ${shellNix} from cache (${key})`);
      return makeEnvironment(slot, { nix, base, fromCache: true, inputs });
    }
    logger.log('info', `cached nix environment ${key} lost store paths or roots (garbage collected?): capturing again`);
  }

  // Marks the folder as being captured into, so no other process prunes it meanwhile.
  mkdirSync(dir, { recursive: true });
  const releaseCapture = holdKeyDir(dir);
  try {
    const slot = await captureIntoCache({ o, nix, base, shellNix, key, group, dir, logger });
    return makeEnvironment(slot, { nix, base, fromCache: false, inputs });
  } catch (e) {
    if (isAppError(e, 'CANCELLED')) throw e;
    const lastGood = listCachedEnvironments(group).find(isCacheUsable);
    const reason = describeFailure(e);
    if (lastGood) {
      logger.log('warn', `using the last good nix environment (${lastGood.entry.capturedAt}): ${reason}`);
      return makeEnvironment(lastGood, { nix, base, fromCache: true, fallback: { reason }, inputs });
    }
    if (isAppError(e)) throw e;
    throw new AppError('NIX_EVAL_FAILED', `${reason} Fix shell.nix, then reload the environment.`, { cause: e });
  } finally {
    // The returned environment holds its own folder (makeEnvironment).
    releaseCapture();
  }
}

/** Why a preferCachedEnvironment run uses an older environment (nix-tool-runner.ts). */
export const NOT_EVALUATED_YET = 'shell.nix changed and its new environment is not ready yet, so the last one was used.';

/**
 * The environment a run can use at once, evaluating nothing: the current
 * key's when it is cached and intact, else the newest intact one of the same
 * shell.nix group (marked `fallback`, NOT_EVALUATED_YET), else undefined.
 * For teardown and stop, which must not wait for a re-evaluation.
 */
export async function findCachedNixEnvironment(o: ResolveNixEnvironmentOptions): Promise<NixEnvironment | undefined> {
  const logger = o.logger ?? nullLogger;
  const shellNix = path.resolve(o.shellNix);
  const group = shellCacheDir(o.cacheDir, shellNix, o);
  const candidates = listCachedEnvironments(group).filter(isCacheUsable);
  if (candidates.length === 0) return undefined;
  const nix = o.nix ?? (await locateNix({ ...o.locate, env: o.locate?.env ?? o.baseEnv, logger, signal: o.signal }));
  const base = childBaseEnv(o.baseEnv ?? process.env, nix, o.locate);
  // A shell.nix that is gone or unreadable has no current key: the group's newest is all there is.
  const current = await computeCacheKey({ nix, shellNix, invocation: o, env: base, logger, signal: o.signal }).catch(() => undefined);
  const exact = candidates.find((slot) => slot.entry.key === current?.key);
  if (exact) return makeEnvironment(exact, { nix, base, fromCache: true, inputs: current?.inputs });
  const newest = candidates[0]!;
  logger.log('info', `using the nix environment of ${newest.entry.capturedAt} without waiting: ${NOT_EVALUATED_YET}`);
  return makeEnvironment(newest, { nix, base, fromCache: true, fallback: { reason: NOT_EVALUATED_YET }, inputs: current?.inputs });
}

interface CaptureContext {
  readonly o: ResolveNixEnvironmentOptions;
  readonly nix: NixTools;
  readonly base: Env;
  readonly shellNix: string;
  readonly key: string;
  /** The shell.nix + invocation group folder; `dir` is its `<key>` folder. */
  readonly group: string;
  readonly dir: string;
  readonly logger: Logger;
}

async function captureIntoCache(c: CaptureContext): Promise<CacheSlot> {
  const started = performance.now();
  const deadline = Date.now() + (c.o.timeoutMs ?? DEFAULT_CAPTURE_TIMEOUT_MS);
  const onProgress = c.o.onProgress;
  const parser = onProgress ? new NixProgressParser(onProgress) : undefined;
  const watch: NixCallOptions['watch'] = {
    stallMs: stallTimeoutMs(c.o.stallTimeoutMs, c.base),
    ...(c.o.timers ? { timers: c.o.timers } : {}),
    ...(parser ? { onStderrLine: (line: string) => parser.line(line) } : {}),
  };
  const call = (): NixCallOptions => ({ nix: c.nix, env: c.base, timeoutMs: Math.max(1_000, deadline - Date.now()), signal: c.o.signal, logger: c.logger, watch });
  const rootsName = newRootsName();
  const rootsDir = path.join(c.dir, rootsName);
  mkdirSync(rootsDir, { recursive: true });
  try {
    // Evaluate once into a rooted .drv, build its inputs with roots, then let
    // nix-shell set up that .drv (no second evaluation) and dump its env.
    // A pinned shell.nix: its nixpkgs is fetched (hash-checked) first, and
    // nix-shell's own <nixpkgs> (its bash) is that pin, not the user's channels.
    const invocation = bringsOwnNixpkgs(c.o) ? c.o : withNixpkgsInclude(c.o, await fetchPinnedNixpkgs(c.shellNix, call()));
    const drvPath = await instantiateRooted(c.shellNix, invocation, rootsDir, call());
    await realiseInputsRooted(drvPath, rootsDir, call());
    const captured = await captureShellEnvironment({ ...call(), drvPath, invocation, workDir: c.dir });
    const diff = diffEnvironment(c.base, captured, { pure: c.o.pure });
    const storePaths = topLevelStorePaths(diff.pathPrefix, captured.NIX_STORE || '/nix/store');
    await rootStorePaths(storePaths, rootsDir, call());
    const entry: CachedEnvironment = {
      format: CACHE_FORMAT_VERSION,
      key: c.key,
      shellNix: c.shellNix,
      capturedAt: new Date().toISOString(),
      drvPath,
      rootsName,
      diff,
      storePaths,
    };
    writeCachedEnvironment(c.dir, entry);
    // Only now that the new environment is safe: release the old ones.
    removeOtherRoots(c.dir, rootsName);
    const released = removeOtherKeys(c.group, c.key);
    c.logger.log('info', `captured the nix environment of ${c.shellNix} in ${Math.round(performance.now() - started)} ms (${c.key}; released ${released.length} old)`);
    return { dir: c.dir, entry };
  } catch (e) {
    rmSync(rootsDir, { recursive: true, force: true });
    // Another process may be capturing into the same folder: leave it to that one.
    if (!readCachedEnvironment(c.dir) && !usedByAnotherProcess(c.dir)) rmSync(c.dir, { recursive: true, force: true });
    throw e;
  }
}

/** The environment of a cache slot; holds the slot's folder for this process until release(). */
function makeEnvironment(
  slot: CacheSlot,
  x: { nix: NixTools; base: Env; fromCache: boolean; fallback?: { reason: string }; inputs: string | undefined },
): NixEnvironment {
  const { entry } = slot;
  const env = (base: Env = x.base): ChildEnv => applyEnvDiff(entry.diff, base);
  const release = holdKeyDir(slot.dir);
  // In use again: a fresh mtime keeps age-based root cleaners away from it.
  touchRootLinks(rootsDirOf(slot));
  return {
    shellNix: entry.shellNix,
    key: entry.key,
    dir: slot.dir,
    rootsDir: rootsDirOf(slot),
    capturedAt: entry.capturedAt,
    fromCache: x.fromCache,
    ...(x.fallback ? { fallback: x.fallback } : {}),
    ...(x.inputs !== undefined ? { inputs: x.inputs } : {}),
    nix: x.nix,
    diff: entry.diff,
    env,
    which: (program, base) => findOnPath(program, env(base).PATH),
    isIntact: () => isCacheUsable(slot),
    release,
  };
}

function assertShellNix(shellNix: string): void {
  let isFile = false;
  try {
    isFile = statSync(shellNix).isFile();
  } catch {
    /* reported below */
  }
  if (!isFile) {
    throw new AppError('NOT_FOUND', `The shell.nix ${shellNix} does not exist. Restore it, or point COLIMA_K8S_SHELL_NIX at the shell.nix to use.`);
  }
}

/** AppErrors from the capture already carry nix's error line and what to do. */
function describeFailure(e: unknown): string {
  if (isAppError(e)) return e.message;
  return `Evaluating shell.nix failed: ${e instanceof Error ? e.message : String(e)}.`;
}
