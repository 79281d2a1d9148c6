// Pure functions from a snapshot to what the window shows and enables. No DOM
// here, so the rules ("Stop is enabled while starting", "Heavy needs 8 cores")
// read in one place.
import type { InstancePhase, AppSnapshot, Profile } from '../main/core/model.js';
import { DEFAULT_PROFILE, PRESETS } from '../main/core/profiles/validate.js';
import type { HostLimits } from '../main/core/profiles/validate.js';
import type { ProfileInput } from '../preload/api-contract.js';

export type DisplayPhase = InstancePhase | 'none';

export interface ProfileStatus {
  readonly phase: DisplayPhase;
  /** Short text for the list and the header, e.g. "Running" or "Starting…". */
  readonly label: string;
  /** colima's last stage while starting, or the error message. */
  readonly detail?: string;
  /** A VM exists for the profile (even a stopped one): deleting then needs the typed name. */
  readonly instanceExists: boolean;
  /** The app started that VM, so deleting the profile also deletes the VM (controller.deleteProfile). */
  readonly startedByApp: boolean;
}

const PHASE_LABELS: Record<DisplayPhase, string> = {
  none: 'Not created',
  gone: 'Not created',
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  deleting: 'Deleting…',
  error: 'Error',
};

export function statusOf(snapshot: AppSnapshot, profile: string): ProfileStatus {
  const instance = snapshot.instances[profile];
  const phase: DisplayPhase = instance ? instance.phase : 'none';
  const detail = phase === 'error' ? instance?.error?.message : phase === 'starting' ? instance?.stage : undefined;
  const instanceExists = phase !== 'none' && phase !== 'gone';
  return { phase, label: PHASE_LABELS[phase], ...(detail ? { detail } : {}), instanceExists, startedByApp: instanceExists && instance?.startedByApp === true };
}

export interface EditorContext {
  /** The stored name being edited; null while creating a new profile. */
  readonly selected: string | null;
  readonly dirty: boolean;
  /** Actions waiting for an answer from main, e.g. "start". */
  readonly pending: ReadonlySet<string>;
}

export interface Availability {
  readonly start: boolean;
  readonly stop: boolean;
  readonly activate: boolean;
  readonly remove: boolean;
  /** Why Start/Stop are not available, shown under the buttons. */
  readonly hint: string;
}

/**
 * Why nothing can be started or changed right now: a teardown in the snapshot
 * (the quit's, or the launch-time cleanup of an earlier session's leftovers),
 * or the rest of a quit (PickerState.quitting).
 */
export function teardownHint(snapshot: AppSnapshot, quitting: boolean): string | undefined {
  if (snapshot.teardown?.running)
    return quitting
      ? 'The app is quitting: instances are being stopped and deleted.'
      : 'Cleaning up instances an earlier session left behind: they are being stopped and deleted.';
  // After the teardown the quit may still wait for Retry / Quit anyway, or collect garbage: still no starts.
  if (quitting) return 'The app is quitting: nothing can be started or changed until it has quit.';
  return undefined;
}

/** What the lifecycle buttons allow; `quitting` is PickerState.quitting (main refuses those calls then). */
export function availability(snapshot: AppSnapshot, ctx: EditorContext, quitting = false): Availability {
  const none = { start: false, stop: false, activate: false, remove: false };
  const quitHint = teardownHint(snapshot, quitting);
  if (quitHint) return { ...none, hint: quitHint };
  if (ctx.selected === null) return { ...none, hint: 'Save the new profile to start it.' };
  const { phase } = statusOf(snapshot, ctx.selected);
  const busy = ctx.pending.has('start') || ctx.pending.has('stop') || ctx.pending.has('restart') || ctx.pending.has('delete');
  const canStart = !busy && (phase === 'none' || phase === 'gone' || phase === 'stopped' || phase === 'error');
  // Stop while starting cancels the start; stop of a failed instance cleans it up.
  const canStop = !busy && (phase === 'running' || phase === 'starting' || phase === 'error');
  const active = snapshot.activeProfile === ctx.selected;
  const transitioning = phase === 'stopping' || phase === 'deleting';
  return {
    start: canStart && !ctx.dirty,
    stop: canStop,
    activate: !active && !ctx.pending.has('activate'),
    remove: !busy && !transitioning,
    hint: canStart && ctx.dirty ? 'Save your changes before starting.' : transitioning ? `Wait until it has finished ${phase}.` : '',
  };
}

export interface PresetChoice {
  readonly id: string;
  readonly label: string;
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly fits: boolean;
}

/** Every preset, marked whether this host has the cores and RAM for it. */
export function presetChoices(host: HostLimits): PresetChoice[] {
  return PRESETS.map((p) => ({ ...p, fits: p.cpus <= host.cpus && p.memoryGiB <= host.memoryGiB }));
}

export function presetsHint(host: HostLimits): string {
  const tooBig = presetChoices(host).filter((p) => !p.fits);
  if (tooBig.length === 0) return '';
  const names = tooBig.map((p) => `${p.label} (${p.cpus} CPUs, ${p.memoryGiB} GiB)`).join(' and ');
  return `${names} ${tooBig.length === 1 ? 'needs' : 'need'} more than this machine has (${host.cpus} CPUs, ${host.memoryGiB} GiB).`;
}

/** The starting point for a new profile: the defaults, fitted to the host, with a free name. */
export function newProfileDraft(host: HostLimits, existingNames: readonly string[]): ProfileInput {
  let name = 'dev';
  for (let i = 2; existingNames.includes(name); i++) name = `dev-${i}`;
  return {
    ...DEFAULT_PROFILE,
    name,
    cpus: Math.max(1, Math.min(DEFAULT_PROFILE.cpus, host.cpus)),
    memoryGiB: Math.max(1, Math.min(DEFAULT_PROFILE.memoryGiB, host.memoryGiB)),
    images: [],
  };
}

/** Same values, ignoring identity and field order: decides whether the editor has unsaved changes. */
export function sameProfile(a: ProfileInput | Profile, b: ProfileInput | Profile): boolean {
  const keys = Object.keys(DEFAULT_PROFILE) as (keyof Profile)[];
  return keys.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}
