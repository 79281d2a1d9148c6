// Finding programs the way a shell would, without running one: PATH entries in
// order, only absolute folders (an empty or relative entry means "the current
// folder", which nix-shell can put on PATH: nix-env.md §2), only regular files
// with an execute bit. Shared by the nix locator, the tool runner, the doctor
// and the tray's terminal action.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Absolute, non-empty entries only, in order: relative ones would depend on the working folder. */
export function splitAbsolutePath(value: string | undefined): string[] {
  return (value ?? '').split(path.delimiter).filter((p) => p !== '' && path.isAbsolute(p));
}

/** The absolute folders of a PATH value, in order, normalised and without duplicates. */
export function pathFolders(pathValue: string | undefined): string[] {
  return [...new Set(splitAbsolutePath(pathValue).map((entry) => path.normalize(entry)))];
}

/** A regular file (after following links) that this process may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The absolute file `program` names on `pathValue`, like `command -v` but
 * skipping relative entries. A name with a slash is taken as a path, and only
 * an absolute one is accepted.
 */
export function findOnPath(program: string, pathValue: string | undefined, isExec: (f: string) => boolean = isExecutableFile): string | undefined {
  if (program === '') return undefined;
  if (program.includes('/')) return path.isAbsolute(program) && isExec(program) ? program : undefined;
  for (const dir of splitAbsolutePath(pathValue)) {
    const file = path.join(dir, program);
    if (isExec(file)) return file;
  }
  return undefined;
}

/** Every executable named `name` in `folders`, in folder order (the doctor looks for shadowing copies). */
export function findExecutables(name: string, folders: readonly string[]): string[] {
  return folders.map((dir) => path.join(dir, name)).filter(isExecutableFile);
}

/** The file a symlink chain ends at, or the path itself when it cannot be resolved. */
export function realPathOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
