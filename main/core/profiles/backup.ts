// Keeping a damaged file instead of losing it: a copy next to it whose name
// says when and why it was set aside. Used by the settings store and the ledger.
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** `settings.json` → `settings.corrupt-2026-08-21T10-15-30-123Z.json` (no ':' so it is valid on every OS). */
export function backupPathFor(file: string, now: Date): string {
  const ext = path.extname(file);
  const stamp = now.toISOString().replace(/:/g, '-').replace(/\./g, '-');
  return path.join(path.dirname(file), `${path.basename(file, ext)}.corrupt-${stamp}${ext}`);
}

/**
 * Copies `file` to a timestamped backup and returns the backup's path. Never
 * overwrites an existing backup (a second one in the same millisecond gets a
 * counter).
 */
export function backupFile(file: string, now: Date = new Date()): string {
  let target = backupPathFor(file, now);
  for (let i = 1; existsSync(target); i++) target = backupPathFor(file, now).replace(/(\.[^.]*)?$/, `-${i}$1`);
  copyFileSync(file, target);
  // Guard against a copy that silently differs (full disk, quota): the original
  // must only be replaced once the backup is known to be whole.
  if (!readFileSync(target).equals(readFileSync(file))) throw new Error(`the backup ${target} does not match ${file}`);
  return target;
}

/**
 * Like backupFile, but when a backup with the same bytes already sits next to
 * `file` (from an earlier run that found the same damage) returns that one, so
 * each run of a read-only command does not leave one more copy.
 */
export function backupFileOnce(file: string, now: Date = new Date()): string {
  const content = readFileSync(file);
  const ext = path.extname(file);
  const prefix = `${path.basename(file, ext)}.corrupt-`;
  const dir = path.dirname(file);
  for (const name of readdirSync(dir).sort()) {
    if (!name.startsWith(prefix)) continue;
    const candidate = path.join(dir, name);
    try {
      if (readFileSync(candidate).equals(content)) return candidate;
    } catch {
      // Unreadable or vanished: not a copy of this file.
    }
  }
  return backupFile(file, now);
}
