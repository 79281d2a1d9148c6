// Keeps the snapshot true to colima when someone changes an instance from a
// terminal (`colima stop` by hand): the change shows within 5 s, and an idle
// app spawns at most 2 processes a minute (issue 4).
//
// How: colima's instance folder `$BASE/_lima` (colima-cli §1; LIMA_HOME
// overrides it) holds one folder per instance, in which Lima creates `*.pid`
// and `*.sock` files while the VM runs and removes them when it stops. So:
//   - fs.watch on `_lima` and on each instance folder (non-recursive: inotify /
//     kqueue, no stat polling) → after a short debounce, read a fingerprint of
//     the folder (entry names, logs ignored, and each instance folder's mtime:
//     readdir + stat, no process) → only when it changed, controller.refresh(),
//     which spawns `colima list`;
//   - while `_lima` does not exist yet (colima never ran) or cannot be
//     watched, the same fingerprint is polled every 2 s: still no process;
//   - a slow safety refresh every 60 s catches what the folder cannot show
//     (a VM that died without cleaning up): 1 spawn per idle minute.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { userMessage } from '../core/errors.js';
import { nullLogger, type Logger } from '../core/log.js';

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const t = setTimeout(callback, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface FolderWatcher {
  close(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** fs.watch's shape (the real one is passed in by index.ts; tests may pass a fake). */
export type WatchFolder = (folder: string, listener: () => void) => FolderWatcher;

export interface StateRefreshOptions {
  /** colima's `$BASE/_lima` (or $LIMA_HOME). */
  readonly instancesDir: string;
  /** controller.refresh: spawns `colima list`. */
  readonly refresh: () => Promise<void>;
  readonly watch: WatchFolder;
  readonly timers?: Timers;
  readonly readFolder?: (instancesDir: string) => Promise<InstancesFolder | undefined>;
  /** Quiet time after a folder event before looking. Default 500 ms. */
  readonly debounceMs?: number;
  /** Fingerprint poll while the folder cannot be watched. Default 2 s. */
  readonly fallbackPollMs?: number;
  /** A refresh at least this often even when nothing seems to change. Default 60 s. */
  readonly safetyRefreshMs?: number;
  /** Change-triggered refreshes are at least this far apart. Default 2 s. */
  readonly minRefreshGapMs?: number;
  readonly logger?: Logger;
}

export interface StateRefresher {
  /** Refreshes now (e.g. after the machine wakes up). */
  refreshNow(reason: string): Promise<void>;
  /** Resolves when no check or refresh is in flight (tests, benchmarks, shutdown). */
  whenIdle(): Promise<void>;
  stop(): void;
}

/** Logs grow while a VM runs and say nothing about its state: they are left out. */
function isStateEntry(name: string): boolean {
  return !name.endsWith('.log') && !name.startsWith('.');
}

export interface InstancesFolder {
  /** The instance folders (Lima instance IDs such as `colima-dev`). */
  readonly ids: readonly string[];
  /** Changes exactly when an instance appears, goes, starts or stops. */
  readonly key: string;
}

/** Reads entry names only (no stat, no process); undefined when the folder does not exist. */
export async function readInstancesFolder(instancesDir: string): Promise<InstancesFolder | undefined> {
  let ids: string[];
  try {
    ids = (await readdir(instancesDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return undefined;
  }
  const parts = await Promise.all(
    ids.map(async (id) => {
      const folder = path.join(instancesDir, id);
      // A folder's mtime moves when an entry is added, removed or renamed, not
      // when a file inside grows (the VM's disk, its logs).
      const [entries, info] = await Promise.all([readdir(folder).catch(() => [] as string[]), stat(folder).catch(() => undefined)]);
      return `${id}@${info?.mtimeMs ?? 0}:${entries.filter(isStateEntry).sort().join(',')}`;
    }),
  );
  return { ids, key: parts.join('|') };
}

export function startStateRefresh(options: StateRefreshOptions): StateRefresher {
  const timers = options.timers ?? realTimers;
  const logger = options.logger ?? nullLogger;
  const readFolder = options.readFolder ?? readInstancesFolder;
  const debounceMs = options.debounceMs ?? 500;
  const fallbackPollMs = options.fallbackPollMs ?? 2_000;
  const safetyRefreshMs = options.safetyRefreshMs ?? 60_000;
  const minGapMs = options.minRefreshGapMs ?? 2_000;
  const dir = options.instancesDir;

  let stopped = false;
  let last: string | undefined;
  let unseenChange = false;
  let lastRefreshAt = -Infinity;
  let checkTimer: unknown;
  let safetyTimer: unknown;
  let work: Promise<void> = Promise.resolve();
  const watchers = new Map<string, FolderWatcher>(); // '' = the _lima folder itself

  const track = (task: () => Promise<void>): Promise<void> => {
    const next = work.then(task).catch((e: unknown) => logger.log('warn', `state refresh: ${userMessage(e)}`));
    work = next;
    return next;
  };

  const scheduleSafety = (): void => {
    if (stopped) return;
    if (safetyTimer !== undefined) timers.clearTimeout(safetyTimer);
    safetyTimer = timers.setTimeout(() => {
      safetyTimer = undefined;
      void refreshNow('safety refresh');
    }, safetyRefreshMs);
  };

  const refreshInsideTask = async (reason: string): Promise<void> => {
    if (stopped) return;
    logger.log('debug', `state refresh: ${reason}`);
    lastRefreshAt = timers.now();
    try {
      await options.refresh();
    } finally {
      scheduleSafety();
    }
  };
  const refreshNow = (reason: string): Promise<void> => track(() => refreshInsideTask(reason));

  const unwatch = (key: string): void => {
    watchers.get(key)?.close();
    watchers.delete(key);
  };

  const watchFolder = (key: string, folder: string): boolean => {
    if (watchers.has(key)) return true;
    try {
      const watcher = options.watch(folder, () => scheduleCheck(debounceMs));
      // The folder went away (instance deleted, _lima removed): drop the watcher and look again.
      watcher.on('error', () => {
        unwatch(key);
        scheduleCheck(debounceMs);
      });
      watchers.set(key, watcher);
      return true;
    } catch {
      return false;
    }
  };

  /** Watches _lima and each instance folder; true when _lima itself is watched. */
  const syncWatchers = (ids: readonly string[]): boolean => {
    const topWatched = watchFolder('', dir);
    for (const key of [...watchers.keys()]) if (key !== '' && !ids.includes(key)) unwatch(key);
    if (topWatched) for (const id of ids) watchFolder(id, path.join(dir, id));
    return topWatched;
  };

  const check = (): Promise<void> =>
    track(async () => {
      if (stopped) return;
      const folder = await readFolder(dir);
      const watched = folder !== undefined && syncWatchers(folder.ids);
      if (!watched) scheduleCheck(fallbackPollMs);
      const key = folder?.key ?? 'missing';
      if (last !== undefined && key !== last) unseenChange = true;
      last = key;
      if (!unseenChange) return;
      const wait = lastRefreshAt + minGapMs - timers.now();
      if (wait > 0) {
        // Too soon after the last refresh: look again then.
        scheduleCheck(wait);
        return;
      }
      unseenChange = false;
      // Already inside track(): call the task directly, not refreshNow (it would wait for itself).
      await refreshInsideTask('instance folder changed');
    });

  // Throttle, not debounce: a steady stream of events (a log being written)
  // must not postpone the look forever.
  function scheduleCheck(ms: number): void {
    if (stopped || checkTimer !== undefined) return;
    checkTimer = timers.setTimeout(() => {
      checkTimer = undefined;
      void check();
    }, ms);
  }

  void check();
  scheduleSafety();

  return {
    refreshNow,
    whenIdle: async () => {
      let seen: Promise<void>;
      do {
        seen = work;
        await seen;
      } while (seen !== work);
    },
    stop() {
      stopped = true;
      if (checkTimer !== undefined) timers.clearTimeout(checkTimer);
      if (safetyTimer !== undefined) timers.clearTimeout(safetyTimer);
      for (const key of [...watchers.keys()]) unwatch(key);
    },
  };
}
