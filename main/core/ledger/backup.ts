// A damaged ledger is kept as a copy next to it (profiles/backup.ts), once per
// distinct content: the ledger is read on every snapshot the controller
// publishes, so copying it at each read would fill the folder with identical
// copies while the user has not fixed it yet.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { backupFile } from '../profiles/backup.js';

/** The path of a backup holding exactly what `file` holds now: an existing one, or a new one. */
export function backupOnce(file: string): string {
  const bytes = readFileSync(file);
  return existingBackupOf(file, bytes) ?? backupFile(file);
}

/** A `<name>.corrupt-*<ext>` copy (backupPathFor's names) with these exact bytes, newest first. */
function existingBackupOf(file: string, bytes: Buffer): string | undefined {
  const dir = path.dirname(file);
  const ext = path.extname(file);
  const prefix = `${path.basename(file, ext)}.corrupt-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const candidates = names.filter((n) => n.startsWith(prefix) && n.endsWith(ext)).sort().reverse();
  for (const name of candidates) {
    const candidate = path.join(dir, name);
    try {
      if (statSync(candidate).size === bytes.length && readFileSync(candidate).equals(bytes)) return candidate;
    } catch {
      /* removed meanwhile: not a copy */
    }
  }
  return undefined;
}
