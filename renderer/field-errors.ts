// Field-level validation display: each message sits under its control, is
// linked with aria-describedby and marks the control aria-invalid, so screen
// readers announce it with the field and sighted users see it in place.
import type { Profile } from '../main/core/model.js';
import type { HostLimits } from '../main/core/profiles/validate.js';
import { validateProfile } from '../main/core/profiles/validate.js';
import type { ProfileInput } from '../preload/api-contract.js';
import { showText, toggleIdRef } from './dom.js';
import { FIELD_CONTROL_IDS } from './editor-form.js';

export type FieldMessages = ReadonlyMap<keyof Profile, string>;

const isProfileField = (field: string): field is keyof Profile => Object.hasOwn(FIELD_CONTROL_IDS, field);

/** Every problem with the draft: the shared validation plus a name clash with another stored profile. */
export function draftErrors(draft: ProfileInput, host: HostLimits, otherNames: readonly string[]): Map<keyof Profile, string> {
  const errors = new Map<keyof Profile, string>();
  const result = validateProfile(draft, host);
  if (!result.ok) for (const e of result.errors) if (!errors.has(e.field)) errors.set(e.field, e.message);
  if (!errors.has('name') && otherNames.includes(draft.name)) errors.set('name', `A profile named "${draft.name}" already exists; choose another name.`);
  return errors;
}

/** Field errors that came back from main, keyed by Profile field (others are dropped). */
export function fieldMessagesFrom(errors: readonly { readonly field: string; readonly message: string }[]): Map<keyof Profile, string> {
  const map = new Map<keyof Profile, string>();
  for (const e of errors) if (isProfileField(e.field) && !map.has(e.field)) map.set(e.field, e.message);
  return map;
}

/** Shows `messages` on their fields and clears every other field. */
export function showFieldErrors(doc: Document, messages: FieldMessages): void {
  for (const [field, id] of Object.entries(FIELD_CONTROL_IDS) as [keyof Profile, string][]) {
    const control = doc.getElementById(id);
    const errorEl = doc.getElementById(`${id}-error`);
    if (!control || !errorEl) continue;
    const message = messages.get(field);
    showText(errorEl, message);
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    toggleIdRef(control, 'aria-describedby', errorEl.id, message !== undefined);
  }
}

/** How a failed save's summary names each field (the labels the form shows, made unambiguous). */
export const FIELD_LABELS: Readonly<Record<keyof Profile, string>> = {
  name: 'Name',
  runtime: 'Runtime',
  cpus: 'CPUs',
  memoryGiB: 'Memory',
  diskGiB: 'Disk',
  kubernetes: 'Kubernetes',
  kubernetesVersion: 'Kubernetes version',
  images: 'Images',
  switchKubeContext: 'Switch kubectl context',
  keepData: 'Keep data disk',
  networkAddress: 'Reachable IP address',
};

/** The fields with an error, in form order. */
export function invalidFields(messages: FieldMessages): (keyof Profile)[] {
  return (Object.keys(FIELD_CONTROL_IDS) as (keyof Profile)[]).filter((field) => messages.has(field));
}

/** Scrolls the field (control, hint and message) into view clear of the sticky footer, and focuses its control. */
export function revealField(doc: Document, field: keyof Profile): void {
  const control = doc.getElementById(FIELD_CONTROL_IDS[field]);
  if (!control) return;
  control.focus({ preventScroll: true });
  (control.closest('.field') ?? control).scrollIntoView({ block: 'nearest' });
}
