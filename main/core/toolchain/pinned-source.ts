// Fetches (or finds in the store) the pinned nixpkgs source of a shell.nix, so
// nix-shell's own `<nixpkgs>` lookups (its bash: nix-env.md §2) use the pin too
// instead of the user's channels. One nix-instantiate call; nothing is
// downloaded when the fixed-output path is already in the store.
import { existsSync } from 'node:fs';
import { AppError } from '../errors.js';
import { nullLogger } from '../log.js';
import type { NixCallOptions } from '../nix/gc-roots.js';
import { runNix, tail } from '../nix/run-nix.js';
import { pinFiles, readPin } from './pin.js';

/** The store path of the pinned nixpkgs, or undefined when the shell.nix has no pin. Throws a clear AppError when the fetch fails. */
export async function fetchPinnedNixpkgs(shellNix: string, o: NixCallOptions): Promise<string | undefined> {
  const files = pinFiles(shellNix);
  if (!existsSync(files.pinnedNix)) return undefined;
  const pin = readPin(shellNix);
  if (!pin) return undefined;
  const r = await runNix(o.nix.nixInstantiate, ['--eval', '--read-write-mode', '--json', files.pinnedNix], {
    env: o.env,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    logger: o.logger ?? nullLogger,
  });
  if (r.exitCode === 0) {
    const storePath: unknown = JSON.parse(r.stdout.trim() || 'null');
    if (typeof storePath === 'string' && storePath.startsWith('/')) return storePath;
  }
  const logTail = tail(r.stderr);
  if (r.cancelled) throw new AppError('CANCELLED', 'Fetching the pinned nixpkgs was cancelled.', { logTail });
  if (r.timedOut) throw new AppError('TIMEOUT', `Fetching the pinned nixpkgs (${pin.url}) did not finish in time; try again.`, { logTail });
  throw new AppError('NIX_EVAL_FAILED', `${pinFailureText(pin.url, r.stderr)} (pin: ${files.pin})`, { logTail });
}

/** One sentence naming what went wrong with the pinned tarball and what to do. */
export function pinFailureText(url: string, stderr: string): string {
  if (/hash mismatch|got:\s+sha256/i.test(stderr)) {
    const got = /got:\s*(\S+)/.exec(stderr)?.[1];
    return (
      `The pinned nixpkgs ${url} does not match the sha256 in its pin${got ? ` (nix computed ${got})` : ''}: ` +
      'the pin file was edited or the download is not what it names. Run colima-k8s toolchain rollback, or fix the sha256.'
    );
  }
  if (/unable to download|Couldn't resolve|Could not resolve|couldn't connect|404|not found/i.test(stderr))
    return `The pinned nixpkgs ${url} could not be downloaded (offline?). Connect to the network and try again; the last environment stays in use meanwhile.`;
  const last = tail(stderr).filter((l) => /error/i.test(l)).at(-1) ?? tail(stderr).at(-1) ?? 'no message';
  return `Fetching the pinned nixpkgs ${url} failed: ${last}.`;
}
