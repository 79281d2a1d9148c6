// Launch-time decisions: which ledger entries are a crash's leftovers (torn
// down, and only those), which completed CLI starts are adopted, and what the
// user is told.
import { describe, expect, it, vi } from 'vitest';
import { createLeftoverRetry, reapLeftoversAtLaunch, type LeftoverController, type LeftoverDeps } from '../../../main/app/launch/leftovers.js';
import type { Notice } from '../../../main/app/notifications.js';
import type { TeardownResult } from '../../../main/core/controller-api.js';
import { AppError } from '../../../main/core/errors.js';
import type { OwnedEntry } from '../../../main/core/ledger/ownership.js';
import { memoryLogger } from '../../../main/core/log.js';

const SELF = 1000;
const DEAD = new Set([111, 222, 333]);

class RecordingController implements LeftoverController {
  readonly teardowns: (readonly string[] | undefined)[] = [];
  refreshCalls = 0;
  result: TeardownResult = { ok: true, remaining: [] };
  async refresh(): Promise<void> {
    this.refreshCalls++;
  }
  async teardownAll(options: { readonly only?: readonly string[] } = {}): Promise<TeardownResult> {
    this.teardowns.push(options.only);
    return this.result;
  }
}

const tray = (profile: string, pid: number, state: OwnedEntry['state'] = 'started'): OwnedEntry => ({ profile, pid, owner: 'tray', state });
const cli = (profile: string, pid: number, state: OwnedEntry['state']): OwnedEntry => ({ profile, pid, owner: 'cli', state });

function deps(entries: OwnedEntry[] | (() => never), identities: Record<number, string> = {}) {
  const notices: string[] = [];
  const controller = new RecordingController();
  const d: LeftoverDeps = {
    ledger: { list: typeof entries === 'function' ? entries : () => entries },
    isProcessAlive: (pid) => !DEAD.has(pid),
    processIdentity: async (pid) => identities[pid],
    controller,
    notifier: { notify: (n) => notices.push(`${n.title}: ${n.body}`) },
    logger: memoryLogger(),
    pid: SELF,
  };
  return { d, notices, controller };
}

describe('leftovers at launch', () => {
  it('tray entries of dead processes are torn down, and only those, with a notification naming them', async () => {
    const { d, notices, controller } = deps([tray('dev', 111), tray('ci', 222, 'starting')]);
    const outcome = await reapLeftoversAtLaunch(d);
    expect(outcome).toEqual({ kind: 'reaped', profiles: ['dev', 'ci'], adopted: [], result: { ok: true, remaining: [] } });
    expect(controller.teardowns).toEqual([['dev', 'ci']]);
    expect(controller.refreshCalls).toBe(1);
    expect(notices).toEqual(['Cleaning up after the last session: Removing 2 clusters left behind when the app or colima-k8s stopped unexpectedly: dev, ci.']);
  });

  it('a completed CLI start whose CLI exited is adopted: kept, and the user told that quitting deletes it', async () => {
    const { d, notices, controller } = deps([cli('work', 111, 'started')]);
    expect(await reapLeftoversAtLaunch(d)).toEqual({ kind: 'adopted', adopted: ['work'] });
    expect(controller.teardowns).toEqual([]);
    expect(notices).toEqual([
      'Keeping clusters started from the terminal: work was started with colima-k8s and is left as it is. Quitting the app deletes it along with the other clusters it started.',
    ]);
  });

  it('a CLI start that never completed is a leftover; the teardown spares adopted entries and live processes\' entries', async () => {
    const { d, notices, controller } = deps([cli('half', 111, 'starting'), cli('work', 222, 'started'), cli('running', 4242, 'starting'), tray('crashed', 333)]);
    const outcome = await reapLeftoversAtLaunch(d);
    expect(outcome).toEqual({ kind: 'reaped', profiles: ['half', 'crashed'], adopted: ['work'], result: { ok: true, remaining: [] } });
    expect(controller.teardowns).toEqual([['half', 'crashed']]);
    expect(notices.map((n) => n.split(':')[0])).toEqual(['Keeping clusters started from the terminal', 'Cleaning up after the last session']);
  });

  it('an empty ledger, this process\'s own entries, or a live process\'s entries touch nothing', async () => {
    for (const entries of [[], [tray('dev', SELF)], [cli('dev', 4242, 'starting'), tray('ui', 4243)]]) {
      const { d, notices, controller } = deps(entries);
      expect(await reapLeftoversAtLaunch(d)).toEqual({ kind: 'none' });
      expect(controller.teardowns).toEqual([]);
      expect(notices).toEqual([]);
    }
  });

  it('an owner pid now used by another process counts as dead (recorded identity differs)', async () => {
    const reused = { ...tray('dev', 4242), ownerIdentity: 'boot:old' };
    const ours = { ...tray('mine', SELF), ownerIdentity: 'boot:self-before-reboot' };
    const { d, controller } = deps([reused, ours], { 4242: 'boot:new', [SELF]: 'boot:self' });
    expect(await reapLeftoversAtLaunch(d)).toMatchObject({ kind: 'reaped', profiles: ['dev', 'mine'] });
    expect(controller.teardowns).toEqual([['dev', 'mine']]);
  });

  it('what could not be removed is notified, with what to do: no CLI where none is installed (a packaged app)', async () => {
    const { d, notices, controller } = deps([tray('dev', 111)]);
    controller.result = { ok: false, remaining: [{ profile: 'dev', reason: 'stop timed out' }] };
    await reapLeftoversAtLaunch(d);
    expect(notices[1]).toBe('Some leftover clusters could not be removed: dev: stop timed out\nQuitting the app tries again.');
    expect(notices[1]).not.toContain('colima-k8s down');
  });

  it('the CLI is advised only where it runs, as it runs there', async () => {
    const { d, notices, controller } = deps([tray('dev', 111)]);
    controller.result = { ok: false, remaining: [{ profile: 'dev', reason: 'stop timed out' }] };
    await reapLeftoversAtLaunch({ ...d, cliCommand: 'colima-k8s' });
    expect(notices[1]).toBe('Some leftover clusters could not be removed: dev: stop timed out\nQuitting the app tries again. In a terminal: `colima-k8s down`.');
  });

  it('"Delete leftovers": what is left is offered again, its notice retries on click, and the retry tears down only those', async () => {
    const { d, controller } = deps([tray('dev', 111), tray('ci', 222)]);
    const shown: Notice[] = [];
    let changes = 0;
    const retry = createLeftoverRetry({ controller, notifier: { notify: (n) => shown.push(n) }, logger: memoryLogger(), cliCommand: undefined, onChange: () => changes++ });
    controller.result = { ok: false, remaining: [{ profile: 'dev', reason: 'delete failed' }] };
    await reapLeftoversAtLaunch({ ...d, onLeft: retry.record });
    expect(retry.pending()).toEqual(['dev']);
    const notice = shown.at(-1)!;
    expect(notice.body).toBe('dev: delete failed\nClick here or use "Delete leftovers" in the tray menu to try again; quitting the app also tries again.');
    expect(notice.body).not.toContain('colima-k8s');
    controller.result = { ok: true, remaining: [] };
    notice.onClick!();
    expect(retry.running()).toBe(true);
    await vi.waitFor(() => expect(retry.running()).toBe(false));
    expect(controller.teardowns).toEqual([['dev', 'ci'], ['dev']]);
    expect(retry.pending()).toEqual([]);
    expect(changes).toBeGreaterThanOrEqual(3);
    // Nothing left: a second click does nothing.
    await retry.retry();
    expect(controller.teardowns).toHaveLength(2);
  });

  it('a retry that throws keeps the leftovers offered and says why', async () => {
    const { controller } = deps([]);
    const shown: Notice[] = [];
    const retry = createLeftoverRetry({ controller, notifier: { notify: (n) => shown.push(n) }, logger: memoryLogger(), cliCommand: undefined, onChange: () => {} });
    retry.record({ ok: false, remaining: [{ profile: 'dev', reason: 'stop timed out' }] });
    controller.teardownAll = async () => {
      throw new AppError('BUSY', 'The ledger is locked by another colima-k8s process.');
    };
    await retry.retry();
    expect(retry.pending()).toEqual(['dev']);
    expect(shown.at(-1)!.body).toMatch(/^dev: The ledger is locked/);
  });

  it('a damaged ledger is reported (the core keeps it as evidence) and nothing is torn down', async () => {
    const { d, notices, controller } = deps(() => {
      throw new AppError('STORE_CORRUPT', 'The ledger /x/ledger.json is damaged (a copy is at /x/ledger.json.bak).');
    });
    expect(await reapLeftoversAtLaunch(d)).toMatchObject({ kind: 'unreadable' });
    expect(notices).toEqual(['Cannot tell which clusters are leftovers: The ledger /x/ledger.json is damaged (a copy is at /x/ledger.json.bak).']);
    expect(controller.teardowns).toEqual([]);
  });
});
