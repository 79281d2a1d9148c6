// "Collect nix garbage": the seed README's cleanup, made safe for the app.
// Releases only the app's stale GC roots (older environments of a shell.nix
// that no process of the app uses: cache-store.ts pruneStaleRoots), keeps the
// roots of the environment in use, then runs the seed's three commands, each with an
// argv array, from the folder nix-shell was found in:
//   nix-env --delete-generations old, nix-store --gc, nix-collect-garbage -d
// and reports the space nix says it freed. The kept environment survives
// because its outputs are rooted indirectly (nix-env.md §4); it is checked
// before (refuse when already unprotected) and after.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { nullLogger, type Logger } from '../log.js';
import type { NixTools, RootLink } from '../nix/index.js';
import { assertSucceeded, runCommand, type CommandResult, type RunOptions } from '../run.js';

export type RunCommandFn = (file: string, args: readonly string[], options?: RunOptions) => Promise<CommandResult>;

export interface CollectGarbageDeps {
  /** The located nix tools (locateNix); missing siblings are looked for next to nix-shell. */
  readonly nix: Pick<NixTools, 'nixShell'> & Partial<Pick<NixTools, 'nixStore' | 'nixEnv' | 'nixCollectGarbage'>>;
  /** The environment the nix commands run with (childBaseEnv of the app's env). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The GC roots of the environment(s) the app still uses: nix `currentRoots(environment)`. */
  readonly currentRoots: () => Promise<readonly RootLink[]> | readonly RootLink[];
  /** Releases the roots no process of the app needs: nix `pruneStaleRoots(cacheDir, [environment])`. Returns the released folders. */
  readonly pruneStaleRoots: () => readonly string[];
  readonly run?: RunCommandFn;
  readonly logger?: Logger;
  /** Per command. Default 30 minutes: a first GC of a large store takes long. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface GcStep {
  readonly argv: readonly string[];
  readonly durationMs: number;
  readonly pathsDeleted: number;
  readonly bytesFreed: number;
  readonly generationsRemoved: number;
}

export interface GcReport {
  readonly steps: readonly GcStep[];
  readonly pathsDeleted: number;
  readonly bytesFreed: number;
  readonly generationsRemoved: number;
  /** The root links that were kept (the app's environment). */
  readonly keptRoots: readonly string[];
  /** The app's folders of stale roots that were released. */
  readonly releasedRoots: readonly string[];
}

export const DEFAULT_GC_STEP_TIMEOUT_MS = 30 * 60_000;

/** The seed's commands, in its order, with the program name nix ships them as. */
export const GC_COMMANDS: readonly (readonly [program: 'nix-env' | 'nix-store' | 'nix-collect-garbage', ...args: string[]])[] = [
  ['nix-env', '--delete-generations', 'old'],
  ['nix-store', '--gc'],
  ['nix-collect-garbage', '-d'],
];

export async function collectNixGarbage(deps: CollectGarbageDeps): Promise<GcReport> {
  const logger = deps.logger ?? nullLogger;
  const run = deps.run ?? runCommand;
  const programs = locatePrograms(deps.nix);

  const kept = await deps.currentRoots();
  assertAlive(kept, 'before');
  const releasedRoots = [...deps.pruneStaleRoots()];
  for (const dir of releasedRoots) logger.log('info', `released stale GC roots: ${dir}`);
  assertAlive(kept, 'after releasing stale roots');
  logger.log('info', `keeping ${kept.length} GC roots: ${kept.map((r) => r.link).join(', ') || '(none: no environment is resolved yet)'}`);

  const steps: GcStep[] = [];
  for (const [program, ...args] of GC_COMMANDS) {
    const file = programs[program];
    const r = await run(file, args, {
      env: deps.env,
      timeoutMs: deps.timeoutMs ?? DEFAULT_GC_STEP_TIMEOUT_MS,
      signal: deps.signal,
      logger,
      onStdoutLine: (line) => logger.log('info', `${program}: ${line}`),
    });
    assertSucceeded(r, `\`${program} ${args.join(' ')}\``);
    const summary = parseGcOutput(`${r.stdout}\n${r.stderr}`);
    steps.push({ argv: [file, ...args], durationMs: r.durationMs, ...summary });
  }

  const lost = kept.filter((root) => !existsSync(root.target));
  if (lost.length) {
    // Cannot happen while the roots are intact; say so loudly if it ever does.
    throw new AppError('STORE_CORRUPT', `Garbage collection removed paths the app's environment needs (${lost.map((r) => r.target).join(', ')}). Reload the environment to rebuild them.`);
  }
  const report: GcReport = {
    steps,
    pathsDeleted: sum(steps, 'pathsDeleted'),
    bytesFreed: sum(steps, 'bytesFreed'),
    generationsRemoved: sum(steps, 'generationsRemoved'),
    keptRoots: kept.map((r) => r.link),
    releasedRoots,
  };
  logger.log('info', formatGcReport(report));
  return report;
}

function locatePrograms(nix: CollectGarbageDeps['nix']): Record<'nix-env' | 'nix-store' | 'nix-collect-garbage', string> {
  const dir = path.dirname(nix.nixShell);
  const pick = (given: string | undefined, name: string): string => {
    const file = given ?? path.join(dir, name);
    if (!existsSync(file)) {
      throw new AppError('NIX_NOT_FOUND', `${name} was not found next to ${nix.nixShell}, so garbage cannot be collected. Reinstall Nix, or run the command by hand.`);
    }
    return file;
  };
  return {
    'nix-env': pick(nix.nixEnv, 'nix-env'),
    'nix-store': pick(nix.nixStore, 'nix-store'),
    'nix-collect-garbage': pick(nix.nixCollectGarbage, 'nix-collect-garbage'),
  };
}

function assertAlive(roots: readonly RootLink[], when: string): void {
  const dead = roots.filter((r) => !existsSync(r.link) || !existsSync(r.target));
  if (dead.length === 0) return;
  throw new AppError(
    'CONFLICT',
    `Not collecting garbage: the environment the app uses is not fully protected (${when}: ${dead.map((r) => r.link).join(', ')} missing). ` +
      'Reload the environment first, so garbage collection cannot remove what it needs.',
  );
}

const UNIT: Record<string, number> = { B: 1, bytes: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 };

/**
 * Reads nix's summary line(s), e.g. `3 store paths deleted, 0.29 MiB freed`
 * (nix 2.8 always prints MiB; newer nix picks KiB/MiB/GiB), and the
 * `removing generation N` / `removing profile version N` lines of nix-env.
 */
export function parseGcOutput(text: string): { pathsDeleted: number; bytesFreed: number; generationsRemoved: number } {
  let pathsDeleted = 0;
  let bytesFreed = 0;
  for (const m of text.matchAll(/(\d+) store paths? deleted, ([\d.]+) ?(B|bytes|KiB|MiB|GiB|TiB) freed/g)) {
    pathsDeleted += Number(m[1]);
    bytesFreed += Math.round(Number(m[2]) * UNIT[m[3]!]!);
  }
  const generationsRemoved = [...text.matchAll(/removing (?:generation|profile version) \d+/g)].length;
  return { pathsDeleted, bytesFreed, generationsRemoved };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(2)} ${units[i]}`;
}

/** One line for the CLI, the tray notification and the log. */
export function formatGcReport(r: GcReport): string {
  const parts = [`Collected nix garbage: ${r.pathsDeleted} store path${r.pathsDeleted === 1 ? '' : 's'} deleted, ${formatBytes(r.bytesFreed)} freed`];
  if (r.generationsRemoved) parts.push(`${r.generationsRemoved} old profile generation${r.generationsRemoved === 1 ? '' : 's'} removed`);
  parts.push(r.keptRoots.length ? `the app's environment was kept (${r.keptRoots.length} GC roots)` : 'no app environment was resolved, so none was kept');
  if (r.releasedRoots.length) parts.push(`${r.releasedRoots.length} stale environment${r.releasedRoots.length === 1 ? '' : 's'} released`);
  return parts.join('; ') + '.';
}

function sum(steps: readonly GcStep[], key: 'pathsDeleted' | 'bytesFreed' | 'generationsRemoved'): number {
  return steps.reduce((n, s) => n + s[key], 0);
}
