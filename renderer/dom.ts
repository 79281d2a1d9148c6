// Tiny DOM helpers: the window is plain TypeScript over the DOM (no framework),
// so these are the only abstraction. Nothing here touches innerHTML: text is
// always set as text, which keeps profile names and colima output inert.

/** The element with `id`, checked to be of `type`; a missing element is a bug in index.html. */
export function byId<T extends HTMLElement>(doc: Document, id: string, type: abstract new () => T): T {
  const el = doc.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html has no <${type.name}> #${id}`);
  return el;
}

export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/** Creates an element with class, text and attributes, and appends `children`. */
export function h<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, props: ElementProps = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.text !== undefined) el.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

/** Sets text and shows the element, or clears and hides it when `text` is empty. */
export function showText(el: HTMLElement, text: string | undefined): void {
  el.textContent = text ?? '';
  el.hidden = !text;
}

/** Adds or removes one id in a space-separated ARIA id list such as aria-describedby. */
export function toggleIdRef(el: HTMLElement, attribute: string, id: string, present: boolean): void {
  const ids = (el.getAttribute(attribute) ?? '').split(/\s+/).filter((x) => x && x !== id);
  if (present) ids.push(id);
  if (ids.length > 0) el.setAttribute(attribute, ids.join(' '));
  else el.removeAttribute(attribute);
}
