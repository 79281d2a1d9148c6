// Parsers for what colima prints on stdout: `status --json`, `list --json` and
// `version`. Each throws AppError COMMAND_FAILED with a message that says what
// was expected when the output has another shape. Pure apart from AppError.
import { AppError } from '../errors.js';
import type { ColimaInstance, ColimaStatus } from './client-api.js';

type Json = Record<string, unknown>;

const str = (o: Json, k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
const num = (o: Json, k: string): number | undefined => (typeof o[k] === 'number' && Number.isFinite(o[k]) ? (o[k] as number) : undefined);

function unexpected(what: string, output: string, hint: string): AppError {
  const shown = output.trim().slice(0, 200) || '(nothing)';
  return new AppError('COMMAND_FAILED', `${what} printed output this app does not understand: ${shown}. ${hint}`, {
    logTail: output.trim().split('\n').slice(-5),
  });
}

function parseObject(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `colima status --json`: one compact object on one line (colima-cli §5).
 * `memory` and `disk` are bytes; `disk` is the data-disk size, not usage;
 * `ip_address` and the socket fields are omitted when empty.
 */
export function parseStatusJson(stdout: string): ColimaStatus {
  const o = parseObject(stdout.trim());
  const displayName = o && str(o, 'display_name');
  if (!o || !displayName) {
    throw unexpected('colima status --json', stdout, 'colima 0.8.1 or newer is needed (status --json).');
  }
  const status: ColimaStatus = {
    displayName,
    driver: str(o, 'driver'),
    arch: str(o, 'arch'),
    runtime: str(o, 'runtime'),
    kubernetes: o.kubernetes === true,
    cpus: num(o, 'cpu'),
    memoryBytes: num(o, 'memory'),
    diskBytes: num(o, 'disk'),
    ipAddress: str(o, 'ip_address'),
  };
  return dropUndefined(status);
}

/**
 * `colima list --json` is NDJSON, one object per instance, NOT an array; no
 * instances means no output at all; every field is omitempty (colima-cli §6).
 * An entry without a name cannot be addressed and is skipped.
 */
export function parseListJson(stdout: string): ColimaInstance[] {
  const instances: ColimaInstance[] = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text) continue;
    const o = parseObject(text);
    if (!o) throw unexpected('colima list --json', stdout, 'Expected one JSON object per line (colima 0.5 or newer).');
    const name = str(o, 'name');
    if (!name) continue;
    instances.push(
      dropUndefined({
        name,
        status: str(o, 'status'),
        arch: str(o, 'arch'),
        cpus: num(o, 'cpus'),
        memoryBytes: num(o, 'memory'),
        diskBytes: num(o, 'disk'),
        address: str(o, 'address'),
        runtime: str(o, 'runtime'),
      }),
    );
  }
  return instances;
}

/**
 * `colima version`: `colima version v0.10.3` (GitHub builds) or `colima version 0.10.1`
 * (nixpkgs, Homebrew), then `git commit: <rev>`, then runtime details when the
 * default profile runs (colima-cli §9, §14.12). The version is returned without
 * the leading `v` so both forms compare alike.
 */
export function parseVersion(stdout: string): { readonly version: string; readonly commit?: string } {
  const version = /^colima version (\S+)\s*$/m.exec(stdout)?.[1];
  if (!version) throw unexpected('colima version', stdout, 'Is the program on PATH really colima?');
  const commit = /^git commit: (\S+)\s*$/m.exec(stdout)?.[1];
  return { version: version.replace(/^v(?=\d)/, ''), ...(commit ? { commit } : {}) };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
