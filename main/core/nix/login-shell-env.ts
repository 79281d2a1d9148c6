// Asks the user's login shell for its environment, the last resort when a GUI
// app (Finder, login item) got launchd's minimal PATH (nix-env.md §5). Done the
// way VS Code does it: run `$SHELL -ilc` with a command that prints
// process.env as JSON between random markers, with a timeout. The command text
// is a constant: the node binary and the marker travel in environment
// variables, never spliced into the script.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runCommand } from '../run.js';
import { nullLogger, type Logger } from '../log.js';

export type Env = Readonly<Record<string, string | undefined>>;

const NODE_VAR = '__CK8S_PROBE_NODE';
const MARK_VAR = '__CK8S_PROBE_MARK';

/**
 * Constant: works in sh, bash, zsh and fish (all expand "$VAR" in double
 * quotes). The probe's own variables are deleted before printing, or the
 * marker would also appear inside the JSON.
 */
export const LOGIN_SHELL_PROBE =
  `"$${NODE_VAR}" -e 'const m = process.env.${MARK_VAR}; delete process.env.${MARK_VAR}; delete process.env.${NODE_VAR}; ` +
  `process.stdout.write(m + JSON.stringify(process.env) + m)'`;

export interface LoginShellOptions {
  /** The login shell; default $SHELL, else /bin/zsh on macOS and /bin/bash elsewhere. */
  readonly shell?: string;
  /** Default 10 s, like VS Code: a slow rc file must not hang the app. */
  readonly timeoutMs?: number;
  /** A Node (or Electron, run as Node) binary; default process.execPath. */
  readonly nodePath?: string;
}

export interface ReadLoginShellEnvOptions extends LoginShellOptions {
  readonly env: Env;
  readonly platform?: NodeJS.Platform;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/** The login shell's environment, or undefined when it could not be read (never throws). */
export async function readLoginShellEnv(options: ReadLoginShellEnvOptions): Promise<Record<string, string> | undefined> {
  const logger = options.logger ?? nullLogger;
  const shell = pickShell(options);
  const mark = randomBytes(12).toString('hex');
  const env: Record<string, string | undefined> = {
    ...options.env,
    [NODE_VAR]: options.nodePath ?? process.execPath,
    [MARK_VAR]: mark,
    // Electron's binary behaves as plain Node with this set.
    ELECTRON_RUN_AS_NODE: '1',
    // Lets rc files skip heavy work, as they already do for VS Code.
    VSCODE_RESOLVING_ENVIRONMENT: '1',
    COLIMA_K8S_RESOLVING_ENVIRONMENT: '1',
    // oh-my-zsh would otherwise ask whether to update.
    DISABLE_AUTO_UPDATE: 'true',
  };
  // nix-daemon.sh does nothing when this is inherited, and we want its PATH (§5).
  delete env.__ETC_PROFILE_NIX_SOURCED;
  try {
    const r = await runCommand(shell, ['-ilc', LOGIN_SHELL_PROBE], {
      env,
      timeoutMs: options.timeoutMs ?? 10_000,
      signal: options.signal,
      logger,
    });
    // After a timeout the output is not trusted: an interactive shell ignores
    // SIGTERM, so it may still finish its rc files and print after the kill.
    const parsed = r.timedOut || r.cancelled ? undefined : parseProbeOutput(r.stdout, mark);
    if (!parsed) {
      logger.log('warn', `login shell ${shell} gave no environment (exit ${r.exitCode ?? r.signal}${r.timedOut ? ', timed out' : ''})`);
      return undefined;
    }
    for (const name of [NODE_VAR, MARK_VAR, 'ELECTRON_RUN_AS_NODE', 'VSCODE_RESOLVING_ENVIRONMENT', 'COLIMA_K8S_RESOLVING_ENVIRONMENT', 'DISABLE_AUTO_UPDATE']) {
      if (options.env[name] === undefined) delete parsed[name];
    }
    return parsed;
  } catch (e) {
    logger.log('warn', `could not ask the login shell ${shell}: ${String(e)}`);
    return undefined;
  }
}

function pickShell(options: ReadLoginShellEnvOptions): string {
  const candidate = options.shell ?? options.env.SHELL;
  // A relative $SHELL would be looked up on the very PATH we distrust.
  if (candidate && path.isAbsolute(candidate)) return candidate;
  return (options.platform ?? process.platform) === 'darwin' ? '/bin/zsh' : '/bin/bash';
}

/** The JSON object between the two markers (rc files may print anything around it). */
export function parseProbeOutput(stdout: string, mark: string): Record<string, string> | undefined {
  const start = stdout.indexOf(mark);
  const end = start < 0 ? -1 : stdout.indexOf(mark, start + mark.length);
  if (end < 0) return undefined;
  try {
    const value: unknown = JSON.parse(stdout.slice(start + mark.length, end));
    if (!value || typeof value !== 'object') return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return undefined;
  }
}
