// The ledger's file handling: a lock file around each
// read-modify-write (the CLI and the tray may change the ledger at the same
// time).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../files.js';
import { AppError } from '../errors.js';

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

/**
 * Runs `fn` holding an exclusive lock file (O_EXCL). A lock left by a process
 * that died (no such pid) or older than LOCK_STALE_MS is taken over.
 */
export function withFileLock<T>(lockFile: string, fn: () => T): T {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (isStaleLock(lockFile)) {
        try {
          unlinkSync(lockFile);
        } catch {
          /* another process took it over first */
        }
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError('BUSY', `The ledger ${path.dirname(lockFile)} is locked by another colima-k8s process (${lockFile}). Try again; delete that file if no colima-k8s process runs.`);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  }
}

function isStaleLock(lockFile: string): boolean {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) return true;
    return Date.now() - statSync(lockFile).mtimeMs > LOCK_STALE_MS;
  } catch {
    return !existsSync(lockFile);
  }
}

