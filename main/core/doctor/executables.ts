// Finding programs the way a shell would, without running one: PATH entries in
// order, only absolute folders (an empty or relative entry means "the current
// folder", which nix-shell can put on PATH: nix-env.md §2), only regular files
// with an execute bit.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** The absolute folders of a PATH value, in order, without duplicates. */
export function pathFolders(pathValue: string | undefined): string[] {
  const seen = new Set<string>();
  for (const entry of (pathValue ?? '').split(path.delimiter)) {
    if (!entry || !path.isAbsolute(entry)) continue;
    seen.add(path.normalize(entry));
  }
  return [...seen];
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every executable named `name` in `folders`, in folder order. */
export function findExecutables(name: string, folders: readonly string[]): string[] {
  return folders.map((dir) => path.join(dir, name)).filter(isExecutableFile);
}

/** The first `name` on PATH, as a shell would run it. */
export function whichOnPath(name: string, pathValue: string | undefined): string | undefined {
  return findExecutables(name, pathFolders(pathValue))[0];
}

/** The file a symlink chain ends at, or the path itself when it cannot be resolved. */
export function realPathOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
