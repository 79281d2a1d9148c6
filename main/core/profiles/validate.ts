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
  if (typeof name !== 'string' || name.length === 0) return 'Name is required.';
  if (name.length > MAX_NAME) return `Name must be at most ${MAX_NAME} characters.`;
  if (!NAME_RE.test(name)) return 'Name may use lower-case letters, digits and single hyphens between them (e.g. dev or team-a).';
  if (RESERVED.has(name)) return `"${name}" is colima's own default profile; choose another name.`;
  if (name.startsWith('colima-')) return 'Name must not start with "colima-": colima treats colima-x as the profile x.';
  return undefined;
}

/** Checks every field of an untrusted object; never throws. */
export function validateProfile(input: unknown, host: HostLimits): ValidationResult {
  const errors: FieldError[] = [];
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const err = (field: keyof Profile, message: string): void => void errors.push({ field, message });

  const nameError = validateProfileName(o.name);
  if (nameError) err('name', nameError);

  if (!Number.isInteger(o.cpus) || (o.cpus as number) < 1 || (o.cpus as number) > host.cpus)
    err('cpus', `CPUs must be a whole number from 1 to ${host.cpus} (this machine's cores).`);

  const mem = o.memoryGiB;
  if (typeof mem !== 'number' || !Number.isFinite(mem) || mem < 1 || mem > host.memoryGiB || Math.round(mem * 2) !== mem * 2)
    err('memoryGiB', `Memory must be from 1 to ${host.memoryGiB} GiB (this machine's RAM), in steps of 0.5.`);

  if (!Number.isInteger(o.diskGiB) || (o.diskGiB as number) < MIN_DISK_GIB || (o.diskGiB as number) > MAX_DISK_GIB)
    err('diskGiB', `Disk must be a whole number of GiB from ${MIN_DISK_GIB} to ${MAX_DISK_GIB}.`);

  for (const field of ['kubernetes', 'networkAddress', 'keepData', 'switchKubeContext'] as const)
    if (typeof o[field] !== 'boolean') err(field, `${field} must be true or false.`);

  if (typeof o.kubernetesVersion !== 'string' || (o.kubernetesVersion !== '' && !K3S_VERSION_RE.test(o.kubernetesVersion)))
    err('kubernetesVersion', 'Kubernetes version must be a k3s release tag such as v1.35.0+k3s1, or empty for colima\'s default.');

  if (o.runtime !== 'containerd' && o.runtime !== 'docker') err('runtime', 'Runtime must be containerd or docker.');

  if (!Array.isArray(o.images)) err('images', 'Images must be a list of image references.');
  else if (o.images.length > MAX_IMAGES) err('images', `At most ${MAX_IMAGES} images.`);
  else {
    const bad = o.images.find((i) => typeof i !== 'string' || i.length > 255 || !IMAGE_RE.test(i));
    if (bad !== undefined) err('images', `"${String(bad)}" is not an image reference (e.g. nginx, nginx:1.27, ghcr.io/org/app:tag).`);
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

/** One line naming each bad field, for the CLI and error dialogs. */
export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join(' ');
}
