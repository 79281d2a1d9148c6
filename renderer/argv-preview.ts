// The live preview of the exact commands a start runs, from the same pure
// builders main uses (main/core/colima/argv.ts), so the preview cannot drift
// from what is executed. Arguments are quoted for display only: the app itself
// never builds a command string, it passes these argv arrays to the process.
import { buildPullArgs, buildStartArgs } from '../main/core/colima/argv.js';
import type { Profile } from '../main/core/model.js';

const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX-shell quoting, so a copied line means the same argv. */
export function quoteArg(arg: string): string {
  if (SAFE_ARG.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(program: string, args: readonly string[]): string {
  return [program, ...args].map(quoteArg).join(' ');
}

/** `colima start …`, then one `colima nerdctl … pull` line per image (colima-cli §8: k8s.io namespace). */
export function previewLines(profile: Profile, platform: string): string[] {
  const lines = [formatCommand('colima', buildStartArgs(profile, platform))];
  for (const image of profile.images) lines.push(formatCommand('colima', buildPullArgs(profile.name, image)));
  return lines;
}
