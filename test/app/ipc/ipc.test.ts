// Main's picker IPC (main/app/ipc/ipc.ts): only the app's own picker page may call
// it, every payload is checked again in main, and whatever is refused never
// reaches the controller (hence never the store or a command). Good payloads do
// reach it, as fresh values; controller errors come back as data.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import type { IpcMainInvokeEvent } from 'electron';
import { pickerPageUrlCheck, registerIpcHandlers } from '../../../main/app/ipc/ipc.js';
import type { IpcRegistration } from '../../../main/app/ipc/ipc.js';
import { AppError } from '../../../main/core/errors.js';
import { memoryLogger } from '../../../main/core/log.js';
import type { Profile } from '../../../main/core/model.js';
import { PICKER_CHANNELS, PICKER_STATE_EVENT } from '../../../preload/api-contract.js';
import type { IpcResult, PickerAction } from '../../../preload/api-contract.js';
import type { QuitPath, QuitState } from '../../../main/app/quit/quit.js';
import { FakeIpcMain, FakeWebContents } from '../../fixtures/electron-fake.js';
import { FakeController, profile, snapshotOf } from '../../fixtures/fake-controller.js';

const PAGE = '/opt/colima-k8s-nix/resources/app.asar/renderer/index.html';
const PAGE_URL = pathToFileURL(PAGE).href;

/** FakeController that also records profile saves and deletes, with their exact arguments. */
class RecordingController extends FakeController {
  readonly saves: { input: unknown; previousName: string | undefined }[] = [];
  readonly deletes: { name: string; confirmName: string | undefined }[] = [];
  saveError: unknown;
  override saveProfile(input?: unknown, previousName?: string): Profile {
    this.calls.push('saveProfile');
    this.saves.push({ input, previousName });
    if (this.saveError) throw this.saveError;
    return input as Profile;
  }
  override async deleteProfile(name?: string, confirmName?: string): Promise<void> {
    this.calls.push('deleteProfile');
    this.deletes.push({ name: name ?? '', confirmName });
  }
}

const good = (): Record<string, unknown> => ({ ...profile('team-a'), images: ['nginx:1.27'] });

let ipc: FakeIpcMain;
let controller: RecordingController;
let page: FakeWebContents;
let registration: IpcRegistration;
const logger = memoryLogger();

beforeEach(() => {
  ipc = new FakeIpcMain();
  controller = new RecordingController(snapshotOf({ profiles: ['k8s', 'light'], instances: { k8s: { phase: 'running' } } }));
  page = new FakeWebContents();
  page.url = PAGE_URL;
  registration = registerIpcHandlers(ipc, controller, { isTrustedSender: pickerPageUrlCheck(PAGE), platform: 'darwin', logger });
});
afterEach(() => registration.dispose());

const call = (action: PickerAction, ...args: unknown[]) => ipc.invoke(PICKER_CHANNELS[action], page, ...args) as Promise<IpcResult<unknown>>;

async function expectRefused(action: PickerAction, args: unknown[], code: string = 'INVALID_INPUT'): Promise<string> {
  const result = await call(action, ...args);
  expect(result.ok, `${action} ${JSON.stringify(args)?.slice(0, 120)} should be refused`).toBe(false);
  if (result.ok) return '';
  expect(result.error.code).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(10);
  return result.error.message;
}

describe('picker IPC registration', () => {
  it('registers exactly one handler per contract channel, and dispose removes them', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.values(PICKER_CHANNELS).sort());
    registration.dispose();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('the sender check', () => {
  const forged = [
    'https://evil.example/renderer/index.html',
    'http://localhost:3000/index.html',
    'file:///opt/colima-k8s-nix/resources/app.asar/renderer/other.html',
    'file:///tmp/evil/renderer/index.html',
    'file://evilhost/opt/colima-k8s-nix/resources/app.asar/renderer/index.html',
    'data:text/html,<script>1</script>',
    'about:blank',
    '',
  ];
  it.each(forged)('refuses every channel from %j before touching the controller', async (url) => {
    page.url = url;
    for (const action of Object.keys(PICKER_CHANNELS) as PickerAction[]) {
      const args = action === 'saveProfile' ? [{ profile: good() }] : ['getState', 'listProfiles', 'subscribeState', 'unsubscribeState'].includes(action) ? [] : [{ name: 'k8s' }];
      await expectRefused(action, args, 'FORBIDDEN');
    }
    expect(controller.calls).toEqual([]);
    expect(controller.subscriberCount()).toBe(0);
    expect(logger.lines.some((l) => l.startsWith('warn IPC picker:') && l.includes('refused'))).toBe(true);
  });

  it('refuses a sub-frame of the right page and a frame that is gone', async () => {
    const handler = ipc.handlers.get(PICKER_CHANNELS.startProfile)!;
    const subFrame = { sender: page, senderFrame: { url: PAGE_URL, parent: { url: PAGE_URL } } } as unknown as IpcMainInvokeEvent;
    const gone = { sender: page, senderFrame: null } as unknown as IpcMainInvokeEvent;
    expect(await handler(subFrame, { name: 'k8s' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await handler(gone, { name: 'k8s' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(controller.calls).toEqual([]);
  });

  it('accepts the picker page itself, also with a query or hash', async () => {
    for (const url of [PAGE_URL, `${PAGE_URL}#profiles`, `${PAGE_URL}?x=1`]) {
      page.url = url;
      expect(await call('startProfile', { name: 'k8s' })).toEqual({ ok: true, value: null });
    }
    expect(controller.calls).toEqual(['start k8s', 'start k8s', 'start k8s']);
  });

  it('pickerPageUrlCheck matches the path exactly, even with spaces in it', () => {
    const check = pickerPageUrlCheck('/Applications/Colima K8s Nix.app/Contents/Resources/app.asar/renderer/index.html');
    expect(check('file:///Applications/Colima%20K8s%20Nix.app/Contents/Resources/app.asar/renderer/index.html')).toBe(true);
    expect(check('file:///Applications/Colima%20K8s%20Nix.app/Contents/Resources/app.asar/renderer/index.html.evil')).toBe(false);
    expect(check('not a url')).toBe(false);
    expect(check(undefined as unknown as string)).toBe(false);
  });
});

describe('hostile profile payloads are refused and never reach the controller', () => {
  const huge = 'a'.repeat(1_000_000);
  const withGetter = (): Record<string, unknown> => {
    const p = good();
    Object.defineProperty(p, 'cpus', { get: () => 4, enumerable: true });
    return p;
  };
  const cases: [string, unknown[]][] = [
    ['no argument', []],
    ['two arguments', [{ profile: good() }, 'extra']],
    ['null', [null]],
    ['a string', ['{"profile":{}}']],
    ['an array', [[good()]]],
    ['profile as a string', [{ profile: 'team-a' }]],
    ['an extra request field', [{ profile: good(), force: true }]],
    ['an extra profile field', [{ profile: { ...good(), shell: 'bash -c id' } }]],
    ['a missing profile field', [{ profile: (({ keepData: _k, ...rest }) => rest)(good()) }]],
    ['a __proto__ key (JSON.parse)', [JSON.parse(`{"profile": ${JSON.stringify({ ...good() }).slice(0, -1)}, "__proto__": {"polluted": true}}}`)]],
    ['a __proto__ key on the request', [JSON.parse(`{"profile": ${JSON.stringify(good())}, "__proto__": {"polluted": true}}`)]],
    ['a constructor key', [{ profile: { ...good(), constructor: { prototype: { polluted: true } } } }]],
    ['a non-plain object', [{ profile: Object.assign(Object.create({ inherited: 1 }), good()) }]],
    ['a getter', [{ profile: withGetter() }]],
    ['a symbol key', [{ profile: { ...good(), [Symbol('x')]: 1 } }]],
    ['name with a shell command', [{ profile: { ...good(), name: 'x; touch pwned' } }]],
    ['name with $(…)', [{ profile: { ...good(), name: '$(touch pwned)' } }]],
    ['name with a backtick', [{ profile: { ...good(), name: '`id`' } }]],
    ['name with a newline', [{ profile: { ...good(), name: 'dev\n--cpus' } }]],
    ['name that is a flag', [{ profile: { ...good(), name: '--help' } }]],
    ['name default', [{ profile: { ...good(), name: 'default' } }]],
    ['a huge name', [{ profile: { ...good(), name: huge } }]],
    ['cpus as a string', [{ profile: { ...good(), cpus: '4' } }]],
    ['cpus NaN-like null', [{ profile: { ...good(), cpus: null } }]],
    ['cpus above the host', [{ profile: { ...good(), cpus: 1e9 } }]],
    ['memory Infinity', [{ profile: { ...good(), memoryGiB: Number.POSITIVE_INFINITY } }]],
    ['negative disk', [{ profile: { ...good(), diskGiB: -100 } }]],
    ['runtime podman', [{ profile: { ...good(), runtime: 'podman' } }]],
    ['keepData as a string', [{ profile: { ...good(), keepData: 'yes' } }]],
    ['images as a string', [{ profile: { ...good(), images: 'nginx' } }]],
    ['an image that is a flag', [{ profile: { ...good(), images: ['--privileged'] } }]],
    ['an image with a shell command', [{ profile: { ...good(), images: ['nginx;rm -rf /'] } }]],
    ['an object image', [{ profile: { ...good(), images: ['nginx', {}] } }]],
    ['10 000 images', [{ profile: { ...good(), images: Array.from({ length: 10_000 }, () => 'nginx') } }]],
    ['a huge image', [{ profile: { ...good(), images: [huge] } }]],
    ['a huge kubernetes version', [{ profile: { ...good(), kubernetesVersion: huge } }]],
    ['a kubernetes version with a flag', [{ profile: { ...good(), kubernetesVersion: 'v1.35.0+k3s1 --foo' } }]],
    ['previousName with a shell command', [{ profile: good(), previousName: 'k8s; touch pwned' }]],
    ['previousName as a number', [{ profile: good(), previousName: 42 }]],
    ['a huge previousName', [{ profile: good(), previousName: huge }]],
  ];
  it.each(cases)('saveProfile refuses %s', async (_what, args) => {
    await expectRefused('saveProfile', args);
    expect(controller.calls).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('refuses renaming a profile that does not exist, as NOT_FOUND', async () => {
    await expectRefused('saveProfile', [{ profile: good(), previousName: 'ghost' }], 'NOT_FOUND');
    expect(controller.calls).toEqual([]);
  });

  it('names every bad field so the window can mark them', async () => {
    const result = await call('saveProfile', { profile: { ...good(), cpus: 99, diskGiB: 5 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'cpus' } });
    if (!result.ok) expect(result.error.fieldErrors?.map((e) => e.field)).toEqual(['cpus', 'diskGiB']);
  });
});

describe('hostile name payloads are refused for every name action', () => {
  const actions: PickerAction[] = ['getProfile', 'setActiveProfile', 'startProfile', 'stopProfile', 'restartProfile', 'deleteProfile'];
  const bad: [string, unknown[], string?][] = [
    ['a shell command', [{ name: 'k8s; touch pwned' }]],
    ['$(…)', [{ name: '$(touch /tmp/pwned)' }]],
    ['a newline', [{ name: 'k8s\nrm' }]],
    ['a path', [{ name: '../../etc/passwd' }]],
    ['a flag', [{ name: '-rf' }]],
    ['colima', [{ name: 'colima' }]],
    ['a huge string', [{ name: 'k'.repeat(100_000) }]],
    ['a number', [{ name: 42 }]],
    ['an object', [{ name: { toString: () => 'k8s' } }]],
    ['a bare string', ['k8s']],
    ['no argument', []],
    ['null', [null]],
    ['an extra field', [{ name: 'k8s', force: true }]],
    ['a __proto__ key', [JSON.parse('{"name": "k8s", "__proto__": {"polluted": true}}')]],
    ['an unknown profile', [{ name: 'ghost' }], 'NOT_FOUND'],
  ];
  for (const action of actions)
    it.each(bad)(`${action} refuses %s`, async (_what, args, code) => {
      await expectRefused(action, args, code ?? 'INVALID_INPUT');
      expect(controller.calls).toEqual([]);
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

  it('deleteProfile refuses a confirmation that is not exactly the name', async () => {
    for (const confirmName of ['K8S', 'k8s ', 'k8s; touch pwned', 42, null]) {
      const result = await call('deleteProfile', { name: 'k8s', confirmName });
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'confirmName' } });
    }
    expect(controller.calls).toEqual([]);
  });

  it('requests without arguments refuse any argument', async () => {
    for (const action of ['getState', 'listProfiles', 'subscribeState', 'unsubscribeState'] as const) await expectRefused(action, [{ name: 'k8s' }]);
    expect(controller.calls).toEqual([]);
    expect(controller.subscriberCount()).toBe(0);
  });
});

describe('good payloads reach the controller', () => {
  it('saves a new profile as a fresh, frozen, validated value', async () => {
    const sent = good();
    const result = await call('saveProfile', { profile: sent });
    expect(result).toEqual({ ok: true, value: sent });
    expect(controller.saves).toHaveLength(1);
    const [{ input, previousName }] = controller.saves as [{ input: unknown; previousName: unknown }];
    expect(input).toEqual(sent);
    expect(input).not.toBe(sent);
    expect(Object.isFrozen(input)).toBe(true);
    expect(previousName).toBeUndefined();
  });

  it('renames with the previous name, deletes with and without confirmation', async () => {
    expect((await call('saveProfile', { profile: good(), previousName: 'light' })).ok).toBe(true);
    expect(controller.saves[0]?.previousName).toBe('light');
    expect(await call('deleteProfile', { name: 'light' })).toEqual({ ok: true, value: null });
    expect(await call('deleteProfile', { name: 'k8s', confirmName: 'k8s' })).toEqual({ ok: true, value: null });
    expect(controller.deletes).toEqual([
      { name: 'light', confirmName: undefined },
      { name: 'k8s', confirmName: 'k8s' },
    ]);
  });

  it('activates, starts, stops, and restarts as stop then start', async () => {
    for (const action of ['setActiveProfile', 'startProfile', 'stopProfile', 'restartProfile'] as const)
      expect(await call(action, { name: 'light' })).toEqual({ ok: true, value: null });
    expect(controller.calls).toEqual(['setActiveProfile light', 'start light', 'stop light', 'stop light', 'start light']);
  });

  it('answers state, the profile list and one profile as plain copies', async () => {
    const state = await call('getState');
    expect(state).toEqual({ ok: true, value: { snapshot: JSON.parse(JSON.stringify(controller.snapshot())), platform: 'darwin', quitting: false } });
    expect(await call('listProfiles')).toEqual({ ok: true, value: JSON.parse(JSON.stringify(controller.snapshot().profiles)) });
    expect(await call('getProfile', { name: 'light' })).toEqual({ ok: true, value: { ...profile('light') } });
    if (state.ok) expect(Object.isFrozen((state.value as { snapshot: object }).snapshot)).toBe(false);
  });
});

describe('controller errors come back as data, never thrown', () => {
  it('keeps an AppError’s code, message and field', async () => {
    controller.saveError = new AppError('CONFLICT', 'A profile named "team-a" already exists.', { field: 'name' });
    expect(await call('saveProfile', { profile: good() })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'A profile named "team-a" already exists.', field: 'name' },
    });
  });

  it('turns any other failure into INTERNAL with a message that says what to do', async () => {
    controller.actionImpl = async () => {
      throw new TypeError('boom');
    };
    const result = await call('startProfile', { name: 'k8s' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!result.ok) expect(result.error.message).toMatch(/boom.*Show logs/);
    expect(logger.lines.some((l) => l.startsWith('error IPC picker:start-profile: INTERNAL'))).toBe(true);
  });
});

describe('state pushes', () => {
  it('sends every new snapshot to subscribed picker pages only, and stops when they leave', async () => {
    const other = new FakeWebContents();
    other.url = PAGE_URL;
    expect(await call('subscribeState')).toEqual({ ok: true, value: null });
    expect(await ipc.invoke(PICKER_CHANNELS.subscribeState, other)).toEqual({ ok: true, value: null });
    expect(controller.subscriberCount()).toBe(1);

    const next = snapshotOf({ profiles: ['k8s', 'light'], active: 'light' });
    controller.publish(next);
    const expected = { snapshot: JSON.parse(JSON.stringify(next)), platform: 'darwin', quitting: false };
    expect(page.sent).toEqual([{ channel: PICKER_STATE_EVENT, args: [expected] }]);
    expect(other.sent).toEqual([{ channel: PICKER_STATE_EVENT, args: [expected] }]);

    // A page that navigated away gets nothing more; a destroyed one is dropped.
    other.url = 'https://evil.example/';
    page.emit('destroyed');
    controller.publish(snapshotOf({ profiles: ['k8s'] }));
    expect(page.sent).toHaveLength(1);
    expect(other.sent).toHaveLength(1);
    expect(controller.subscriberCount()).toBe(0);
  });

  it('unsubscribing the last page releases the controller subscription', async () => {
    await call('subscribeState');
    await call('subscribeState');
    expect(controller.subscriberCount()).toBe(1);
    await call('unsubscribeState');
    expect(controller.subscriberCount()).toBe(0);
    controller.publish(snapshotOf());
    expect(page.sent).toEqual([]);
  });
});

describe('while the app quits', () => {
  /** The quit path as ipc.ts sees it: its phase, and a call on every change. */
  class QuitPhases implements Pick<QuitPath, 'state' | 'subscribe'> {
    current: QuitState = 'running';
    readonly listeners = new Set<(state: QuitState) => void>();
    state(): QuitState {
      return this.current;
    }
    subscribe(listener: (state: QuitState) => void): () => void {
      this.listeners.add(listener);
      return () => void this.listeners.delete(listener);
    }
    move(next: QuitState): void {
      this.current = next;
      for (const l of this.listeners) l(next);
    }
  }
  let quit: QuitPhases;

  beforeEach(() => {
    registration.dispose();
    quit = new QuitPhases();
    registration = registerIpcHandlers(ipc, controller, { isTrustedSender: pickerPageUrlCheck(PAGE), platform: 'darwin', logger, quit });
  });

  it.each(['tearing-down', 'awaiting-choice', 'finishing'] as const)(
    'during "%s", start, restart, save and delete answer BUSY "Quitting: …" and never reach the controller',
    async (phase) => {
      quit.move(phase);
      const messages = [
        await expectRefused('startProfile', [{ name: 'k8s' }], 'BUSY'),
        await expectRefused('restartProfile', [{ name: 'k8s' }], 'BUSY'),
        await expectRefused('saveProfile', [{ profile: good() }], 'BUSY'),
        await expectRefused('deleteProfile', [{ name: 'light' }], 'BUSY'),
      ];
      for (const message of messages) expect(message).toMatch(/^Quitting: /);
      // A restart must not even stop: the quit path does that, with its own escalation.
      expect(controller.calls).toEqual([]);
      expect(controller.saves).toEqual([]);
      expect(controller.deletes).toEqual([]);
    },
  );

  it('the message says what to do in each phase', async () => {
    quit.move('awaiting-choice');
    expect(await expectRefused('startProfile', [{ name: 'k8s' }], 'BUSY')).toMatch(/Retry or Quit anyway/);
    quit.move('finishing');
    expect(await expectRefused('startProfile', [{ name: 'k8s' }], 'BUSY')).toMatch(/open it again to start a cluster/);
  });

  it('stops, activation and reads still work; the state says quitting', async () => {
    quit.move('awaiting-choice');
    expect(await call('stopProfile', { name: 'k8s' })).toEqual({ ok: true, value: null });
    expect(await call('setActiveProfile', { name: 'light' })).toEqual({ ok: true, value: null });
    expect(await call('getState')).toMatchObject({ ok: true, value: { quitting: true } });
    expect(controller.calls).toEqual(['stop k8s', 'setActiveProfile light']);
  });

  it('each quit phase is pushed to subscribed pages, even without a new snapshot', async () => {
    await call('subscribeState');
    expect(page.sent).toEqual([]);
    quit.move('tearing-down');
    quit.move('awaiting-choice');
    expect(page.sent.map((m) => (m.args[0] as { quitting: boolean }).quitting)).toEqual([true, true]);
    registration.dispose();
    expect(quit.listeners.size).toBe(0);
  });

  it('before any quit, everything works as usual', async () => {
    expect(await call('startProfile', { name: 'k8s' })).toEqual({ ok: true, value: null });
    expect(await call('getState')).toMatchObject({ ok: true, value: { quitting: false } });
  });
});
