// What the quit window says for a given state. Pure, so it is tested without a
// window, and bundled into the preload that draws it.
import type { TeardownStep } from '../../../core/model.js';
import type { QuitWindowState } from './contract.js';

export type RowTone = 'waiting' | 'busy' | 'done' | 'failed';

export interface QuitWindowView {
  readonly title: string;
  readonly rows: readonly { readonly profile: string; readonly step: string; readonly tone: RowTone }[];
  /** Shown with the buttons: what "Quit anyway" leaves behind. */
  readonly warning?: string;
  readonly showChoices: boolean;
}

const STEP_TEXT: Record<TeardownStep, { readonly text: string; readonly tone: RowTone }> = {
  waiting: { text: 'waiting', tone: 'waiting' },
  stopping: { text: 'stopping…', tone: 'busy' },
  'force-stopping': { text: 'stopping (forced)…', tone: 'busy' },
  deleting: { text: 'deleting…', tone: 'busy' },
  'cleaning-kubeconfig': { text: 'cleaning kube config…', tone: 'busy' },
  done: { text: 'done', tone: 'done' },
  failed: { text: 'failed', tone: 'failed' },
};

export function quitWindowView(state: QuitWindowState): QuitWindowView {
  const rows = state.items.map((item) => {
    const step = STEP_TEXT[item.step];
    const text = item.step === 'failed' && item.message ? `failed: ${item.message}` : step.text;
    return { profile: item.profile, step: text, tone: step.tone };
  });
  // A failure reported for an instance that has no progress row still gets a row.
  for (const left of state.remaining) {
    if (!rows.some((r) => r.profile === left.profile)) rows.push({ profile: left.profile, step: `failed: ${left.reason}`, tone: 'failed' });
  }
  if (state.phase === 'finishing') {
    return { title: `${state.task ?? 'Finishing…'} The app exits when it is done.`, rows, showChoices: false };
  }
  if (state.phase === 'tearing-down') {
    return { title: rows.length ? 'Stopping and deleting your clusters…' : 'Quitting…', rows, showChoices: false };
  }
  const names = state.remaining.map((r) => r.profile).join(', ');
  const left = names ? `leaves ${names} on this machine` : 'may leave a VM on this machine';
  return {
    title: state.error ? `Teardown stopped: ${state.error}` : 'Some clusters could not be removed',
    rows,
    showChoices: true,
    // Only what the user can do here: the buttons, a later launch, and the CLI where it is installed.
    warning:
      `"Quit anyway" ${left}, still using CPU, memory and disk. "Retry" tries again; so does starting the app ` +
      `again (it removes leftovers at launch)${state.cliCommand ? `, or \`${state.cliCommand} down\` in a terminal` : ''}.`,
  };
}
