// The sidebar list: one button per profile with its state, the active one
// marked. Arrow keys, Home and End move between items (one tab stop for the
// whole list); Enter or Space opens the focused profile in the editor.
import type { AppSnapshot } from '../main/core/model.js';
import { h } from './dom.js';
import { statusOf } from './view-model.js';

export interface ProfileListOptions {
  /** The profile in the editor (null: a new one), marked aria-current. */
  readonly selected: string | null;
  readonly onSelect: (name: string) => void;
}

export function renderProfileList(list: HTMLUListElement, snapshot: AppSnapshot, options: ProfileListOptions): void {
  const doc = list.ownerDocument;
  const existing = new Map([...list.querySelectorAll<HTMLLIElement>(':scope > li')].map((li) => [li.dataset.profile ?? '', li]));
  const items = snapshot.profiles.map((profile) => {
    const status = statusOf(snapshot, profile.name);
    const active = snapshot.activeProfile === profile.name;
    // Items whose text is unchanged are kept as they are: replacing the button under
    // the pointer between mousedown and mouseup would swallow the click.
    const signature = JSON.stringify([status.phase, active]);
    const old = existing.get(profile.name);
    const li = old?.dataset.signature === signature ? old : listItem(doc, profile.name, status.phase, status.label, active, options.onSelect);
    li.dataset.signature = signature;
    const button = li.querySelector('button')!;
    if (profile.name === options.selected) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
    return li;
  });
  const focused = doc.activeElement;
  if (items.length !== list.children.length || items.some((li, i) => list.children[i] !== li)) list.replaceChildren(...items);
  const buttons = [...list.querySelectorAll<HTMLButtonElement>('button.profile-item')];
  const home = buttons.find((b) => b.dataset.profile === options.selected) ?? buttons[0];
  for (const b of buttons) b.tabIndex = b === home ? 0 : -1;
  // Re-rendering must not drop the keyboard focus.
  const focusedName = focused instanceof HTMLElement ? focused.dataset.profile : undefined;
  if (focusedName !== undefined && doc.activeElement !== focused) buttons.find((b) => b.dataset.profile === focusedName)?.focus();
}

function listItem(doc: Document, name: string, phase: string, label: string, active: boolean, onSelect: (name: string) => void): HTMLLIElement {
  const button = h(
    doc,
    'button',
    { className: 'profile-item', attrs: { type: 'button', 'data-profile': name, 'data-phase': phase } },
    h(doc, 'span', { className: 'profile-name', text: name }),
    ...(active ? [h(doc, 'span', { className: 'badge', text: 'Active' })] : []),
    h(doc, 'span', { className: 'profile-status' }, h(doc, 'span', { className: `dot phase-${phase}`, attrs: { 'aria-hidden': 'true' } }), doc.createTextNode(label)),
  );
  button.addEventListener('click', () => onSelect(name));
  return h(doc, 'li', { attrs: { 'data-profile': name } }, button);
}

/** Roving focus inside the list; install once. */
export function installListKeyboard(list: HTMLUListElement): void {
  list.addEventListener('keydown', (event) => {
    const buttons = [...list.querySelectorAll<HTMLButtonElement>('button.profile-item')];
    const index = buttons.findIndex((b) => b === list.ownerDocument.activeElement);
    if (index < 0) return;
    const target =
      event.key === 'ArrowDown' ? buttons[Math.min(index + 1, buttons.length - 1)]
      : event.key === 'ArrowUp' ? buttons[Math.max(index - 1, 0)]
      : event.key === 'Home' ? buttons[0]
      : event.key === 'End' ? buttons[buttons.length - 1]
      : undefined;
    if (!target) return;
    event.preventDefault();
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
    target.focus();
  });
}
