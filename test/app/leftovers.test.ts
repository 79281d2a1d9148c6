// Launch-time reaping decisions: which ledger entries are a crash's leftovers,
// and what the user is told.
import { describe, expect, it } from 'vitest';
import { reapLeftoversAtLaunch, type LeftoverDeps } from '../../main/app/leftovers.js';
import { AppError } from '../../main/core/errors.js';
import { memoryLogger } from '../../main/core/log.js';
import { FakeController } from '../fixtures/fake-controller.js';

const SELF = 1000;
const DEAD = new Set([111, 222]);

function deps(entries: { profile: string; pid: number }[] | (() => never), controller = new FakeController()) {
  const notices: string[] = [];
  const d: LeftoverDeps = {
    ledger: { list: typeof entries === 'function' ? entries : () => entries },
    isProcessAlive: (pid) => !DEAD.has(pid),
    controller,
    notifier: { notify: (n) => notices.push(`${n.title}: ${n.body}`) },
    logger: memoryLogger(),
    pid: SELF,
  };
  return { d, notices, controller };
}

describe('leftovers at launch', () => {
  it('entries of dead processes are torn down, with a notification naming them', async () => {
    const { d, notices, controller } = deps([
      { profile: 'dev', pid: 111 },
      { profile: 'ci', pid: 222 },
    ]);
    const outcome = await reapLeftoversAtLaunch(d);
    expect(outcome).toEqual({ kind: 'reaped', profiles: ['dev', 'ci'], result: { ok: true, remaining: [] } });
    expect(controller.teardownCalls).toBe(1);
    expect(controller.refreshCalls).toBe(1);
    expect(notices).toEqual(['Cleaning up after the last session: Removing 2 clusters left running when the app last stopped unexpectedly: dev, ci.']);
  });

  it('an empty ledger, or only this process\'s own entries, touches nothing', async () => {
    for (const entries of [[], [{ profile: 'dev', pid: SELF }]]) {
      const { d, notices, controller } = deps(entries);
      expect(await reapLeftoversAtLaunch(d)).toEqual({ kind: 'none' });
      expect(controller.teardownCalls).toBe(0);
      expect(notices).toEqual([]);
    }
  });

  it('while another live colima-k8s process owns an entry (a CLI start), nothing is torn down', async () => {
    const { d, controller } = deps([
      { profile: 'dev', pid: 111 },
      { profile: 'cli', pid: 4242 },
    ]);
    expect(await reapLeftoversAtLaunch(d)).toEqual({ kind: 'busy', owners: [4242] });
    expect(controller.teardownCalls).toBe(0);
  });

  it('what could not be removed is notified, with what to do', async () => {
    const controller = new FakeController();
    controller.teardownImpl = async () => ({ ok: false, remaining: [{ profile: 'dev', reason: 'stop timed out' }] });
    const { d, notices } = deps([{ profile: 'dev', pid: 111 }], controller);
    await reapLeftoversAtLaunch(d);
    expect(notices[1]).toBe('Some leftover clusters could not be removed: dev: stop timed out\nQuitting the app tries again; or run `colima-k8s down`.');
  });

  it('a damaged ledger is reported (the core keeps it as evidence) and nothing is torn down', async () => {
    const { d, notices, controller } = deps(() => {
      throw new AppError('STORE_CORRUPT', 'The ledger /x/ledger.json is damaged (a copy is at /x/ledger.json.bak).');
    });
    expect(await reapLeftoversAtLaunch(d)).toMatchObject({ kind: 'unreadable' });
    expect(notices).toEqual(['Cannot tell which clusters are leftovers: The ledger /x/ledger.json is damaged (a copy is at /x/ledger.json.bak).']);
    expect(controller.teardownCalls).toBe(0);
  });
});
