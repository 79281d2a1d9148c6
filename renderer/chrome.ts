// The window's fixed elements outside the form (header, lifecycle buttons,
// banner, notice, preview) and how each is rendered from the view model.
import type { AppSnapshot } from '../main/core/model.js';
import { byId, h, showText } from './dom.js';
import type { Availability, PresetChoice, ProfileStatus } from './view-model.js';

export interface ChromeElements {
  readonly list: HTMLUListElement;
  readonly newProfile: HTMLButtonElement;
  readonly hostInfo: HTMLElement;
  readonly banner: HTMLElement;
  readonly title: HTMLElement;
  readonly phase: HTMLElement;
  readonly dot: HTMLElement;
  readonly activeBadge: HTMLElement;
  readonly setActive: HTMLButtonElement;
  readonly start: HTMLButtonElement;
  readonly stop: HTMLButtonElement;
  readonly lifecycleHint: HTMLElement;
  readonly errorDetails: HTMLDetailsElement;
  readonly errorSummary: HTMLElement;
  readonly errorLog: HTMLElement;
  readonly presets: HTMLElement;
  readonly presetsHint: HTMLElement;
  readonly preview: HTMLElement;
  readonly notice: HTMLElement;
  readonly noticeText: HTMLElement;
  readonly restartNow: HTMLButtonElement;
  readonly remove: HTMLButtonElement;
  readonly saveHint: HTMLElement;
  readonly revert: HTMLButtonElement;
  readonly save: HTMLButtonElement;
}

export function chromeElements(doc: Document): ChromeElements {
  const el = (id: string): HTMLElement => byId(doc, id, HTMLElement);
  const button = (id: string): HTMLButtonElement => byId(doc, id, HTMLButtonElement);
  return {
    list: byId(doc, 'profile-list', HTMLUListElement),
    newProfile: button('new-profile'),
    hostInfo: el('host-info'),
    banner: el('banner'),
    title: el('editor-title'),
    phase: el('editor-phase'),
    dot: el('editor-dot'),
    activeBadge: el('editor-active'),
    setActive: button('set-active'),
    start: button('start'),
    stop: button('stop'),
    lifecycleHint: el('lifecycle-hint'),
    errorDetails: byId(doc, 'error-details', HTMLDetailsElement),
    errorSummary: el('error-summary'),
    errorLog: el('error-log'),
    presets: el('presets'),
    presetsHint: el('presets-hint'),
    preview: el('argv-preview'),
    notice: el('notice'),
    noticeText: el('notice-text'),
    restartNow: button('restart-now'),
    remove: button('delete'),
    saveHint: el('save-hint'),
    revert: button('revert'),
    save: button('save'),
  };
}

export interface HeaderView {
  readonly title: string;
  readonly status: ProfileStatus | undefined;
  readonly active: boolean;
  readonly availability: Availability;
  readonly errorLogTail: readonly string[];
}

export function renderHeader(ui: ChromeElements, view: HeaderView): void {
  const doc = ui.title.ownerDocument;
  const focused = [ui.setActive, ui.start, ui.stop].find((b) => b === doc.activeElement);
  ui.title.textContent = view.title;
  const phase = view.status?.phase ?? 'none';
  ui.dot.className = `dot phase-${phase}`;
  ui.phase.textContent = view.status ? view.status.label : 'New profile, not saved yet';
  // Being active is a state (a badge), not a disabled button; the button is only there to change it.
  ui.activeBadge.hidden = !view.active;
  ui.setActive.hidden = view.active;
  ui.setActive.disabled = !view.availability.activate;
  ui.start.disabled = !view.availability.start;
  ui.stop.disabled = !view.availability.stop;
  const stage = phase === 'starting' ? view.status?.detail : undefined;
  showText(ui.lifecycleHint, view.availability.hint || stage);
  const errorMessage = phase === 'error' ? view.status?.detail ?? 'The last operation failed.' : undefined;
  ui.errorDetails.hidden = errorMessage === undefined;
  ui.errorSummary.textContent = errorMessage ?? '';
  ui.errorLog.textContent = view.errorLogTail.join('\n');
  // A button disabled under the keyboard focus would drop it to <body>: hand it to
  // the next usable action, or park it on the title until one becomes usable.
  const usable = [ui.stop, ui.start, ui.setActive].find((b) => !b.disabled);
  const parked = ui.title.dataset.focusParked === 'true' && doc.activeElement === ui.title;
  if (focused?.disabled || (parked && usable)) {
    (usable ?? ui.title).focus();
    ui.title.dataset.focusParked = String(!usable);
  } else if (!parked) delete ui.title.dataset.focusParked;
}

export function renderHostInfo(ui: ChromeElements, snapshot: AppSnapshot): void {
  ui.hostInfo.textContent = `This machine: ${snapshot.host.cpus} CPUs · ${snapshot.host.memoryGiB} GiB`;
}

/** One toggle button per preset; presets the host cannot run are disabled. */
export function renderPresets(ui: ChromeElements, choices: readonly PresetChoice[], hint: string, onPick: (choice: PresetChoice) => void): void {
  const doc = ui.presets.ownerDocument;
  ui.presets.replaceChildren(
    ...choices.map((choice) => {
      const button = h(
        doc,
        'button',
        { className: 'preset', attrs: { type: 'button', 'data-preset': choice.id, 'aria-pressed': 'false' } },
        h(doc, 'span', { className: 'preset-label', text: choice.label }),
        h(doc, 'span', { className: 'preset-detail', text: `${choice.cpus} CPUs · ${choice.memoryGiB} GiB` }),
      );
      button.disabled = !choice.fits;
      button.addEventListener('click', () => onPick(choice));
      return button;
    }),
  );
  showText(ui.presetsHint, hint);
}

/** Marks the preset whose CPUs and memory equal the draft's. */
export function markPreset(ui: ChromeElements, choices: readonly PresetChoice[], cpus: number, memoryGiB: number): void {
  for (const button of ui.presets.querySelectorAll<HTMLButtonElement>('button.preset')) {
    const choice = choices.find((c) => c.id === button.dataset.preset);
    button.setAttribute('aria-pressed', String(choice !== undefined && choice.cpus === cpus && choice.memoryGiB === memoryGiB));
  }
}

export function showBanner(ui: ChromeElements, text: string | undefined): void {
  showText(ui.banner, text);
}

export interface NoticeOptions {
  /** Adds the "Restart now" offer (edits saved while the instance runs). */
  readonly restart?: boolean;
  /** 'problem' when something was refused, so it does not read as a success. */
  readonly tone?: 'info' | 'problem';
  /** Buttons appended to the text, e.g. one per field to fix ("CPUs, Memory."). */
  readonly links?: readonly { readonly label: string; readonly onClick: () => void }[];
}

/** The visible status line above Save. */
export function showNotice(ui: ChromeElements, text: string | undefined, options: NoticeOptions = {}): void {
  const doc = ui.noticeText.ownerDocument;
  const links = (options.links ?? []).flatMap((link, i) => {
    const button = h(doc, 'button', { className: 'link', text: link.label, attrs: { type: 'button' } });
    button.addEventListener('click', link.onClick);
    return i === 0 ? [button] : [doc.createTextNode(', '), button];
  });
  ui.noticeText.replaceChildren(text ?? '', ...links, ...(links.length > 0 ? ['.'] : []));
  ui.notice.hidden = !text;
  ui.notice.dataset.tone = options.tone ?? 'info';
  ui.restartNow.hidden = !text || !options.restart;
}
