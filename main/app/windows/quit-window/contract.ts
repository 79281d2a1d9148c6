// The quit window's two messages, shared by main (quit-window.ts) and its
// preload. Only types and constants: the sandboxed preload bundles this.
import type { TeardownItem } from '../../../core/model.js';

/** main → window: the whole state, sent on every change and after each load. */
export const QUIT_WINDOW_STATE = 'quit-window:state';
/** window → main: the user's answer once teardown has failed. */
export const QUIT_WINDOW_CHOICE = 'quit-window:choice';

export type QuitChoice = 'retry' | 'quit-anyway';

export function isQuitChoice(value: unknown): value is QuitChoice {
  return value === 'retry' || value === 'quit-anyway';
}

export interface QuitWindowState {
  /**
   * `failed`: teardown finished (after its escalation) with instances left; waiting for a choice.
   * `finishing`: teardown succeeded; a last task (nix garbage collection) runs before the exit.
   */
  readonly phase: 'tearing-down' | 'failed' | 'finishing';
  readonly items: readonly TeardownItem[];
  /** What is left and why (phase `failed`). */
  readonly remaining: readonly { readonly profile: string; readonly reason: string }[];
  /** Set when teardown itself threw instead of reporting per instance. */
  readonly error?: string;
  /** Phase `finishing`: what runs now, e.g. `Collecting nix garbage…`. */
  readonly task?: string;
  /** How the CLI runs here (`colima-k8s`); absent where it is not installed (a packaged app), so never advised. */
  readonly cliCommand?: string;
}
