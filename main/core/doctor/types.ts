// The doctor's data model, shaped like Rancher Desktop's diagnostics (peers.md
// §1, §5): small checks, each with an id and a category, whose findings carry
// a severity, an explanation and the exact command that fixes them.
import type { ColimaInstance } from '../colima/client-api.js';
import type { Logger } from '../log.js';
import type { Profile } from '../model.js';
import type { CommandResult, RunOptions } from '../run.js';

export type Severity = 'info' | 'warning' | 'error';

export type Category = 'nix' | 'tools' | 'colima-config' | 'instances' | 'environment' | 'resources' | 'doctor';

export interface Finding {
  /** Stable and unique within a report, e.g. `global-tool.colima./usr/local/bin/colima`. */
  readonly id: string;
  /** The check that produced it. */
  readonly checkId: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly title: string;
  readonly explanation: string;
  /** The exact command to run (shell text for a person to copy; the app never runs it). */
  readonly fix: string;
}

export type CheckStatus = 'passed' | 'findings' | 'failed' | 'timed-out' | 'skipped';

export interface CheckOutcome {
  readonly id: string;
  readonly category: Category;
  readonly title: string;
  readonly status: CheckStatus;
  readonly durationMs: number;
  /** Why a check was skipped. */
  readonly note?: string;
}

export interface DoctorReport {
  readonly formatVersion: 1;
  readonly generatedAt: string;
  readonly platform: string;
  readonly checks: readonly CheckOutcome[];
  /** Errors first, then warnings, then notes. */
  readonly findings: readonly Finding[];
  readonly counts: { readonly error: number; readonly warning: number; readonly info: number };
}

/** Free CPU, memory and disk as the resources check sees them. */
export interface HostCapacity {
  readonly cpus: number;
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytes: number;
  /** Free bytes on the disk that holds the home folder (where colima keeps its disks). */
  readonly freeDiskBytes: number;
}

export type RunCommandFn = (file: string, args: readonly string[], options?: RunOptions) => Promise<CommandResult>;

/**
 * Everything the checks read, injected so each check runs on a constructed
 * environment in tests. Optional sources that are absent make their check
 * `skipped` (with the reason), never a false "passed".
 */
export interface DoctorDeps {
  /** The environment the app (or the CLI) runs with: PATH, HOME, overrides. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
  /** The KVM device (default /dev/kvm; tests pass a file of their own). */
  readonly kvmDevice?: string;
  /** The shell.nix the app's environment comes from (the pin check reads its pin). */
  readonly shellNix?: string;
  /** Absolute path of a working nix-shell; rejects (AppError NIX_NOT_FOUND) when there is none. */
  readonly locateNixShell: (signal: AbortSignal) => Promise<string>;
  /** Default: run.ts runCommand. */
  readonly runCommand?: RunCommandFn;
  /** PATH of the app's resolved nix environment; undefined when it is not resolved yet. */
  readonly environmentPath?: () => Promise<string | undefined>;
  /** `colima list` through the nix environment. */
  readonly listInstances?: () => Promise<readonly ColimaInstance[]>;
  /** Profiles in the ledger: the instances the app started. */
  readonly ledgerProfiles?: () => Promise<readonly string[]> | readonly string[];
  /** Names of the app's saved profiles. */
  readonly appProfileNames?: () => readonly string[];
  /** The profile a start would use. */
  readonly activeProfile?: () => Profile | undefined;
  /** Default: readHostCapacity (os + statfs of the home folder). */
  readonly hostCapacity?: () => Promise<HostCapacity>;
  /** Folders where other package managers put global tools. Default: Homebrew, MacPorts, /usr/local. */
  readonly globalToolDirs?: readonly string[];
  readonly logger?: Logger;
}

/** What a check returns when it cannot run on this machine or without a source. */
export interface Skipped {
  readonly skipped: string;
}

export interface DoctorCheck {
  readonly id: string;
  readonly category: Category;
  readonly title: string;
  run(deps: DoctorDeps, signal: AbortSignal): Promise<readonly Finding[] | Skipped>;
}

export function skip(reason: string): Skipped {
  return { skipped: reason };
}

export function isSkipped(v: readonly Finding[] | Skipped): v is Skipped {
  return !Array.isArray(v);
}

/** Builds a finding of `check` (fills checkId and category). */
export function finding(
  check: Pick<DoctorCheck, 'id' | 'category'>,
  f: Omit<Finding, 'checkId' | 'category'> & { readonly category?: Category },
): Finding {
  return {
    id: f.id,
    checkId: check.id,
    category: f.category ?? check.category,
    severity: f.severity,
    title: f.title,
    explanation: f.explanation,
    fix: f.fix,
  };
}
