// Indirect GC roots that keep a cached environment alive through
// `nix-collect-garbage -d` (nix-env.md §4 "These roots worked"). Rooting the
// .drv alone is not enough with the default keep-outputs = false: the input
// derivations' OUTPUTS must be rooted too, and so must every store path on the
// captured PATH (nix-shell's own bash comes from <nixpkgs>, not from the drv).
// Each root is a symlink in the cache folder plus a link to it in
// /nix/var/nix/gcroots/auto; deleting the folder releases it at the next GC.
import { existsSync, lutimesSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { nullLogger, type Logger } from '../log.js';
import { runNix, throwUnlessSucceeded, type NixRunOptions } from './run-nix.js';
import { instantiateArgs, type NixInvocation } from './invocation.js';
import type { NixTools } from './locate-nix.js';
import type { Env } from './login-shell-env.js';

export interface NixCallOptions {
  readonly nix: NixTools;
  readonly env: Env;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** nix's stderr lines (progress.ts) and the stall watchdog (run-nix.ts), for every call. */
  readonly watch?: Pick<NixRunOptions, 'onStderrLine' | 'stallMs' | 'timers'>;
}

export interface RootLink {
  /** The symlink in the cache folder. */
  readonly link: string;
  /** The store path it points at. */
  readonly target: string;
  readonly alive: boolean;
}

export const SHELL_DRV_ROOT = 'shell.drv';

/** Evaluates shell.nix into a store derivation rooted at `<rootsDir>/shell.drv`; returns the .drv store path. */
export async function instantiateRooted(shellNix: string, invocation: NixInvocation, rootsDir: string, o: NixCallOptions): Promise<string> {
  const root = path.join(rootsDir, SHELL_DRV_ROOT);
  const r = await runNix(o.nix.nixInstantiate, [...instantiateArgs(shellNix, invocation), '--add-root', root, '--indirect'], {
    env: o.env,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    logger: o.logger ?? nullLogger,
    ...o.watch,
  });
  throwUnlessSucceeded(r, `Evaluating ${shellNix}`);
  // Prints the root's path, not the store path (§4): follow the link.
  const drv = readlinkSync(root);
  if (!drv.endsWith('.drv')) throw new Error(`nix-instantiate rooted ${drv}, not a .drv: is ${shellNix} a single derivation? Use -A to pick one.`);
  return drv;
}

/** Builds (or finds) the outputs of the input derivations and roots them as `<rootsDir>/input*`. */
export async function realiseInputsRooted(drvPath: string, rootsDir: string, o: NixCallOptions): Promise<void> {
  const q = await runNix(o.nix.nixStore, ['--query', '--references', drvPath], { env: o.env, timeoutMs: o.timeoutMs, signal: o.signal, logger: o.logger, ...o.watch });
  throwUnlessSucceeded(q, `Reading the inputs of ${drvPath}`);
  const inputDrvs = q.stdout.split('\n').map((l) => l.trim()).filter((l) => l.endsWith('.drv'));
  await realiseRooted(inputDrvs, path.join(rootsDir, 'input'), 'Building the environment', o);
}

/** Roots store paths that are already valid (the captured PATH) as `<rootsDir>/path*`. */
export async function rootStorePaths(storePaths: readonly string[], rootsDir: string, o: NixCallOptions): Promise<void> {
  await realiseRooted(storePaths, path.join(rootsDir, 'path'), 'Protecting the environment from garbage collection', o);
}

async function realiseRooted(paths: readonly string[], root: string, what: string, o: NixCallOptions): Promise<void> {
  if (paths.length === 0) return;
  // nix-store names the roots root, root-2, … in argument order.
  const r = await runNix(o.nix.nixStore, ['--realise', ...paths, '--add-root', root, '--indirect'], {
    env: o.env,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    logger: o.logger,
    ...o.watch,
  });
  throwUnlessSucceeded(r, what);
}

/** The top-level store path (`/nix/store/<hash>-<name>`) of each entry inside the store. */
export function topLevelStorePaths(entries: readonly string[], storeDir = '/nix/store'): string[] {
  const prefix = storeDir.endsWith('/') ? storeDir : storeDir + '/';
  const out = new Set<string>();
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const name = e.slice(prefix.length).split('/')[0];
    if (name) out.add(prefix + name);
  }
  return [...out];
}

/**
 * Sets the mtime of every root link in `rootsDir` to now (the links
 * themselves, not their store paths): tools that clean up old GC roots by age
 * then leave an environment in use alone. Best effort.
 */
export function touchRootLinks(rootsDir: string, now = new Date()): void {
  for (const { link } of listRootLinks(rootsDir)) {
    try {
      lutimesSync(link, now, now);
    } catch {
      /* read-only or vanished: nothing to protect */
    }
  }
}

/** Every root link in `rootsDir` and whether its store path still exists. */
export function listRootLinks(rootsDir: string): RootLink[] {
  let names: string[];
  try {
    names = readdirSync(rootsDir);
  } catch {
    return [];
  }
  const out: RootLink[] = [];
  for (const name of names.sort()) {
    const link = path.join(rootsDir, name);
    try {
      const target = readlinkSync(link);
      out.push({ link, target, alive: existsSync(link) });
    } catch {
      /* not a link: not ours */
    }
  }
  return out;
}

/**
 * The shell.drv root, a root for each of `rootedPaths` (the store paths the
 * environment puts on PATH, rooted by rootStorePaths: so at least one more
 * root whenever the environment adds anything), and every link alive. A roots
 * folder that lost some links (deleted by hand, a half-removed folder) is not
 * intact even when the links left all point at existing paths.
 */
export function rootsIntact(rootsDir: string, rootedPaths: readonly string[]): boolean {
  const links = listRootLinks(rootsDir);
  if (!links.some((l) => path.basename(l.link) === SHELL_DRV_ROOT) || !links.every((l) => l.alive)) return false;
  const targets = new Set(links.map((l) => l.target));
  return rootedPaths.every((p) => targets.has(p));
}
