// Folder ipc/: the picker's IPC handlers in main and the re-validation of their payloads.
//
// Main's side of the picker IPC: one ipcMain.handle per channel of the contract
// (preload/api-contract.ts). Each handler first checks that the sender is the
// app's own picker page, then re-checks the payload (ipc-payloads.ts), and only
// then calls the AppController. Errors go back as data ({ok:false,error}), never
// as thrown Errors, so the window can show them next to the right field.
import { pathToFileURL } from 'node:url';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { PICKER_CHANNELS, PICKER_STATE_EVENT } from '../../../preload/api-contract.js';
import type { IpcError, IpcResult, PickerAction, PickerContract, PickerState } from '../../../preload/api-contract.js';
import type { AppController } from '../../core/controller-api.js';
import { isAppError, userMessage } from '../../core/errors.js';
import { nullLogger } from '../../core/log.js';
import type { Logger } from '../../core/log.js';
import type { AppSnapshot } from '../../core/model.js';
import { checkDeleteRequest, checkNameRequest, checkNoRequest, checkSaveRequest } from './ipc-payloads.js';
import type { Checked, PayloadContext } from './ipc-payloads.js';
import type { QuitPath } from '../quit/quit.js';
import { quittingError } from '../quit/quit-guard.js';

/** The parts of Electron's ipcMain used here: tests pass a fake of exactly these. */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** Where state pushes go: the webContents of a subscribed picker window. */
export type StateSink = Pick<WebContents, 'send' | 'isDestroyed' | 'getURL' | 'once'>;

export interface IpcOptions {
  /** True only for the URL of the app's own picker page (see pickerPageUrlCheck). */
  readonly isTrustedSender: (frameUrl: string) => boolean;
  /** Passed to the window for the argv preview; defaults to process.platform. */
  readonly platform?: string;
  readonly logger?: Logger;
  /**
   * The quit path: from the first quit request to the exit, starts, restarts,
   * saves and deletes answer BUSY ("Quitting: …") and the window is told
   * (PickerState.quitting) so it disables them. Absent: never quitting.
   */
  readonly quit?: Pick<QuitPath, 'state' | 'subscribe'>;
}

export interface IpcRegistration {
  /** Removes every handler and stops pushing state. */
  dispose(): void;
}

/**
 * A sender check that accepts only `file://` URLs of `indexHtmlPath` (any query
 * or hash, since loadFile may add them). https://…, other files and data: URLs fail.
 */
export function pickerPageUrlCheck(indexHtmlPath: string): (frameUrl: string) => boolean {
  const expected = pathToFileURL(indexHtmlPath).pathname;
  return (frameUrl) => {
    if (typeof frameUrl !== 'string') return false;
    try {
      const url = new URL(frameUrl);
      return url.protocol === 'file:' && url.host === '' && url.pathname === expected;
    } catch {
      return false;
    }
  };
}

/** A structured-clone-safe deep copy, so nothing but plain data crosses IPC. */
function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function toPickerState(snapshot: AppSnapshot, platform: string, quitting = false): PickerState {
  return { snapshot: plainCopy(snapshot), platform, quitting };
}

/** The one place a thrown error becomes IPC data. */
export function toIpcError(e: unknown): IpcError {
  if (isAppError(e)) {
    const field = e.details.field;
    return field === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, field };
  }
  return { code: 'INTERNAL', message: `Unexpected error: ${userMessage(e)}. Try again; if it persists, see Show logs.` };
}

const FORBIDDEN: IpcError = { code: 'FORBIDDEN', message: "Refused: this request did not come from the app's profile window." };

export function registerIpcHandlers(ipcMain: IpcMainLike, controller: AppController, options: IpcOptions): IpcRegistration {
  const platform = options.platform ?? process.platform;
  const logger = options.logger ?? nullLogger;
  const sinks = new Set<StateSink>();
  let stopListening: (() => void) | undefined;
  const quitting = (): boolean => (options.quit ? options.quit.state() !== 'running' : false);
  const state = (snapshot: AppSnapshot): PickerState => toPickerState(snapshot, platform, quitting());
  /** Checked before anything runs: a restart must not even stop once the app is quitting. */
  const refuseWhileQuitting = <Q>(checked: Checked<Q>): Checked<Q> => {
    const quitState = options.quit?.state() ?? 'running';
    if (!checked.ok || quitState === 'running') return checked;
    return { ok: false, error: toIpcError(quittingError(quitState)) };
  };

  const context = (): PayloadContext => {
    const snapshot = controller.snapshot();
    return { profileNames: snapshot.profiles.map((p) => p.name), host: snapshot.host };
  };

  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    // Only the top frame of the picker page: a sub-frame or a navigated-away frame is refused.
    return frame !== null && frame !== undefined && frame.parent === null && options.isTrustedSender(frame.url);
  };

  const broadcast = (snapshot: AppSnapshot): void => {
    const pushed = state(snapshot);
    for (const sink of [...sinks]) {
      if (sink.isDestroyed() || !options.isTrustedSender(sink.getURL())) sinks.delete(sink);
      else sink.send(PICKER_STATE_EVENT, pushed);
    }
    if (sinks.size === 0) unsubscribeController();
  };
  const unsubscribeController = (): void => {
    stopListening?.();
    stopListening = undefined;
  };

  const handlers: { [A in PickerAction]: (args: readonly unknown[], event: IpcMainInvokeEvent) => Promise<IpcResult<PickerContract[A]['response']>> } = {
    getState: async (args) => answer(checkNoRequest(args), () => state(controller.snapshot())),
    listProfiles: async (args) => answer(checkNoRequest(args), () => plainCopy(controller.snapshot().profiles)),
    getProfile: async (args) =>
      answer(checkNameRequest('getProfile', args, context()), ({ name }) => {
        const profile = controller.snapshot().profiles.find((p) => p.name === name);
        if (!profile) throw new Error(`profile ${name} vanished`);
        return plainCopy(profile);
      }),
    saveProfile: async (args) =>
      answer(refuseWhileQuitting(checkSaveRequest(args, context())), ({ profile, previousName }) => plainCopy(controller.saveProfile(profile, previousName))),
    deleteProfile: async (args) =>
      answer(refuseWhileQuitting(checkDeleteRequest(args, context())), async ({ name, confirmName }) => {
        await controller.deleteProfile(name, confirmName);
        return null;
      }),
    setActiveProfile: async (args) =>
      answer(checkNameRequest('setActiveProfile', args, context()), ({ name }) => {
        controller.setActiveProfile(name);
        return null;
      }),
    startProfile: async (args) =>
      answer(refuseWhileQuitting(checkNameRequest('startProfile', args, context())), async ({ name }) => {
        await controller.start(name);
        return null;
      }),
    stopProfile: async (args) =>
      answer(checkNameRequest('stopProfile', args, context()), async ({ name }) => {
        await controller.stop(name);
        return null;
      }),
    restartProfile: async (args) =>
      answer(refuseWhileQuitting(checkNameRequest('restartProfile', args, context())), async ({ name }) => {
        await controller.stop(name);
        await controller.start(name);
        return null;
      }),
    subscribeState: async (args, event) =>
      answer(checkNoRequest(args), () => {
        const sink: StateSink = event.sender;
        if (!sinks.has(sink)) {
          sinks.add(sink);
          sink.once('destroyed', () => sinks.delete(sink));
        }
        stopListening ??= controller.subscribe(broadcast);
        return null;
      }),
    unsubscribeState: async (args, event) =>
      answer(checkNoRequest(args), () => {
        sinks.delete(event.sender);
        if (sinks.size === 0) unsubscribeController();
        return null;
      }),
  };

  // Each quit phase is pushed to open windows, even when no snapshot changes with it.
  const stopQuitUpdates = options.quit?.subscribe(() => {
    if (sinks.size > 0) broadcast(controller.snapshot());
  });

  const actions = Object.keys(PICKER_CHANNELS) as PickerAction[];
  for (const action of actions) {
    const channel = PICKER_CHANNELS[action];
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!trusted(event)) {
        logger.log('warn', `IPC ${channel} refused: sender ${JSON.stringify(String(event.senderFrame?.url ?? 'unknown')).slice(0, 200)} is not the picker page`);
        return { ok: false, error: FORBIDDEN };
      }
      const result = await handlers[action](args, event);
      if (!result.ok) logger.log(result.error.code === 'INTERNAL' ? 'error' : 'info', `IPC ${channel}: ${result.error.code} ${result.error.message}`);
      return result;
    });
  }

  return {
    dispose() {
      for (const action of actions) ipcMain.removeHandler(PICKER_CHANNELS[action]);
      sinks.clear();
      unsubscribeController();
      stopQuitUpdates?.();
    },
  };
}

/** Runs `act` only on a checked request; any throw becomes {ok:false} via toIpcError. */
async function answer<Q, R>(checked: Checked<Q>, act: (request: Q) => R | Promise<R>): Promise<IpcResult<R>> {
  if (!checked.ok) return checked;
  try {
    return { ok: true, value: await act(checked.value) };
  } catch (e) {
    return { ok: false, error: toIpcError(e) };
  }
}
