// Modal confirmations built on <dialog>: focus stays inside, Escape cancels,
// and focus returns to the button that opened it. Deleting a profile that has
// a VM asks for its name to be typed, so a running cluster is not lost by one click.
import { byId } from './dom.js';

export interface DeleteRequest {
  readonly name: string;
  /** Set when a VM exists for the profile: the name must then be typed. */
  readonly instance?: {
    /** Its state, e.g. "Running". */
    readonly label: string;
    /** Deleting the profile deletes a VM the app started; one started elsewhere is left alone. */
    readonly startedByApp: boolean;
    readonly keepData: boolean;
  };
}

export type DeleteChoice = { readonly confirmed: false } | { readonly confirmed: true; readonly confirmName?: string };

/** Opens `dialog` and resolves with true when its form is submitted, false on cancel or Escape. */
function runDialog(dialog: HTMLDialogElement, form: HTMLFormElement, cancel: HTMLButtonElement): Promise<boolean> {
  const listeners = new AbortController();
  const { signal } = listeners;
  return new Promise<boolean>((resolve) => {
    let confirmed = false;
    form.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        const ok = form.querySelector<HTMLButtonElement>('button[type="submit"]');
        if (ok?.disabled) return;
        confirmed = true;
        dialog.close();
      },
      { signal },
    );
    cancel.addEventListener('click', () => dialog.close(), { signal });
    dialog.addEventListener(
      'close',
      () => {
        listeners.abort();
        resolve(confirmed);
      },
      { signal },
    );
    dialog.showModal();
  });
}

export async function askDelete(doc: Document, request: DeleteRequest): Promise<DeleteChoice> {
  const dialog = byId(doc, 'delete-dialog', HTMLDialogElement);
  const input = byId(doc, 'delete-confirm', HTMLInputElement);
  const ok = byId(doc, 'delete-ok', HTMLButtonElement);
  const { instance } = request;
  const needsName = instance !== undefined;
  byId(doc, 'delete-title', HTMLElement).textContent = `Delete "${request.name}"?`;
  byId(doc, 'delete-text', HTMLElement).textContent = !instance
    ? 'The profile’s settings are removed. No VM exists for it.'
    : instance.startedByApp
      ? `This profile has a VM the app started (${instance.label}). Deleting the profile also stops and deletes that VM${instance.keepData ? ' (its data disk is kept)' : ' and its data'}. This cannot be undone.`
      : `A colima VM of this profile exists (${instance.label}) that the app did not start; it is left as it is. Only the profile’s settings are removed.`;
  byId(doc, 'delete-name', HTMLElement).textContent = request.name;
  byId(doc, 'delete-confirm-field', HTMLElement).hidden = !needsName;
  input.value = '';
  ok.disabled = needsName;
  const typed = new AbortController();
  input.addEventListener('input', () => (ok.disabled = input.value !== request.name), { signal: typed.signal });
  const confirmed = await runDialog(dialog, byId(doc, 'delete-form', HTMLFormElement), byId(doc, 'delete-cancel', HTMLButtonElement));
  typed.abort();
  if (!confirmed) return { confirmed: false };
  return needsName ? { confirmed: true, confirmName: input.value } : { confirmed: true };
}

export function askDiscard(doc: Document, name: string): Promise<boolean> {
  byId(doc, 'discard-text', HTMLElement).textContent = `Your unsaved changes to "${name}" will be lost.`;
  return runDialog(byId(doc, 'discard-dialog', HTMLDialogElement), byId(doc, 'discard-form', HTMLFormElement), byId(doc, 'discard-cancel', HTMLButtonElement));
}
