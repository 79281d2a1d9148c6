// Runs one nix tool (through runCommand, the one spawn point) and turns its
// failure into the error the user sees.
//
// Nix 2.8 clients register temporary GC roots through the garbage collector's
// socket while a GC runs; when the GC exits mid-conversation the client can die
// of SIGPIPE (NixOS/nix#5149 review, #7370). Measured here: nix-shell killed by
// SIGPIPE while `nix-collect-garbage -d` ran in parallel. Before 2.15 a client
// could also fail with "cannot connect to socket at '…/gc-socket/socket'"
// (#7370). Every call made here is idempotent (evaluate, realise, query, dump),
// so it is simply run again.
import { AppError } from '../errors.js';
import { nullLogger } from '../log.js';
import { runCommand, type CommandResult, type RunOptions } from '../run.js';

const ATTEMPTS = 3;

/** Failed because a garbage collection ran at the same moment, not because of the input. */
export function isConcurrentGcFailure(r: CommandResult): boolean {
  if (r.cancelled || r.timedOut || r.exitCode === 0) return false;
  return r.signal === 'SIGPIPE' || /gc-socket\/socket/.test(r.stderr);
}

export async function runNix(file: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  let r = await runCommand(file, args, options);
  for (let attempt = 1; attempt < ATTEMPTS && isConcurrentGcFailure(r); attempt++) {
    (options.logger ?? nullLogger).log('warn', `${file} failed (${r.signal ?? `exit ${r.exitCode}`}) while a garbage collection ran; running it again`);
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    r = await runCommand(file, args, options);
  }
  return r;
}

/** Maps a failed nix call to the error the user sees, with nix's last stderr lines. */
export function throwUnlessSucceeded(r: CommandResult, what: string): void {
  if (r.exitCode === 0) return;
  const logTail = tail(r.stderr);
  if (r.cancelled) throw new AppError('CANCELLED', `${what} was cancelled.`, { logTail });
  if (r.timedOut) throw new AppError('TIMEOUT', `${what} did not finish in time (downloads may be slow); try again, or raise the timeout.`, { logTail });
  const last = logTail.filter((l) => /error/i.test(l)).at(-1) ?? logTail.at(-1) ?? '';
  throw new AppError('NIX_EVAL_FAILED', `${what} failed (exit ${r.exitCode ?? r.signal})${last ? `: ${last}` : ''}. ${evalFailureAdvice(r.stderr)}`, {
    logTail,
  });
}

/**
 * What to do about a failed evaluation. A missing `<nixpkgs>` is the usual
 * first-run failure of a GUI app: no channel yet (flakes-only installs), or a
 * NIX_PATH that only the login shell sets (nix-env.md §5).
 */
export function evalFailureAdvice(stderr: string): string {
  if (/file 'nixpkgs' was not found in the Nix search path/.test(stderr))
    return (
      'Nix has no <nixpkgs>: add a channel (nix-channel --add https://nixos.org/channels/nixpkgs-unstable nixpkgs && nix-channel --update), ' +
      'set NIX_PATH=nixpkgs=<path or tarball URL>, or pin nixpkgs inside shell.nix; then try again.'
    );
  return 'Fix shell.nix (see the log lines), then reload the environment.';
}

export function tail(stderr: string, lines = 12): string[] {
  return stderr.split('\n').map((l) => l.trimEnd()).filter(Boolean).slice(-lines);
}
