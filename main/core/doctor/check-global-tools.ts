// A global colima, lima/limactl, kubectl or docker outside the nix environment.
// Inside the app the environment's PATH comes first, so a global tool only
// wins there when the environment does not provide that tool (nix-env.md §0:
// on the test machine /usr/bin/kubectl silently shadowed a missing one). In the
// user's terminal the global one wins, and a second colima of another version
// reads the same ~/.colima (colima-cli §1): users fight this in every peer
// (RD#2246, RD#2471, docker/for-mac#5769; peers.md §1).
import path from 'node:path';
import { findExecutables, findOnPath, pathFolders, realPathOf } from '../executables.js';
import { ownerLabel, removalFix, toolOwner, type ToolOwner } from './tool-owner.js';
import { finding, type DoctorCheck, type DoctorDeps, type Finding, type Severity } from './types.js';

export const SHADOWING_TOOLS = ['colima', 'lima', 'limactl', 'kubectl', 'docker'] as const;

/** Where Homebrew (Apple silicon, Intel, Linux) and MacPorts install commands. */
export const DEFAULT_GLOBAL_TOOL_DIRS: readonly string[] = ['/opt/homebrew/bin', '/usr/local/bin', '/opt/local/bin', '/home/linuxbrew/.linuxbrew/bin'];

// The app runs these two by name; a foreign one winning inside the environment
// means the app itself runs the wrong program.
const RUN_BY_APP = new Set(['colima', 'kubectl']);

export const globalToolsCheck: DoctorCheck = {
  id: 'global-tools',
  category: 'tools',
  title: 'No global colima, lima, kubectl or docker shadows the nix environment',
  async run(deps, signal) {
    const storeDir = deps.env.NIX_STORE_DIR || '/nix/store';
    const envPath = await readEnvironmentPath(deps);
    const userFolders = pathFolders(deps.env.PATH);
    const candidates = [...userFolders, ...(deps.globalToolDirs ?? DEFAULT_GLOBAL_TOOL_DIRS).map((d) => path.normalize(d))];
    // Store folders (the environment's own, or another nix-shell's) are not
    // "global". The environment's PATH also carries the caller's PATH after its
    // own folders (nix-env.md §2), so its non-store folders are still scanned.
    const folders = [...new Set(candidates)].filter((d) => !isInside(d, storeDir));

    const findings: Finding[] = [];
    for (const tool of SHADOWING_TOOLS) {
      const winner = envPath === undefined ? undefined : findOnPath(tool, envPath);
      const winnerReal = winner === undefined ? undefined : realPathOf(winner);
      const seen = new Set<string>();
      for (const file of findExecutables(tool, folders)) {
        // With merged /usr, /bin/kubectl and /usr/bin/kubectl are one file: report it once.
        const real = realPathOf(file);
        if (seen.has(real)) continue;
        seen.add(real);
        const wins = winnerReal === real;
        const onUserPath = userFolders.includes(path.dirname(file));
        // A folder off this PATH still counts: a Finder-launched app gets launchd's
        // minimal PATH, while the user's shell adds Homebrew's and MacPorts' folders.
        const severity: Severity = wins && RUN_BY_APP.has(tool) ? 'error' : 'warning';
        const owner = await toolOwner(file, { storeDir, platform: deps.platform, run: deps.runCommand, signal });
        findings.push(describe({ tool, file, owner, severity, wins, onUserPath, envKnown: envPath !== undefined }));
      }
    }
    return findings;
  },
};

async function readEnvironmentPath(deps: DoctorDeps): Promise<string | undefined> {
  try {
    return (await deps.environmentPath?.()) ?? undefined;
  } catch {
    return undefined; // nix missing or evaluation failing: the nix check reports that.
  }
}

interface Sighting {
  readonly tool: string;
  readonly file: string;
  readonly owner: ToolOwner;
  readonly severity: Severity;
  /** It is what the environment's PATH resolves the tool to. */
  readonly wins: boolean;
  readonly onUserPath: boolean;
  readonly envKnown: boolean;
}

function describe({ tool, file, owner, severity, wins, onUserPath, envKnown }: Sighting): Finding {
  const where = ownerLabel(owner);
  const consequence =
    tool === 'colima' || tool === 'lima' || tool === 'limactl'
      ? '; a colima (or Lima) of another version reads and rewrites the same ~/.colima config and VMs.'
      : tool === 'kubectl'
        ? '; a kubectl far from the cluster version may misbehave.'
        : '.';
  const effect = wins
    ? `The nix environment does not provide ${tool}, so the app runs this one instead of a pinned version.`
    : onUserPath
      ? `Commands typed in a terminal run this ${tool}, not the app's pinned one${consequence}`
      : `Its folder is not on this program's PATH, but shells usually add it (Homebrew's and MacPorts' setup do), ` +
        `so commands typed in a terminal probably run this ${tool}, not the app's pinned one${consequence}`;
  const compared = envKnown ? '' : ' (The nix environment is not resolved yet, so it could not be compared.)';
  return finding(globalToolsCheck, {
    id: `global-tools.${tool}.${file}`,
    severity,
    title: `A global ${tool} at ${file}${where ? ` (${where})` : ''}`,
    explanation: `${effect}${compared} Remove it, or keep it and use the app's terminal ("Open a terminal in the nix environment").`,
    fix: removalFix(file, owner),
  });
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
