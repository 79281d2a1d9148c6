// One log file per operation (start, stop, teardown, gc, ...) in
// `<appHome>/logs`, named so that names sort by time:
//   2026-08-21T10-15-30-123Z-start-dev.log
// Only the newest N are kept. Files that do not follow the pattern are never
// touched, so a log a person saved there (or anything else) is safe.
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileLogger, formatLogLine, type Logger } from '../log.js';

export const DEFAULT_KEEP_LOGS = 50;

const LOG_RE = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[a-z0-9]+(?:-[a-z0-9]+)*(?:\.\d+)?\.log$/;

export interface OperationLog {
  readonly file: string;
  readonly logger: Logger;
}

export interface OperationLogOptions {
  readonly now?: Date;
  /** How many operation logs to keep, this one included. Default 50. */
  readonly keep?: number;
}

/** `start dev` → `start-dev`: lower-case letters, digits and single hyphens, at most 60 characters. */
export function operationSlug(operation: string): string {
  const slug = operation
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'operation';
}

export function operationLogName(operation: string, now: Date, attempt = 0): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${stamp}-${operationSlug(operation)}${attempt ? `.${attempt}` : ''}.log`;
}

/**
 * Creates a new log file for one operation (never appends to another's: the
 * name is claimed with O_EXCL) and prunes the oldest beyond `keep`.
 */
export function createOperationLog(logsDir: string, operation: string, options: OperationLogOptions = {}): OperationLog {
  const now = options.now ?? new Date();
  const file = claimFile(logsDir, operation, now);
  const logger = fileLogger(file);
  pruneLogs(logsDir, options.keep ?? DEFAULT_KEEP_LOGS, file);
  return { file, logger };
}

function claimFile(logsDir: string, operation: string, now: Date): string {
  mkdirSync(logsDir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const file = path.join(logsDir, operationLogName(operation, now, attempt));
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 1000) continue;
      throw e;
    }
    // The header line is the first thing a reader sees.
    try {
      writeSync(fd, formatLogLine('info', `operation: ${operation}`, now) + '\n');
    } finally {
      closeSync(fd);
    }
    return file;
  }
}

/** The operation logs in `logsDir`, oldest first. */
export function listLogFiles(logsDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(logsDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => LOG_RE.test(n))
    .sort(compareLogNames)
    .map((n) => path.join(logsDir, n));
}

/** The newest operation log ("Show logs" opens it), or undefined when there is none. */
export function latestLogFile(logsDir: string): string | undefined {
  return listLogFiles(logsDir).at(-1);
}

/** Deletes the oldest operation logs so that `keep` remain; `protect` is never deleted. Returns the deleted files. */
export function pruneLogs(logsDir: string, keep: number, protect?: string): string[] {
  const files = listLogFiles(logsDir).filter((f) => f !== protect);
  const budget = Math.max(0, Math.floor(keep) - (protect ? 1 : 0));
  const doomed = files.slice(0, Math.max(0, files.length - budget));
  for (const f of doomed) rmSync(f, { force: true });
  return doomed;
}

// Same millisecond: `x.log` before `x.1.log` before `x.2.log` ... `x.10.log`.
function compareLogNames(a: string, b: string): number {
  const [stemA, nA] = splitAttempt(a);
  const [stemB, nB] = splitAttempt(b);
  return stemA < stemB ? -1 : stemA > stemB ? 1 : nA - nB;
}

function splitAttempt(name: string): [string, number] {
  const m = /^(.*?)(?:\.(\d+))?\.log$/.exec(name);
  return [m?.[1] ?? name, Number(m?.[2] ?? 0)];
}
