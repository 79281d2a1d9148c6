// `toolchain update` and `toolchain rollback`: move the nixpkgs pin to the
// newest revision of its release branch (from an injectable source), keeping
// the replaced pin for rollback. The new pin is written only after its tarball
// was downloaded and hashed (nix-prefetch-url --unpack), so an offline or
// failing fetch leaves the old pin untouched.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import { findOnPath } from '../executables.js';
import { nullLogger } from '../log.js';
import type { NixCallOptions } from '../nix/gc-roots.js';
import { runNix, tail } from '../nix/run-nix.js';
import { pinFiles, readPinFile, writePinFile, type NixpkgsPin } from './pin.js';
import { fetchPinnedNixpkgs } from './pinned-source.js';
import { toolVersions, TOOLS, type ToolVersions } from './versions.js';

/** The channel's current revision as plain text (the default source). `{branch}` is replaced. */
export const DEFAULT_REVISION_URL = 'https://channels.nixos.org/{branch}/git-revision';
export const DEFAULT_TARBALL_URL = 'https://github.com/NixOS/nixpkgs/archive/{revision}.tar.gz';

export interface LatestRevision {
  readonly revision: string;
  readonly date?: string;
  readonly url?: string;
}

/** Where the newest revision of a branch comes from. */
export interface RevisionSource {
  latest(branch: string, signal?: AbortSignal): Promise<LatestRevision>;
}

const REV_RE = /^[0-9a-f]{40}$/;

/**
 * A source at `urlTemplate` (http(s) or file): plain text holding the revision
 * (nixos channels' `git-revision`), or JSON `{ revision, date?, url? }`.
 */
export function urlRevisionSource(urlTemplate = DEFAULT_REVISION_URL, tarballTemplate = DEFAULT_TARBALL_URL, timeoutMs = 30_000): RevisionSource {
  return {
    async latest(branch, signal) {
      const url = urlTemplate.replaceAll('{branch}', encodeURIComponent(branch));
      let text: string;
      try {
        if (url.startsWith('file:')) text = await readFile(fileURLToPath(url), 'utf8');
        else {
          const timeout = AbortSignal.timeout(timeoutMs);
          const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          text = await res.text();
        }
      } catch (e) {
        throw new AppError('COMMAND_FAILED', `Could not read the newest ${branch} revision from ${url} (${(e as Error).message}; offline?). The pin was not changed.`);
      }
      const trimmed = text.trim();
      const parsed: Partial<LatestRevision> = trimmed.startsWith('{') ? (JSON.parse(trimmed) as Partial<LatestRevision>) : { revision: trimmed };
      if (typeof parsed.revision !== 'string' || !REV_RE.test(parsed.revision))
        throw new AppError('COMMAND_FAILED', `${url} did not give a git revision (got "${trimmed.slice(0, 60)}"). The pin was not changed.`);
      return { revision: parsed.revision, ...(parsed.date ? { date: parsed.date } : {}), url: parsed.url ?? tarballTemplate.replaceAll('{revision}', parsed.revision) };
    },
  };
}

export interface PinChange {
  readonly from: NixpkgsPin;
  readonly to: NixpkgsPin;
  readonly fromVersions: ToolVersions;
  readonly toVersions: ToolVersions;
  /** Nothing to do: already the newest revision. */
  readonly unchanged: boolean;
}

export interface UpdateOptions extends NixCallOptions {
  readonly source: RevisionSource;
  /** Today, for a pin whose source gives no date. */
  readonly now?: Date;
}

/** `toolchain update`: see the file comment. */
export async function updatePin(shellNix: string, o: UpdateOptions): Promise<PinChange> {
  const files = pinFiles(shellNix);
  const from = requirePin(files.pin);
  const latest = await o.source.latest(from.branch, o.signal);
  const fromVersions = await versionsOf(shellNix, o);
  if (latest.revision === from.revision) return { from, to: from, fromVersions, toVersions: fromVersions, unchanged: true };
  const url = latest.url ?? DEFAULT_TARBALL_URL.replaceAll('{revision}', latest.revision);
  const { sha256, storePath } = await prefetch(url, o);
  const to: NixpkgsPin = { branch: from.branch, revision: latest.revision, date: latest.date ?? (o.now ?? new Date()).toISOString().slice(0, 10), url, sha256 };
  const toVersions = await toolVersions(storePath, o);
  writePinFile(files.previous, from);
  writePinFile(files.pin, to);
  return { from, to, fromVersions, toVersions, unchanged: false };
}

/** `toolchain rollback`: the previous pin becomes current (and the current one previous, so a second rollback redoes). */
export function rollbackPin(shellNix: string): { readonly from: NixpkgsPin; readonly to: NixpkgsPin } {
  const files = pinFiles(shellNix);
  const from = requirePin(files.pin);
  if (!existsSync(files.previous)) throw new AppError('NOT_FOUND', `There is no previous nixpkgs pin to roll back to (${files.previous}).`);
  const to = readPinFile(files.previous)!;
  writePinFile(files.pin, to);
  writePinFile(files.previous, from);
  return { from, to };
}

/** The versions the current pin provides (fetching it if needed); all undefined when that fails. */
export async function versionsOf(shellNix: string, o: NixCallOptions): Promise<ToolVersions> {
  const source = await fetchPinnedNixpkgs(shellNix, o).catch(() => undefined);
  return source ? toolVersions(source, o) : { colima: undefined, lima: undefined, kubectl: undefined };
}

/** The lines `toolchain update` prints: the revision move, then each tool's versions. */
export function describeChange(c: PinChange): string[] {
  const rev = (p: NixpkgsPin): string => `${p.revision.slice(0, 12)}${p.date ? ` (${p.date})` : ''}`;
  if (c.unchanged) return [`nixpkgs ${c.from.branch} is already at the newest revision ${rev(c.from)}.`];
  return [
    `nixpkgs ${c.from.branch}: ${rev(c.from)} -> ${rev(c.to)}`,
    ...TOOLS.map((t) => {
      const a = c.fromVersions[t] ?? 'unknown';
      const b = c.toVersions[t] ?? 'unknown';
      return `  ${t}: ${a === b ? `${a} (unchanged)` : `${a} -> ${b}`}`;
    }),
  ];
}

function requirePin(file: string): NixpkgsPin {
  const pin = readPinFile(file);
  if (!pin) throw new AppError('NOT_FOUND', `This shell.nix has no nixpkgs pin (${file}); there is nothing to update. Pin one (see nix/nixpkgs-pin.json in the app) or manage your nixpkgs yourself.`);
  return pin;
}

/** nix-prefetch-url next to nix-instantiate or nix-collect-garbage (locateNix does not look for it), else on PATH. */
function prefetchTool(o: NixCallOptions): string {
  const dirs = [o.nix.nixInstantiate, o.nix.nixCollectGarbage, o.nix.nixShell].filter((f): f is string => !!f).map((f) => path.dirname(f));
  const found = dirs.map((d) => path.join(d, 'nix-prefetch-url')).find((f) => existsSync(f));
  return found ?? findOnPath('nix-prefetch-url', o.env.PATH) ?? 'nix-prefetch-url';
}

async function prefetch(url: string, o: NixCallOptions): Promise<{ sha256: string; storePath: string }> {
  const tool = prefetchTool(o);
  const r = await runNix(tool, ['--unpack', '--print-path', url], { env: o.env, timeoutMs: o.timeoutMs, signal: o.signal, logger: o.logger ?? nullLogger });
  const [sha256, storePath] = r.stdout.trim().split('\n').slice(-2);
  if (r.exitCode !== 0 || !sha256 || !storePath) {
    if (r.cancelled) throw new AppError('CANCELLED', 'The update was cancelled. The pin was not changed.');
    const last = tail(r.stderr).filter((l) => /error/i.test(l)).at(-1) ?? tail(r.stderr).at(-1) ?? 'no message';
    throw new AppError('COMMAND_FAILED', `Downloading ${url} failed (${last}; offline?). The pin was not changed.`, { logTail: tail(r.stderr) });
  }
  return { sha256, storePath };
}
