// `toolchain` (status): what the shell.nix in use pins and what it provides.
import { isShellNixPinned, pinAgeDays, pinFiles, readPinFile, type NixpkgsPin } from './pin.js';
import type { NixCallOptions } from '../nix/gc-roots.js';
import { TOOLS, type ToolVersions } from './versions.js';
import { versionsOf } from './update.js';

export interface ToolchainStatus {
  readonly shellNix: string;
  readonly pinned: boolean;
  readonly pin?: NixpkgsPin;
  readonly previous?: NixpkgsPin;
  readonly ageDays?: number;
  readonly versions: ToolVersions;
}

export async function toolchainStatus(shellNix: string, o: NixCallOptions & { readonly now?: Date }): Promise<ToolchainStatus> {
  const files = pinFiles(shellNix);
  const pin = readPinFile(files.pin);
  const previous = readPinFile(files.previous);
  const pinned = isShellNixPinned(shellNix);
  const ageDays = pin ? pinAgeDays(pin, o.now ?? new Date()) : undefined;
  const versions = pin && pinned ? await versionsOf(shellNix, o) : { colima: undefined, lima: undefined, kubectl: undefined };
  return { shellNix, pinned, ...(pin ? { pin } : {}), ...(previous ? { previous } : {}), ...(ageDays !== undefined ? { ageDays } : {}), versions };
}

export function describeStatus(s: ToolchainStatus): string[] {
  if (!s.pin || !s.pinned)
    return [`${s.shellNix} does not pin nixpkgs: its tools come from your <nixpkgs> (channels or NIX_PATH) and change when they do.`];
  const lines = [
    `shell.nix: ${s.shellNix}`,
    `nixpkgs: ${s.pin.branch} ${s.pin.revision}${s.pin.date ? ` (${s.pin.date}${s.ageDays !== undefined ? `, ${s.ageDays} days old` : ''})` : ''}`,
    ...TOOLS.map((t) => `  ${t}: ${s.versions[t] ?? 'unknown (not fetched yet, or offline)'}`),
  ];
  if (s.previous) lines.push(`previous pin (toolchain rollback): ${s.previous.revision.slice(0, 12)}${s.previous.date ? ` (${s.previous.date})` : ''}`);
  return lines;
}
