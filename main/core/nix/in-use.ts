// "In use" markers on cache key folders (cache-store.ts), so one process of the
// app never deletes the environment another one runs with or is capturing
// into: the CLI's capture (removeOtherKeys) or a `colima-k8s gc` with other
// options (pruneStaleRoots) must not release the tray's GC roots, or the next
// nix-collect-garbage deletes the tray's colima.
//
// A marker is an empty file `in-use-<pid>` in the key folder, kept while this
// process holds the folder (a count per folder in memory). A marker whose
// process no longer runs is stale: it is removed when seen, so a crash needs
// no cleanup. A reused pid only keeps a folder a little longer (disk, never
// safety). Best effort by design: checking and deleting are not atomic, which
// leaves a window of microseconds against a capture of minutes.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../files.js';

const MARKER_PREFIX = 'in-use-';

/** This process's holds on each folder (absolute path → count). */
const holds = new Map<string, number>();

/** The marker file of process `pid` in `dir`. */
export function inUseMarker(dir: string, pid: number = process.pid): string {
  return path.join(dir, `${MARKER_PREFIX}${pid}`);
}

/**
 * Marks `dir` as in use by this process until the returned function is called
 * (calling it again does nothing). A missing folder is not an error: there is
 * nothing to protect yet.
 */
export function holdKeyDir(dir: string): () => void {
  const key = path.resolve(dir);
  holds.set(key, (holds.get(key) ?? 0) + 1);
  try {
    // Written on every hold: the folder may have been re-created since the first.
    writeFileSync(inUseMarker(key), '');
  } catch {
    /* no folder: nothing to protect */
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (holds.get(key) ?? 1) - 1;
    if (left > 0) {
      holds.set(key, left);
      return;
    }
    holds.delete(key);
    rmSync(inUseMarker(key), { force: true });
  };
}

/** Another running process holds `dir`. Removes the markers of processes that are gone. */
export function usedByAnotherProcess(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  let used = false;
  for (const name of names) {
    if (!name.startsWith(MARKER_PREFIX)) continue;
    const pid = Number(name.slice(MARKER_PREFIX.length));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (pid === process.pid) continue;
    if (isProcessAlive(pid)) used = true;
    else rmSync(path.join(dir, name), { force: true });
  }
  return used;
}

