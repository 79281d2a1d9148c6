// The profile form: reads a draft from the inputs and fills them from a profile.
// The number inputs are the fields (labelled, validated, keyboard steppers); the
// range sliders next to CPU and memory are a mouse convenience mirroring them.
import type { Profile } from '../main/core/model.js';
import type { HostLimits } from '../main/core/profiles/validate.js';
import type { ProfileInput } from '../preload/api-contract.js';
import { byId } from './dom.js';

export interface EditorElements {
  readonly form: HTMLFormElement;
  readonly name: HTMLInputElement;
  readonly runtime: HTMLSelectElement;
  readonly cpus: HTMLInputElement;
  readonly cpusRange: HTMLInputElement;
  readonly memory: HTMLInputElement;
  readonly memoryRange: HTMLInputElement;
  readonly disk: HTMLInputElement;
  readonly kubernetes: HTMLInputElement;
  readonly kubernetesVersion: HTMLInputElement;
  readonly images: HTMLTextAreaElement;
  readonly switchKubeContext: HTMLInputElement;
  readonly keepData: HTMLInputElement;
  readonly networkAddress: HTMLInputElement;
}

/** The id of the control that shows each Profile field (its error element is `<id>-error`). */
export const FIELD_CONTROL_IDS: Readonly<Record<keyof Profile, string>> = {
  name: 'f-name',
  runtime: 'f-runtime',
  cpus: 'f-cpus',
  memoryGiB: 'f-memory',
  diskGiB: 'f-disk',
  kubernetes: 'f-kubernetes',
  kubernetesVersion: 'f-k8s-version',
  images: 'f-images',
  switchKubeContext: 'f-switch-context',
  keepData: 'f-keep-data',
  networkAddress: 'f-network-address',
};

export function editorElements(doc: Document): EditorElements {
  const input = (id: string): HTMLInputElement => byId(doc, id, HTMLInputElement);
  return {
    form: byId(doc, 'profile-form', HTMLFormElement),
    name: input('f-name'),
    runtime: byId(doc, 'f-runtime', HTMLSelectElement),
    cpus: input('f-cpus'),
    cpusRange: input('f-cpus-range'),
    memory: input('f-memory'),
    memoryRange: input('f-memory-range'),
    disk: input('f-disk'),
    kubernetes: input('f-kubernetes'),
    kubernetesVersion: input('f-k8s-version'),
    images: byId(doc, 'f-images', HTMLTextAreaElement),
    switchKubeContext: input('f-switch-context'),
    keepData: input('f-keep-data'),
    networkAddress: input('f-network-address'),
  };
}

/** '' (an empty or unparseable number input) becomes NaN, which validation names. */
function numberOf(input: HTMLInputElement): number {
  return input.value.trim() === '' ? Number.NaN : Number(input.value);
}

/** Images: one per line; commas and spaces also separate, blank lines are ignored. */
export function parseImages(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

export function readDraft(els: EditorElements): ProfileInput {
  return {
    name: els.name.value.trim(),
    cpus: numberOf(els.cpus),
    memoryGiB: numberOf(els.memory),
    diskGiB: numberOf(els.disk),
    kubernetes: els.kubernetes.checked,
    kubernetesVersion: els.kubernetesVersion.value.trim(),
    runtime: els.runtime.value === 'docker' ? 'docker' : 'containerd',
    networkAddress: els.networkAddress.checked,
    images: parseImages(els.images.value),
    keepData: els.keepData.checked,
    switchKubeContext: els.switchKubeContext.checked,
  };
}

export function fillForm(els: EditorElements, p: ProfileInput | Profile): void {
  els.name.value = p.name;
  els.runtime.value = p.runtime;
  els.cpus.value = String(p.cpus);
  els.memory.value = String(p.memoryGiB);
  els.disk.value = String(p.diskGiB);
  els.kubernetes.checked = p.kubernetes;
  els.kubernetesVersion.value = p.kubernetesVersion;
  els.images.value = p.images.join('\n');
  els.switchKubeContext.checked = p.switchKubeContext;
  els.keepData.checked = p.keepData;
  els.networkAddress.checked = p.networkAddress;
  syncRanges(els);
  syncKubernetesVersion(els);
}

/** Moves the sliders to the typed numbers (a slider clamps what it shows; the number keeps the truth). */
export function syncRanges(els: EditorElements): void {
  els.cpusRange.value = els.cpus.value;
  els.memoryRange.value = els.memory.value;
}

/** The version only means something with Kubernetes on. */
export function syncKubernetesVersion(els: EditorElements): void {
  els.kubernetesVersion.disabled = !els.kubernetes.checked;
}

/** Bounds the CPU and memory controls by the host and words the hints. */
export function applyHostLimits(els: EditorElements, doc: Document, host: HostLimits, platform: string): void {
  for (const [number, range] of [
    [els.cpus, els.cpusRange],
    [els.memory, els.memoryRange],
  ] as const) {
    const max = String(number === els.cpus ? host.cpus : host.memoryGiB);
    number.max = max;
    range.max = max;
  }
  byId(doc, 'f-cpus-hint', HTMLElement).textContent = `1–${host.cpus}: this machine has ${host.cpus} cores.`;
  byId(doc, 'f-memory-hint', HTMLElement).textContent = `1–${host.memoryGiB} GiB in steps of 0.5: this machine has ${host.memoryGiB} GiB.`;
  // Worded for the platform main reports (PickerState.platform), not for where the window happens to run.
  const system = ({ linux: 'Linux', win32: 'Windows', freebsd: 'FreeBSD' } as Record<string, string>)[platform] ?? platform;
  byId(doc, 'f-network-address-hint', HTMLElement).textContent =
    platform === 'darwin' ? 'Passes --network-address, so the cluster is reachable from this Mac by IP.' : `macOS only: colima ignores it on ${system}, so it is not in the command.`;
  els.networkAddress.disabled = platform !== 'darwin';
  syncRanges(els);
}

const NAME_HINT = "Lower-case letters, digits and hyphens; also colima's profile name.";

/** While a VM the app started exists, main refuses a rename: the name is shown read-only, with why. */
export function lockName(els: EditorElements, locked: boolean): void {
  els.name.readOnly = locked;
  const hint = els.name.ownerDocument.getElementById('f-name-hint');
  if (hint) hint.textContent = locked ? 'Colima’s profile name: it cannot be renamed while its VM exists (quitting the app deletes the VM; then rename it).' : NAME_HINT;
}
