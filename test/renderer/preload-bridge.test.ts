// The BUILT preload (dist/preload.cjs, from `npm run build`), run with a fake
// `electron`: it requires nothing but electron, exposes only `window.api` with
// one function per action (never ipcRenderer or a generic invoke), forwards each
// to its contract channel, and, wired to main's real handlers, reaches the
// controller end to end: the channel names agree on both sides.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcRendererEvent } from 'electron';
import { pickerPageUrlCheck, registerIpcHandlers } from '../../main/app/ipc/ipc.js';
import { PICKER_CHANNELS, PICKER_STATE_EVENT } from '../../preload/api-contract.js';
import type { PickerApi, PickerState } from '../../preload/api-contract.js';
import { FakeIpcMain, FakeWebContents } from '../fixtures/electron-fake.js';
import { FakeController, profile, snapshotOf } from '../fixtures/fake-controller.js';

const BUNDLE = path.resolve('dist/preload.cjs');

interface LoadedPreload {
  readonly exposed: { key: string; api: PickerApi }[];
  readonly invokes: { channel: string; args: unknown[] }[];
  readonly listeners: Map<string, Set<(event: IpcRendererEvent, ...args: unknown[]) => void>>;
  readonly required: string[];
}

/** Runs the bundle as Electron's sandboxed preload would, with `invoke` answered by `answer`. */
function loadPreload(answer: (channel: string, ...args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: null })): LoadedPreload {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first.`);
  const loaded: LoadedPreload = { exposed: [], invokes: [], listeners: new Map(), required: [] };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: PickerApi) => void loaded.exposed.push({ key, api }) },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => {
        loaded.invokes.push({ channel, args });
        return answer(channel, ...args);
      },
      on: (channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void) => {
        const set = loaded.listeners.get(channel) ?? new Set();
        loaded.listeners.set(channel, set.add(listener));
      },
      removeListener: (channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void) => void loaded.listeners.get(channel)?.delete(listener),
    },
  };
  const fakeRequire = (id: string): unknown => {
    loaded.required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', readFileSync(BUNDLE, 'utf8'))(fakeRequire, module, module.exports);
  return loaded;
}

const API_METHODS = ['getState', 'listProfiles', 'getProfile', 'saveProfile', 'deleteProfile', 'setActiveProfile', 'startProfile', 'stopProfile', 'restartProfile', 'onState'];

describe('the built preload bundle', () => {
  it('requires only electron, statically and when run', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    expect([...text.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(loadPreload().required).toEqual(['electron']);
  });

  it('exposes only window.api, with one function per action and no way to reach ipcRenderer', () => {
    const { exposed } = loadPreload();
    expect(exposed.map((e) => e.key)).toEqual(['api']);
    const api = exposed[0]!.api as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...API_METHODS].sort());
    for (const key of API_METHODS) expect(typeof api[key]).toBe('function');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|send|invoke|electron/i);
  });

  it('forwards each action to its contract channel with exactly the meant keys', async () => {
    const { exposed, invokes } = loadPreload();
    const api = exposed[0]!.api;
    const p = { ...profile('team-a') };
    await api.getState();
    await api.listProfiles();
    await api.getProfile('k8s');
    await api.saveProfile(p);
    await api.saveProfile(p, 'old');
    await api.deleteProfile('k8s');
    await api.deleteProfile('k8s', 'k8s');
    await api.setActiveProfile('k8s');
    await api.startProfile('k8s');
    await api.stopProfile('k8s');
    await api.restartProfile('k8s');
    expect(invokes).toEqual([
      { channel: PICKER_CHANNELS.getState, args: [] },
      { channel: PICKER_CHANNELS.listProfiles, args: [] },
      { channel: PICKER_CHANNELS.getProfile, args: [{ name: 'k8s' }] },
      { channel: PICKER_CHANNELS.saveProfile, args: [{ profile: p }] },
      { channel: PICKER_CHANNELS.saveProfile, args: [{ profile: p, previousName: 'old' }] },
      { channel: PICKER_CHANNELS.deleteProfile, args: [{ name: 'k8s' }] },
      { channel: PICKER_CHANNELS.deleteProfile, args: [{ name: 'k8s', confirmName: 'k8s' }] },
      { channel: PICKER_CHANNELS.setActiveProfile, args: [{ name: 'k8s' }] },
      { channel: PICKER_CHANNELS.startProfile, args: [{ name: 'k8s' }] },
      { channel: PICKER_CHANNELS.stopProfile, args: [{ name: 'k8s' }] },
      { channel: PICKER_CHANNELS.restartProfile, args: [{ name: 'k8s' }] },
    ]);
    expect(Object.keys(invokes[3]!.args[0] as object)).toEqual(['profile']);
  });

  it('shares one IPC listener and one main subscription among state listeners', () => {
    const { exposed, invokes, listeners } = loadPreload();
    const api = exposed[0]!.api;
    const seen: string[] = [];
    const stopA = api.onState((s) => seen.push(`a:${s.platform}`));
    const stopB = api.onState((s) => seen.push(`b:${s.platform}`));
    expect(listeners.get(PICKER_STATE_EVENT)?.size).toBe(1);
    expect(invokes.map((i) => i.channel)).toEqual([PICKER_CHANNELS.subscribeState]);
    for (const l of listeners.get(PICKER_STATE_EVENT)!) l({} as IpcRendererEvent, { platform: 'linux' } as PickerState);
    expect(seen).toEqual(['a:linux', 'b:linux']);
    stopA();
    stopA();
    expect(listeners.get(PICKER_STATE_EVENT)?.size).toBe(1);
    stopB();
    expect(listeners.get(PICKER_STATE_EVENT)?.size).toBe(0);
    expect(invokes.map((i) => i.channel)).toEqual([PICKER_CHANNELS.subscribeState, PICKER_CHANNELS.unsubscribeState]);
    expect(() => api.onState('not a function' as unknown as () => void)).toThrow(TypeError);
  });

  it('reaches the controller through main’s real handlers, and state flows back', async () => {
    const html = '/app/renderer/index.html';
    const ipcMain = new FakeIpcMain();
    const controller = new FakeController(snapshotOf({ profiles: ['k8s', 'light'] }));
    registerIpcHandlers(ipcMain, controller, { isTrustedSender: pickerPageUrlCheck(html), platform: 'linux' });
    const page = new FakeWebContents();
    page.url = pathToFileURL(html).href;
    const preload = loadPreload((channel, ...args) => ipcMain.invoke(channel, page, ...args));
    const api = preload.exposed[0]!.api;

    const state = await api.getState();
    expect(state).toMatchObject({ ok: true, value: { platform: 'linux', snapshot: { activeProfile: 'k8s' } } });
    expect(await api.setActiveProfile('light')).toEqual({ ok: true, value: null });
    expect(await api.startProfile('light')).toEqual({ ok: true, value: null });
    expect(await api.startProfile('x; touch pwned')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'name' } });
    expect(controller.calls).toEqual(['setActiveProfile light', 'start light']);

    const pushed: PickerState[] = [];
    api.onState((s) => pushed.push(s));
    await vi.waitFor(() => expect(controller.subscriberCount()).toBe(1));
    controller.setActiveProfile('k8s');
    expect(page.sent.map((s) => s.channel)).toEqual([PICKER_STATE_EVENT]);
    for (const l of preload.listeners.get(PICKER_STATE_EVENT)!) l({} as IpcRendererEvent, ...page.sent[0]!.args);
    expect(pushed.map((s) => s.snapshot.activeProfile)).toEqual(['k8s']);
  });
});
