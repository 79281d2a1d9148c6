// The nixpkgs pin next to a shell.nix (npins/niv style): `nix/nixpkgs-pin.json`
// names one revision of a release branch, its tarball URL and the sha256 nix
// checks it against (the NAR hash of the unpacked tree, as
// `nix-prefetch-url --unpack <url>` prints it). `nix/pinned-nixpkgs.nix`
// fetches it for shell.nix. `toolchain update` keeps the pin it replaces in
// `nixpkgs-pin.json.previous` (not *.json: not a cache-key input).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.js';
import { writeFileAtomically } from '../files.js';

export const PIN_DIR = 'nix';
export const PIN_FILE_NAME = 'nixpkgs-pin.json';
export const PREVIOUS_PIN_FILE_NAME = 'nixpkgs-pin.json.previous';
export const PINNED_NIXPKGS_NIX = 'pinned-nixpkgs.nix';

export interface NixpkgsPin {
  /** The release branch, e.g. `nixos-25.05`. */
  readonly branch: string;
  /** The git revision (40 hex digits). */
  readonly revision: string;
  /** The revision's date, `YYYY-MM-DD`, when known. */
  readonly date?: string;
  readonly url: string;
  /** base32 (nix-prefetch-url) or SRI `sha256-…`. */
  readonly sha256: string;
}

export interface PinFiles {
  readonly pin: string;
  readonly previous: string;
  readonly pinnedNix: string;
}

export function pinFiles(shellNix: string): PinFiles {
  const dir = path.join(path.dirname(path.resolve(shellNix)), PIN_DIR);
  return { pin: path.join(dir, PIN_FILE_NAME), previous: path.join(dir, PREVIOUS_PIN_FILE_NAME), pinnedNix: path.join(dir, PINNED_NIXPKGS_NIX) };
}

const SHA256_RE = /^(?:[0-9a-df-np-sv-z]{52}|sha256-[A-Za-z0-9+/]{43}=)$/;

/** What is wrong with a pin, or undefined. */
export function pinProblem(p: unknown): string | undefined {
  if (typeof p !== 'object' || p === null) return 'it is not a JSON object';
  const o = p as Record<string, unknown>;
  for (const k of ['branch', 'revision', 'url', 'sha256'] as const) if (typeof o[k] !== 'string' || o[k] === '') return `"${k}" is missing`;
  if (!SHA256_RE.test(o.sha256 as string)) return `"sha256" is not a sha256 (base32 as nix-prefetch-url --unpack prints it, or sha256-… SRI)`;
  if (o.date !== undefined && (typeof o.date !== 'string' || Number.isNaN(Date.parse(o.date)))) return `"date" is not a date`;
  return undefined;
}

/** The pin in `file`, undefined when there is none; AppError INVALID_INPUT when it is malformed. */
export function readPinFile(file: string): NixpkgsPin | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `The nixpkgs pin ${file} is not valid JSON (${(e as Error).message}). Restore it, or run colima-k8s toolchain rollback.`);
  }
  const problem = pinProblem(parsed);
  if (problem) throw new AppError('INVALID_INPUT', `The nixpkgs pin ${file} is not usable: ${problem}.`);
  return parsed as NixpkgsPin;
}

export function writePinFile(file: string, pin: NixpkgsPin): void {
  const { branch, revision, date, url, sha256 } = pin;
  writeFileAtomically(file, JSON.stringify({ branch, revision, ...(date ? { date } : {}), url, sha256 }, null, 2) + '\n');
}

/** The pin of this shell.nix, if it has one. */
export function readPin(shellNix: string): NixpkgsPin | undefined {
  return readPinFile(pinFiles(shellNix).pin);
}

/** Nix text without `#` line comments and block comments (good enough to look for `<nixpkgs>`). */
export function stripNixComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^'$])#.*$/gm, '$1');
}

/** True when the text (comments aside) looks something up in the search path, e.g. `<nixpkgs>`. */
export function usesSearchPath(text: string): boolean {
  return /<[A-Za-z0-9._+-]+(\/[^>\s]*)?>/.test(stripNixComments(text));
}

/**
 * Pinned: a pin file and a pinned-nixpkgs.nix next to shell.nix, and shell.nix
 * itself never reads `<nixpkgs>` (or any search path entry).
 */
export function isShellNixPinned(shellNix: string): boolean {
  const files = pinFiles(shellNix);
  if (!existsSync(files.pin) || !existsSync(files.pinnedNix)) return false;
  try {
    return !usesSearchPath(readFileSync(shellNix, 'utf8'));
  } catch {
    return false;
  }
}

/** Whole days from the pin's date to `now`; undefined without a date. */
export function pinAgeDays(pin: NixpkgsPin, now: Date): number | undefined {
  if (!pin.date) return undefined;
  const t = Date.parse(pin.date);
  return Number.isNaN(t) ? undefined : Math.floor((now.getTime() - t) / 86_400_000);
}
