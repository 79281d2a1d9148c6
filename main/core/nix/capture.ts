// Captures a nix-shell's environment once (nix-env.md §3): nix-shell runs a
// CONSTANT script that writes every exported variable as NAME=VALUE\0 to fd 3,
// which it opens on a file whose name comes in an environment variable. No data
// is ever spliced into the script, and shellHook output (stdout/stderr) cannot
// corrupt the dump.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { nullLogger, type Logger } from '../log.js';
import { runNix, tail, throwUnlessSucceeded } from './run-nix.js';
import { shellArgs, type NixInvocation } from './invocation.js';
import type { NixTools } from './locate-nix.js';
import type { NixCallOptions } from './gc-roots.js';
import type { Env } from './login-shell-env.js';
import { parseEnvDump } from './env-diff.js';

/** The variable holding the dump file's name; --kept under --pure, dropped from the result. */
export const DUMP_FILE_VARIABLE = 'COLIMA_K8S_NIX_ENV_DUMP';
/** The dump loop's own variable, dropped from the result. */
export const DUMP_LOOP_VARIABLE = '__ck8s_n';

/** Bash builtins only, so it works under --pure and without `env -0` (§3). */
export const ENV_DUMP_SCRIPT =
  `exec 3>"$${DUMP_FILE_VARIABLE}" || exit 97; ` +
  `for ${DUMP_LOOP_VARIABLE} in $(compgen -e); do printf '%s=%s\\0' "$${DUMP_LOOP_VARIABLE}" "\${!${DUMP_LOOP_VARIABLE}}"; done >&3`;

export interface CaptureOptions {
  readonly nix: NixTools;
  /** A store derivation (or a GC root link to one): nix-shell then evaluates nothing. */
  readonly drvPath: string;
  readonly invocation: NixInvocation;
  /** The complete environment nix-shell starts with. */
  readonly env: Env;
  /** A folder for the dump file (the cache folder). */
  readonly workDir: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** nix's progress lines and the stall watchdog (gc-roots.ts NixCallOptions). */
  readonly watch?: NixCallOptions['watch'];
}

/** The environment as nix-shell's bash exports it, without the dump's own variables. */
export async function captureShellEnvironment(options: CaptureOptions): Promise<Record<string, string>> {
  const logger = options.logger ?? nullLogger;
  const tmp = await mkdtemp(path.join(options.workDir, 'dump-'));
  const dumpFile = path.join(tmp, 'env');
  try {
    const r = await runNix(options.nix.nixShell, [...shellArgs(options.drvPath, options.invocation, [DUMP_FILE_VARIABLE]), '--run', ENV_DUMP_SCRIPT], {
      env: { ...options.env, [DUMP_FILE_VARIABLE]: dumpFile },
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      logger,
      ...options.watch,
    });
    throwUnlessSucceeded(r, 'Starting the nix shell');
    const dump = await readFile(dumpFile, 'utf8').catch(() => '');
    const env = parseEnvDump(dump);
    if (env.PATH === undefined) {
      throw new AppError('NIX_EVAL_FAILED', 'The nix shell started but printed no environment: does its shellHook call `exit`? Remove that from shell.nix.', {
        logTail: tail(r.stderr),
      });
    }
    delete env[DUMP_FILE_VARIABLE];
    delete env[DUMP_LOOP_VARIABLE];
    return env;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
