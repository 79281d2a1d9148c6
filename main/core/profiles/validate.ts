// Profile defaults and validation. Pure (no Node imports): the window bundles
// it too, so field messages are the same in the picker, the CLI and main's IPC.
import type { Profile } from '../model.js';

export interface HostLimits {
  readonly cpus: number;
  readonly memoryGiB: number;
}

export interface FieldError {
  readonly field: keyof Profile;
  readonly message: string;
}

export type ValidationResult = { readonly ok: true; readonly profile: Profile } | { readonly ok: false; readonly errors: readonly FieldError[] };

/** The seed README's `colima start --cpu 4 --memory 8 --network-address --kubernetes -r containerd`. */
export const DEFAULT_PROFILE: Profile = Object.freeze({
  name: 'k8s',
  cpus: 4,
  memoryGiB: 8,
  diskGiB: 100,
  kubernetes: true,
  kubernetesVersion: '',
  runtime: 'containerd',
  networkAddress: true,
  images: Object.freeze([]) as readonly string[],
  keepData: false,
  switchKubeContext: true,
});

export const PRESETS: readonly { readonly id: string; readonly label: string; readonly cpus: number; readonly memoryGiB: number }[] = [
  { id: 'light', label: 'Light', cpus: 2, memoryGiB: 4 },
  { id: 'standard', label: 'Standard', cpus: 4, memoryGiB: 8 },
  { id: 'heavy', label: 'Heavy', cpus: 8, memoryGiB: 16 },
];

// colima-cli §1: the profile name becomes the Lima instance `colima-<name>` and the VM
// hostname; `default`/`colima` are colima's own default profile and `colima-x` aliases `x`.
const NAME_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_NAME = 69; // Lima allows 76 characters for `colima-<name>`.
const RESERVED = new Set(['default', 'colima']);
const K3S_VERSION_RE = /^v\d+\.\d+\.\d+\+k3s\d+$/;
// An OCI reference: [registry[:port]/]path[:tag][@digest]. No spaces, never a leading '-'.
const IMAGE_RE = /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
export const MIN_DISK_GIB = 10;
export const MAX_DISK_GIB = 4096;
export const MAX_IMAGES = 50;

export function validateProfileName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'Name: a name is required (e.g. dev or team-a).';
  if (name.length > MAX_NAME) return `Name: ${name.length} characters is too long; the most is ${MAX_NAME}.`;
  if (!NAME_RE.test(name)) return `Name: ${shown(name)} is not allowed; use lower-case letters, digits and single hyphens between them (e.g. dev or team-a).`;
  if (RESERVED.has(name)) return `Name: "${name}" is colima's own default profile; choose another name.`;
  if (name.startsWith('colima-')) return `Name: "${name}" must not start with "colima-" (colima treats colima-x as the profile x); choose another name.`;
  return undefined;
}

/** The value as the user typed it: numbers bare, anything else quoted. */
function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === undefined ? 'nothing' : typeof value === 'object' ? JSON.stringify(value) ?? String(value) : String(value);
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v));

/** A number within [min, max]; `unit` follows each number (e.g. " GiB"); `machine`: max is what this machine has. */
function rangeProblem(label: string, v: unknown, min: number, max: number, unit: string, machine: boolean): string | undefined {
  const use = `use ${min}–${max}${unit}`;
  if (isBlank(v)) return `${label}: a number is required; ${use}.`;
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${label}: ${shown(v)} is not a number; ${use}.`;
  if (v < min) return `${label}: ${v}${unit} is below the minimum of ${min}${unit}; ${use}.`;
  if (v > max) return `${label}: ${v}${unit} is more than ${machine ? `this machine has (${max}${unit})` : `the maximum of ${max}${unit}`}; ${use}.`;
  return undefined;
}

const BOOLEAN_LABELS = { kubernetes: 'Kubernetes', networkAddress: 'Network address', keepData: 'Keep data', switchKubeContext: 'Switch kube context' } as const;

/** Checks every field of an untrusted object; never throws. */
export function validateProfile(input: unknown, host: HostLimits): ValidationResult {
  const errors: FieldError[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const err = (field: keyof Profile, message: string): void => void errors.push({ field, message });

  const nameError = validateProfileName(o.name);
  if (nameError) err('name', nameError);

  const cpus = rangeProblem('CPUs', o.cpus, 1, host.cpus, '', true);
  if (cpus) err('cpus', cpus);
  else if (!Number.isInteger(o.cpus)) err('cpus', `CPUs: ${shown(o.cpus)} is not a whole number; use 1–${host.cpus}.`);

  const mem = o.memoryGiB;
  if (typeof mem === 'number' && Number.isFinite(mem) && mem < 1) err('memoryGiB', `Memory: ${mem} GiB is below the minimum of 1 GiB.`);
  else {
    const memory = rangeProblem('Memory', mem, 1, host.memoryGiB, ' GiB', true);
    if (memory) err('memoryGiB', memory);
    else if (Math.round((mem as number) * 2) !== (mem as number) * 2)
      err('memoryGiB', `Memory: ${shown(mem)} GiB is not in steps of 0.5 GiB; use ${Math.floor((mem as number) * 2) / 2} or ${Math.ceil((mem as number) * 2) / 2}.`);
  }

  const disk = rangeProblem('Disk', o.diskGiB, MIN_DISK_GIB, MAX_DISK_GIB, ' GiB', false);
  if (disk) err('diskGiB', disk);
  else if (!Number.isInteger(o.diskGiB)) err('diskGiB', `Disk: ${shown(o.diskGiB)} GiB is not a whole number of GiB; use ${MIN_DISK_GIB}–${MAX_DISK_GIB} GiB.`);

  for (const field of ['kubernetes', 'networkAddress', 'keepData', 'switchKubeContext'] as const)
    if (typeof o[field] !== 'boolean') err(field, `${BOOLEAN_LABELS[field]}: ${shown(o[field])} is not on or off; use true or false.`);

  if (typeof o.kubernetesVersion !== 'string' || (o.kubernetesVersion !== '' && !K3S_VERSION_RE.test(o.kubernetesVersion)))
    err('kubernetesVersion', `Kubernetes version: ${shown(o.kubernetesVersion)} is not a k3s release tag; use one such as v1.35.0+k3s1, or leave it empty for colima's default.`);

  if (o.runtime !== 'containerd' && o.runtime !== 'docker') err('runtime', `Runtime: ${shown(o.runtime)} is not a runtime colima-k8s supports; use containerd or docker.`);

  if (!Array.isArray(o.images)) err('images', `Images: ${shown(o.images)} is not a list of image references.`);
  else if (o.images.length > MAX_IMAGES) err('images', `Images: ${o.images.length} images are more than the maximum of ${MAX_IMAGES}.`);
  else {
    const bad = o.images.find((i) => typeof i !== 'string' || i.length > 255 || !IMAGE_RE.test(i));
    if (bad !== undefined) err('images', `Images: ${shown(String(bad))} is not an image reference (e.g. nginx, nginx:1.27, ghcr.io/org/app:tag).`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const profile: Profile = Object.freeze({
    name: o.name as string,
    cpus: o.cpus as number,
    memoryGiB: o.memoryGiB as number,
    diskGiB: o.diskGiB as number,
    kubernetes: o.kubernetes as boolean,
    kubernetesVersion: o.kubernetesVersion as string,
    runtime: o.runtime as Profile['runtime'],
    networkAddress: o.networkAddress as boolean,
    images: Object.freeze([...(o.images as string[])]),
    keepData: o.keepData as boolean,
    switchKubeContext: o.switchKubeContext as boolean,
  });
  return { ok: true, profile };
}

/** One line with each bad field's message (each starts with the field's label), for the CLI and error dialogs. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => e.message).join(' ');
}
