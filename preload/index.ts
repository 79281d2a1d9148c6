// The picker window's only door to main: one function per action, each forwarding
// to its named channel (preload/api-contract.ts). Never exposes ipcRenderer or a
// generic send/invoke, so page script can reach nothing else (electron-stack §10).
// Bundled to dist/preload.cjs whose only require is "electron" (sandboxed preload, §4).
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { PICKER_CHANNELS, PICKER_STATE_EVENT } from './api-contract.js';
import type { PickerAction, PickerApi, PickerContract, PickerResponse, PickerState } from './api-contract.js';

function invoke<A extends PickerAction>(action: A, request?: PickerContract[A]['request']): Promise<PickerResponse<A>> {
  const channel = PICKER_CHANNELS[action];
  return request === undefined ? ipcRenderer.invoke(channel) : ipcRenderer.invoke(channel, request);
}

/** Omits undefined optional keys, so main sees exactly the keys that were meant. */
function withOptional<T extends object>(base: T, key: string, value: string | undefined): T {
  return value === undefined ? base : { ...base, [key]: value };
}

/** One IPC listener and one main-side subscription, shared by every page listener. */
function stateSubscription(): PickerApi['onState'] {
  const listeners = new Set<(state: PickerState) => void>();
  const onEvent = (_event: IpcRendererEvent, state: PickerState): void => {
    for (const listener of [...listeners]) listener(state);
  };
  return (listener) => {
    if (typeof listener !== 'function') throw new TypeError('onState needs a function.');
    const wrapped = (state: PickerState): void => listener(state);
    if (listeners.size === 0) {
      ipcRenderer.on(PICKER_STATE_EVENT, onEvent);
      void invoke('subscribeState');
    }
    listeners.add(wrapped);
    return () => {
      if (!listeners.delete(wrapped) || listeners.size > 0) return;
      ipcRenderer.removeListener(PICKER_STATE_EVENT, onEvent);
      void invoke('unsubscribeState');
    };
  };
}

export function createPickerApi(): PickerApi {
  return {
    getState: () => invoke('getState'),
    listProfiles: () => invoke('listProfiles'),
    getProfile: (name) => invoke('getProfile', { name }),
    saveProfile: (profile, previousName) => invoke('saveProfile', withOptional({ profile }, 'previousName', previousName)),
    deleteProfile: (name, confirmName) => invoke('deleteProfile', withOptional({ name }, 'confirmName', confirmName)),
    setActiveProfile: (name) => invoke('setActiveProfile', { name }),
    startProfile: (name) => invoke('startProfile', { name }),
    stopProfile: (name) => invoke('stopProfile', { name }),
    restartProfile: (name) => invoke('restartProfile', { name }),
    onState: stateSubscription(),
  };
}

// The preload's whole job: this file is an entry point, run once per window.
contextBridge.exposeInMainWorld('api', createPickerApi());
