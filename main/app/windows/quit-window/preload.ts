// Preload of the quit-progress window (bundled to dist/quit-preload.cjs).
// The page itself runs no script at all (its CSP is `script-src 'none'`): this
// preload draws the state into the DOM from its isolated world and sends back
// the one choice the window offers. Nothing is exposed to the page.
import { ipcRenderer } from 'electron';
import { QUIT_WINDOW_CHOICE, QUIT_WINDOW_STATE, type QuitChoice, type QuitWindowState } from './contract.js';
import { quitWindowView } from './view-model.js';

function element(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`quit.html has no #${id}`);
  return el;
}

function render(state: QuitWindowState): void {
  const view = quitWindowView(state);
  element('title').textContent = view.title;
  const list = element('items');
  list.replaceChildren(
    ...view.rows.map((row) => {
      const li = document.createElement('li');
      li.className = `row ${row.tone}`;
      const name = document.createElement('span');
      name.className = 'profile';
      name.textContent = row.profile;
      const step = document.createElement('span');
      step.className = 'step';
      step.textContent = row.step;
      li.append(name, step);
      return li;
    }),
  );
  const warning = element('warning');
  warning.textContent = view.warning ?? '';
  warning.hidden = !view.warning;
  element('choices').hidden = !view.showChoices;
  if (view.showChoices) element('retry').focus();
}

let latest: QuitWindowState | undefined;
let ready = false;

ipcRenderer.on(QUIT_WINDOW_STATE, (_event, state: QuitWindowState) => {
  latest = state;
  if (ready) render(state);
});

window.addEventListener('DOMContentLoaded', () => {
  ready = true;
  const choose = (choice: QuitChoice) => () => ipcRenderer.send(QUIT_WINDOW_CHOICE, choice);
  element('retry').addEventListener('click', choose('retry'));
  element('quit-anyway').addEventListener('click', choose('quit-anyway'));
  if (latest) render(latest);
});
