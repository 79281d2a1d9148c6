// "Open a terminal in the nix environment": an interactive `nix-shell <shell.nix>`
// in the user's terminal, so `colima`, `kubectl` and `docker` there are the
// app's pinned ones. Linux gets a real argv (every terminal below takes the
// program and its arguments as separate words). macOS Terminal.app can only
// open a file, so it gets a `.command` script; the two paths in it are
// single-quoted by shellQuote, the one place data becomes shell text.
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
import { nullLogger, type Logger } from '../log.js';
import { runCommand, type CommandResult, type RunOptions } from '../run.js';
import { shellQuote } from './shell-quote.js';

export interface TerminalCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** macOS: the script Terminal.app opens (written before launching). */
  readonly script?: { readonly path: string; readonly content: string };
  /** Variables the terminal's shell gets on top of the caller's (Linux; macOS has them in the script). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface TerminalRequest {
  readonly platform: NodeJS.Platform;
  /** Absolute nix-shell (locateNix: a GUI app's PATH may not have it). */
  readonly nixShell: string;
  /** Absolute shell.nix. */
  readonly shellNix: string;
  /** Reads TERMINAL (Linux). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** macOS: where the `.command` script is written, e.g. `<appHome>/terminal`. */
  readonly scriptDir: string;
  /** Finds a program on PATH (Linux). */
  readonly which: (program: string) => string | undefined;
  /** The active profile's colima instance: the shell's `docker` wrapper names it (COLIMA_K8S_PROFILE). */
  readonly profile?: string;
}

/** The variable shell.nix's `docker` wrapper reads the colima profile from. */
export const PROFILE_VARIABLE = 'COLIMA_K8S_PROFILE';

/** Tried in order after $TERMINAL: the Debian alternative, then the common desktops' own. */
export const LINUX_TERMINALS = ['x-terminal-emulator', 'gnome-terminal', 'konsole', 'xterm'] as const;

export const MAC_SCRIPT_NAME = 'nix-shell.command';

export function buildTerminalCommand(req: TerminalRequest): TerminalCommand {
  for (const p of [req.nixShell, req.shellNix]) {
    // Absolute paths also mean neither can be read as an option (a leading '-').
    if (!path.isAbsolute(p)) throw new AppError('INVALID_INPUT', `Expected an absolute path, got "${p}".`);
  }
  const cwd = path.dirname(req.shellNix);
  if (req.platform === 'darwin') return macCommand(req, cwd);
  if (req.platform === 'linux') {
    const cmd = linuxCommand(req, cwd);
    return req.profile ? { ...cmd, env: { [PROFILE_VARIABLE]: req.profile } } : cmd;
  }
  throw new AppError('INVALID_INPUT', `Opening a terminal is supported on macOS and Linux, not ${req.platform}. Run \`nix-shell ${req.shellNix}\` yourself.`);
}

/** The `.command` script: cd next to shell.nix, then become nix-shell. */
export function macScript(nixShell: string, shellNix: string, profile?: string): string {
  return [
    '#!/bin/sh',
    '# Written by colima-k8s-nix: a shell in the app\'s nix environment.',
    `cd -- ${shellQuote(path.dirname(shellNix))} || exit 1`,
    ...(profile ? [`${PROFILE_VARIABLE}=${shellQuote(profile)}; export ${PROFILE_VARIABLE}`] : []),
    `exec ${shellQuote(nixShell)} ${shellQuote(shellNix)}`,
    '',
  ].join('\n');
}

function macCommand(req: TerminalRequest, cwd: string): TerminalCommand {
  const scriptPath = path.join(req.scriptDir, MAC_SCRIPT_NAME);
  return { file: '/usr/bin/open', args: ['-a', 'Terminal', scriptPath], cwd, script: { path: scriptPath, content: macScript(req.nixShell, req.shellNix, req.profile) } };
}

function linuxCommand(req: TerminalRequest, cwd: string): TerminalCommand {
  const program = [req.nixShell, req.shellNix];
  const candidates = [...(req.env.TERMINAL ? [req.env.TERMINAL] : []), ...LINUX_TERMINALS];
  for (const name of candidates) {
    const file = req.which(name);
    if (!file) continue;
    const base = path.basename(file);
    // gnome-terminal dropped -e semantics for `--`; konsole's -e takes every
    // word after it; x-terminal-emulator (Debian policy 11.8.3), xterm and
    // most $TERMINALs take `-e program args...`.
    if (base === 'gnome-terminal') return { file, args: [`--working-directory=${cwd}`, '--', ...program], cwd };
    if (base === 'konsole') return { file, args: ['--workdir', cwd, '-e', ...program], cwd };
    return { file, args: ['-e', ...program], cwd };
  }
  throw new AppError(
    'NOT_FOUND',
    `No terminal program was found (looked for ${candidates.join(', ')}). Set TERMINAL to your terminal, or run \`nix-shell ${req.shellNix}\` in one.`,
  );
}

/** Writes the macOS script atomically, readable and runnable by the user only. */
export function writeTerminalScript(script: NonNullable<TerminalCommand['script']>): void {
  writeFileAtomically(script.path, script.content, { mode: 0o700 });
}

export interface LaunchOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly run?: (file: string, args: readonly string[], options?: RunOptions) => Promise<CommandResult>;
  /** How long to watch for an early failure. Default 1.5 s. */
  readonly settleMs?: number;
  readonly logger?: Logger;
}

// setTimeout's ceiling: a terminal like xterm runs until the user closes it.
const NO_TIMEOUT_MS = 2_147_483_647;

/**
 * Writes the script (macOS) and starts the terminal. `open` and gnome-terminal
 * return at once; xterm-like terminals keep running, which is fine: only an
 * early non-zero exit counts as a failure.
 */
export async function launchTerminal(cmd: TerminalCommand, options: LaunchOptions = {}): Promise<void> {
  const logger = options.logger ?? nullLogger;
  if (cmd.script) writeTerminalScript(cmd.script);
  const run = options.run ?? runCommand;
  const env = cmd.env ? { ...(options.env ?? process.env), ...cmd.env } : options.env;
  const running = run(cmd.file, cmd.args, { cwd: cmd.cwd, env, timeoutMs: NO_TIMEOUT_MS, logger });
  running.catch(() => {}); // observed below; the terminal may outlive this call
  const early = await Promise.race([running, delay(options.settleMs ?? 1_500, undefined, { ref: false })]);
  if (early && early.exitCode !== 0) {
    const tail = early.stderr.split('\n').filter(Boolean).slice(-3);
    throw new AppError('COMMAND_FAILED', `The terminal (${cmd.file}) could not be opened (exit ${early.exitCode ?? early.signal}): ${tail.join(' ') || 'no message'}.`, { logTail: tail });
  }
}
