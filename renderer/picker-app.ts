// The picker window's behaviour: keeps the editor's draft, re-renders from every
// state main pushes, and turns clicks into PickerApi calls. Data flows one way:
// an action calls main; main's new snapshot comes back through onState.
import type { Profile } from '../main/core/model.js';
import type { IpcError, PickerApi, PickerState, ProfileInput } from '../preload/api-contract.js';
import { previewLines } from './argv-preview.js';
import { chromeElements, markPreset, renderHeader, renderHostInfo, renderPresets, showBanner, showNotice } from './chrome.js';
import { askDelete, askDiscard } from './dialogs.js';
import { applyHostLimits, editorElements, FIELD_CONTROL_IDS, fillForm, lockName, readDraft, syncKubernetesVersion, syncRanges } from './editor-form.js';
import { draftErrors, FIELD_LABELS, fieldMessagesFrom, invalidFields, revealField, showFieldErrors } from './field-errors.js';
import { installListKeyboard, renderProfileList } from './profile-list.js';
import { rejectedCallError } from './remote-error.js';
import { availability, newProfileDraft, presetChoices, presetsHint, teardownHint, sameProfile, statusOf } from './view-model.js';

const FIELD_BY_CONTROL = new Map(Object.entries(FIELD_CONTROL_IDS).map(([field, id]) => [id, field as keyof Profile]));

export function startPicker(api: PickerApi, doc: Document): void {
  const els = editorElements(doc);
  const ui = chromeElements(doc);
  let state: PickerState | undefined;
  let hostKey = '';
  /** The stored name in the editor; null while creating a new profile. */
  let selected: string | null = null;
  /** What the form was filled with: the draft is dirty when it differs. */
  let baseline: ProfileInput | undefined;
  const touched = new Set<keyof Profile>();
  let submitted = false;
  let serverErrors = new Map<keyof Profile, string>();
  const pending = new Set<string>();

  const draft = (): ProfileInput => readDraft(els);
  /** The form differs from what it was filled with. */
  const changed = (): boolean => baseline !== undefined && !sameProfile(draft(), baseline);
  /** There is something to save: edits, or a new profile not saved yet. */
  const dirty = (): boolean => baseline !== undefined && (selected === null || changed());
  const storedProfile = (name: string | null): Profile | undefined => state?.snapshot.profiles.find((p) => p.name === name);
  const fallbackProfile = (): Profile | undefined => storedProfile(state?.snapshot.activeProfile ?? null) ?? state?.snapshot.profiles[0];

  function load(profile: ProfileInput, name: string | null): void {
    selected = name;
    baseline = { ...profile, images: [...profile.images] };
    touched.clear();
    submitted = false;
    serverErrors = new Map();
    showNotice(ui, undefined);
    fillForm(els, profile);
    // A stored profile this machine cannot run (say 16 GiB on an 8 GiB laptop) is flagged at once.
    if (state && name !== null) for (const field of draftErrors(draft(), state.snapshot.host, []).keys()) touched.add(field);
    render();
  }

  function loadFallback(): void {
    const profile = fallbackProfile();
    if (profile) load(profile, profile.name);
    else if (state) load(newProfileDraft(state.snapshot.host, []), null);
  }

  function render(): void {
    if (!state) return;
    const { snapshot } = state;
    renderProfileList(ui.list, snapshot, { selected, onSelect: (name) => void selectProfile(name) });
    const status = selected === null ? undefined : statusOf(snapshot, selected);
    const isDirty = dirty();
    const quitHint = teardownHint(snapshot, state.quitting);
    const avail = availability(snapshot, { selected, dirty: isDirty, pending }, state.quitting);
    renderHeader(ui, {
      title: selected ?? 'New profile',
      status,
      active: selected !== null && snapshot.activeProfile === selected,
      availability: avail,
      errorLogTail: (selected !== null && snapshot.instances[selected]?.error?.logTail) || [],
    });
    renderEditor(isDirty, status?.phase);
    lockName(els, status?.startedByApp === true);
    ui.remove.disabled = !avail.remove;
    ui.restartNow.disabled = quitHint !== undefined;
    if (quitHint) showBanner(ui, quitHint);
  }

  function renderEditor(isDirty: boolean, phase: string | undefined): void {
    if (!state) return;
    const { host } = state.snapshot;
    const current = draft();
    const otherNames = state.snapshot.profiles.map((p) => p.name).filter((n) => n !== selected);
    const errors = draftErrors(current, host, otherNames);
    const shown = new Map([...serverErrors].filter(([field]) => !touched.has(field)));
    for (const [field, message] of errors) if (touched.has(field) || submitted) shown.set(field, message);
    showFieldErrors(doc, shown);
    const firstError = errors.values().next().value;
    ui.preview.textContent =
      errors.size === 0 ? previewLines(current as Profile, state.platform).join('\n') : `Not a valid profile yet: ${firstError ?? ''}`;
    ui.preview.classList.toggle('invalid', errors.size > 0);
    markPreset(ui, presetChoices(host), current.cpus, current.memoryGiB);
    const running = phase === 'running' || phase === 'starting';
    ui.saveHint.textContent = isDirty && running ? 'Applies at next start' : '';
    ui.save.disabled = !isDirty || pending.has('save') || teardownHint(state.snapshot, state.quitting) !== undefined;
    ui.revert.disabled = !isDirty;
    ui.revert.textContent = selected === null ? 'Cancel' : 'Revert';
  }

  function onState(next: PickerState): void {
    state = next;
    doc.body.dataset.ready = 'true';
    const { host } = next.snapshot;
    const key = `${host.cpus}/${host.memoryGiB}/${next.platform}`;
    if (key !== hostKey) {
      hostKey = key;
      applyHostLimits(els, doc, host, next.platform);
      renderHostInfo(ui, next.snapshot);
      renderPresets(ui, presetChoices(host), presetsHint(host), pickPreset);
    }
    if (baseline === undefined) return loadFallback();
    if (selected !== null) {
      const stored = storedProfile(selected);
      // Removed or renamed elsewhere: keep unsaved edits as a new profile, else show another one.
      if (!stored && !changed()) return loadFallback();
      if (!stored) selected = null;
      else if (!changed() && !sameProfile(stored, baseline)) return load(stored, selected);
    }
    render();
  }

  function pickPreset(choice: { cpus: number; memoryGiB: number }): void {
    els.cpus.value = String(choice.cpus);
    els.memory.value = String(choice.memoryGiB);
    touched.add('cpus').add('memoryGiB');
    syncRanges(els);
    render();
  }

  /** A refused save marks its fields; anything else goes to the alert banner. */
  function showError(key: string, error: IpcError): void {
    const fields = key !== 'save' ? new Map() : fieldMessagesFrom(error.fieldErrors ?? (error.field ? [{ field: error.field, message: error.message }] : []));
    if (fields.size === 0) {
      showBanner(ui, error.message);
      return;
    }
    serverErrors = fields;
    for (const field of fields.keys()) touched.delete(field);
    render();
    reportInvalid(fields);
  }

  /** A refused save: the first bad field is shown and focused; the notice names each one as a link to it. */
  function reportInvalid(fields: ReadonlyMap<keyof Profile, string>): void {
    const order = invalidFields(fields);
    if (order[0]) revealField(doc, order[0]);
    const links = order.map((field) => ({ label: FIELD_LABELS[field], onClick: () => revealField(doc, field) }));
    showNotice(ui, `Not saved: fix ${order.length} ${order.length === 1 ? 'field' : 'fields'}: `, { tone: 'problem', links });
  }

  /** Runs one call to main with `key` pending (its buttons disabled) and shows a failure. */
  async function call<T>(key: string, request: () => Promise<{ ok: true; value: T } | { ok: false; error: IpcError }>): Promise<T | undefined> {
    pending.add(key);
    showBanner(ui, undefined);
    render();
    try {
      const result = await request().catch((e: unknown) => ({ ok: false as const, error: rejectedCallError(e) }));
      if (result.ok) return result.value;
      showError(key, result.error);
      return undefined;
    } finally {
      pending.delete(key);
      render();
    }
  }

  async function confirmLeave(): Promise<boolean> {
    return !changed() || askDiscard(doc, selected ?? (draft().name || 'the new profile'));
  }

  async function selectProfile(name: string): Promise<void> {
    if (name === selected || !(await confirmLeave())) return;
    const profile = storedProfile(name);
    if (profile) load(profile, name);
  }

  async function newProfile(): Promise<void> {
    if (!state || !(await confirmLeave())) return;
    load(newProfileDraft(state.snapshot.host, state.snapshot.profiles.map((p) => p.name)), null);
    els.name.focus();
    els.name.select();
  }

  async function save(): Promise<void> {
    // Quitting: main would refuse it (BUSY); the banner already says why.
    if (!state || pending.has('save') || !dirty() || teardownHint(state.snapshot, state.quitting)) return;
    submitted = true;
    serverErrors = new Map();
    render();
    const current = draft();
    const errors = draftErrors(current, state.snapshot.host, state.snapshot.profiles.map((p) => p.name).filter((n) => n !== selected));
    if (errors.size > 0) {
      reportInvalid(errors);
      return;
    }
    const previousName = selected !== null && selected !== current.name ? selected : undefined;
    // A restart offer only makes sense for the same instance: a rename gets a plain notice.
    const wasRunning = selected !== null && previousName === undefined && ['running', 'starting'].includes(statusOf(state.snapshot, selected).phase);
    const saved = await call('save', () => api.saveProfile(current, previousName));
    if (!saved) return;
    load(saved, saved.name);
    if (wasRunning) showNotice(ui, `Saved. "${saved.name}" is running: the changes apply at its next start.`, { restart: true });
    else showNotice(ui, `Saved "${saved.name}".`);
  }

  async function remove(): Promise<void> {
    if (!state || selected === null) return;
    const name = selected;
    const status = statusOf(state.snapshot, name);
    const keepData = storedProfile(name)?.keepData ?? false;
    const choice = await askDelete(doc, status.instanceExists ? { name, instance: { label: status.label, startedByApp: status.startedByApp, keepData } } : { name });
    if (!choice.confirmed) return;
    const done = await call('delete', () => api.deleteProfile(name, choice.confirmName));
    if (done === undefined) return;
    if (selected === name) {
      const next = state.snapshot.profiles.find((p) => p.name !== name && p.name === state?.snapshot.activeProfile) ?? state.snapshot.profiles.find((p) => p.name !== name);
      if (next) load(next, next.name);
      else load(newProfileDraft(state.snapshot.host, []), null);
    }
    showNotice(ui, `Deleted "${name}".`);
    ui.newProfile.focus();
  }

  const lifecycle = (key: 'start' | 'stop' | 'restart' | 'activate', run: (name: string) => ReturnType<PickerApi['startProfile']>) => async (): Promise<void> => {
    if (selected === null) return;
    const name = selected;
    if (key === 'restart') showNotice(ui, `Restarting "${name}"…`);
    if ((await call(key, () => run(name))) !== undefined && key === 'restart') showNotice(ui, `Restarted "${name}" with the saved settings.`);
  };

  // Wiring: every listener is installed once, here.
  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  els.form.addEventListener('input', (event) => {
    if (event.target === els.cpusRange) els.cpus.value = els.cpusRange.value;
    else if (event.target === els.memoryRange) els.memory.value = els.memoryRange.value;
    else syncRanges(els);
    const id = event.target instanceof HTMLElement ? event.target.id.replace(/-range$/, '') : '';
    const field = FIELD_BY_CONTROL.get(id);
    if (field && (event.target instanceof HTMLInputElement && (event.target.type === 'range' || event.target.type === 'checkbox'))) touched.add(field);
    if (field) serverErrors.delete(field);
    syncKubernetesVersion(els);
    render();
  });
  // A text field counts as touched once left, so its error does not flash while typing.
  els.form.addEventListener('change', (event) => {
    const id = event.target instanceof HTMLElement ? event.target.id.replace(/-range$/, '') : '';
    const field = FIELD_BY_CONTROL.get(id);
    if (field) touched.add(field);
    render();
  });
  ui.revert.addEventListener('click', () => {
    const stored = storedProfile(selected);
    if (stored) load(stored, stored.name);
    else loadFallback();
  });
  ui.remove.addEventListener('click', () => void remove());
  ui.newProfile.addEventListener('click', () => void newProfile());
  ui.start.addEventListener('click', lifecycle('start', (n) => api.startProfile(n)));
  ui.stop.addEventListener('click', lifecycle('stop', (n) => api.stopProfile(n)));
  ui.restartNow.addEventListener('click', lifecycle('restart', (n) => api.restartProfile(n)));
  ui.setActive.addEventListener('click', lifecycle('activate', (n) => api.setActiveProfile(n)));
  installListKeyboard(ui.list);
  doc.addEventListener('keydown', (event) => {
    const dialogOpen = doc.querySelector('dialog[open]') !== null;
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      if (!dialogOpen) void save();
    } else if (event.key === 'Escape' && !dialogOpen) {
      showBanner(ui, undefined);
      showNotice(ui, undefined);
    }
  });

  // Subscribe before asking, so no change between the two is lost; a pushed state wins.
  let pushed = false;
  api.onState((next) => {
    pushed = true;
    onState(next);
  });
  void api.getState().then(
    (result) => {
      if (!result.ok) showBanner(ui, result.error.message);
      else if (!pushed) onState(result.value);
    },
    (e: unknown) => showBanner(ui, rejectedCallError(e).message),
  );
}
