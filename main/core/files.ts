// Small file and process facts shared by the ledger, the nix cache, the
// autostart entry and the terminal script.
import { accessSync, chmodSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Writes `content` to a hidden temp file next to `file` (same file system),
 * flushes it, then renames it over `file`: a reader sees the old file or the
 * new one, never half of one. The temp name starts with '.' and ends in
 * `.tmp`, so nothing that scans the folder by extension (autostart sessions)
 * reads it. The temp file is removed when anything fails.
 */
export function writeFileAtomically(file: string, content: string, options: { readonly mode?: number } = {}): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o644);
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The mode given to open is reduced by the umask; set it exactly.
    if (options.mode !== undefined) chmodSync(temp, options.mode);
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/** Whether a process with this pid exists (ours or not). 0 and negatives are never a process (kill would signal a group). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether this process may create and replace files in `dir`. */
export function canWriteIn(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
