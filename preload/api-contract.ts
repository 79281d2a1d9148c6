// The profile picker's IPC contract: the one source of truth shared by main
// (main/app/ipc/ipc.ts), preload (preload/index.ts) and the window (renderer/).
// Only type imports and plain constants here, so every world can import it:
// no node, no electron, nothing that runs.
import type { ErrorCode } from '../main/core/errors.js';
import type { AppSnapshot, Profile } from '../main/core/model.js';

/** One invoke channel per action; preload forwards each PickerApi method to exactly one. */
export const PICKER_CHANNELS = {
  getState: 'picker:get-state',
  listProfiles: 'picker:list-profiles',
  getProfile: 'picker:get-profile',
  saveProfile: 'picker:save-profile',
  deleteProfile: 'picker:delete-profile',
  setActiveProfile: 'picker:set-active-profile',
  startProfile: 'picker:start-profile',
  stopProfile: 'picker:stop-profile',
  restartProfile: 'picker:restart-profile',
  subscribeState: 'picker:subscribe-state',
  unsubscribeState: 'picker:unsubscribe-state',
} as const;

export type PickerAction = keyof typeof PICKER_CHANNELS;
export type PickerChannel = (typeof PICKER_CHANNELS)[PickerAction];

/** Main → window: a new PickerState after every change, sent only to subscribed, trusted senders. */
export const PICKER_STATE_EVENT = 'picker:state';

/** What the window renders from: the app snapshot plus what buildStartArgs needs. */
export interface PickerState {
  readonly snapshot: AppSnapshot;
  /** `process.platform` of main: `--network-address` is only passed on darwin (colima-cli §2.1). */
  readonly platform: string;
  /**
   * True from the first quit request until the exit (teardown, waiting for
   * Retry / Quit anyway, GC after quit): main then refuses starts, restarts,
   * saves and deletes with BUSY, and the window disables them.
   */
  readonly quitting: boolean;
}

/** A profile as the window sends it: every field of Profile, nothing else (main re-validates). */
export type ProfileInput = { -readonly [K in keyof Profile]: Profile[K] };

/** The keys a ProfileInput must have, exactly (main refuses missing and extra keys). */
export const PROFILE_INPUT_KEYS: readonly (keyof Profile)[] = [
  'name',
  'cpus',
  'memoryGiB',
  'diskGiB',
  'kubernetes',
  'kubernetesVersion',
  'runtime',
  'networkAddress',
  'images',
  'keepData',
  'switchKubeContext',
];

export interface NameRequest {
  readonly name: string;
}
export interface SaveProfileRequest {
  readonly profile: ProfileInput;
  /** Set only when renaming: the stored name being replaced. */
  readonly previousName?: string;
}
export interface DeleteProfileRequest {
  readonly name: string;
  /** The name typed by the user; required by main when an instance of the profile exists. */
  readonly confirmName?: string;
}

/** Request (the single invoke argument; `undefined` = no argument) and response per action. */
export interface PickerContract {
  getState: { request: undefined; response: PickerState };
  listProfiles: { request: undefined; response: readonly Profile[] };
  getProfile: { request: NameRequest; response: Profile };
  saveProfile: { request: SaveProfileRequest; response: Profile };
  deleteProfile: { request: DeleteProfileRequest; response: null };
  setActiveProfile: { request: NameRequest; response: null };
  startProfile: { request: NameRequest; response: null };
  stopProfile: { request: NameRequest; response: null };
  /** Stop then start, so edits saved while running take effect now. */
  restartProfile: { request: NameRequest; response: null };
  subscribeState: { request: undefined; response: null };
  unsubscribeState: { request: undefined; response: null };
}

/** The allowed request keys per action with a request object (main refuses any other key). */
export const REQUEST_KEYS = {
  getProfile: ['name'],
  saveProfile: ['profile', 'previousName'],
  deleteProfile: ['name', 'confirmName'],
  setActiveProfile: ['name'],
  startProfile: ['name'],
  stopProfile: ['name'],
  restartProfile: ['name'],
} as const satisfies { [A in PickerAction]?: readonly (keyof NonNullable<PickerContract[A]['request']>)[] };

/** AppError codes plus the two only the IPC layer produces. */
export type IpcErrorCode = ErrorCode | 'FORBIDDEN' | 'INTERNAL';

/** Errors cross IPC as data, never as thrown Errors (Electron would flatten them to a string). */
export interface IpcError {
  readonly code: IpcErrorCode;
  /** Says what to do; shown to the user as is. */
  readonly message: string;
  /** The Profile field (or request field such as `confirmName`) the error is about. */
  readonly field?: string;
  /** Every field error when a profile failed validation. */
  readonly fieldErrors?: readonly { readonly field: string; readonly message: string }[];
}

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export type PickerResponse<A extends PickerAction> = IpcResult<PickerContract[A]['response']>;

/** `window.api` in the picker window: one function per action, plus a state subscription. */
export interface PickerApi {
  getState(): Promise<PickerResponse<'getState'>>;
  listProfiles(): Promise<PickerResponse<'listProfiles'>>;
  getProfile(name: string): Promise<PickerResponse<'getProfile'>>;
  saveProfile(profile: ProfileInput, previousName?: string): Promise<PickerResponse<'saveProfile'>>;
  deleteProfile(name: string, confirmName?: string): Promise<PickerResponse<'deleteProfile'>>;
  setActiveProfile(name: string): Promise<PickerResponse<'setActiveProfile'>>;
  startProfile(name: string): Promise<PickerResponse<'startProfile'>>;
  stopProfile(name: string): Promise<PickerResponse<'stopProfile'>>;
  restartProfile(name: string): Promise<PickerResponse<'restartProfile'>>;
  /** Calls `listener` with every new state; returns the function that stops it. */
  onState(listener: (state: PickerState) => void): () => void;
}
