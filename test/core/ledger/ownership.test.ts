// Who owns a ledger entry and what a tray launch does with it: the pure rule
// for every combination, the owner check (with pid reuse), and the process
// identity it relies on.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { LedgerOwner, StartState } from '../../../main/core/ledger/ledger.js';
import { launchDecision, ownerStatus, planLaunch, type LaunchDecision, type OwnedEntry, type OwnerStatus } from '../../../main/core/ledger/ownership.js';
import { processIdentity, systemProcessProbe } from '../../../main/core/ledger/process-probe.js';
import { deadPid } from '../../fixtures/ledger-entries.js';

describe('the launch rule', () => {
  // owner × state × owner process → decision. A leftover is reaped when its
  // owner is dead AND (the tray owned it OR its start never completed).
  const table: [LedgerOwner, StartState, OwnerStatus, LaunchDecision][] = [
    ['tray', 'starting', 'self', 'own'],
    ['tray', 'started', 'self', 'own'],
    ['cli', 'starting', 'self', 'own'],
    ['cli', 'started', 'self', 'own'],
    ['tray', 'starting', 'alive', 'in-use'],
    ['tray', 'started', 'alive', 'in-use'],
    ['cli', 'starting', 'alive', 'in-use'],
    ['cli', 'started', 'alive', 'in-use'],
    ['tray', 'starting', 'dead', 'reap'],
    ['tray', 'started', 'dead', 'reap'],
    ['cli', 'starting', 'dead', 'reap'],
    ['cli', 'started', 'dead', 'adopt'],
  ];
  it.each(table)('owner %s, state %s, owner process %s → %s', (owner, state, status, decision) => {
    expect(launchDecision({ owner, state }, status)).toBe(decision);
  });
});

describe('the owner process', () => {
  const SELF = { pid: 1000, identity: 'boot:1000' };
  const probe = (alive: Record<number, string | undefined>) => ({
    isAlive: (pid: number) => pid in alive,
    identity: async (pid: number) => alive[pid],
  });
  const entry = (pid: number, ownerIdentity?: string): OwnedEntry => ({
    profile: 'p',
    pid,
    owner: 'cli',
    state: 'started',
    ...(ownerIdentity !== undefined ? { ownerIdentity } : {}),
  });

  it('is this process, another live one, or dead', async () => {
    const p = probe({ 1000: 'boot:1000', 2000: 'boot:2000' });
    expect(await ownerStatus(entry(1000, 'boot:1000'), SELF, p)).toBe('self');
    expect(await ownerStatus(entry(1000), SELF, p)).toBe('self');
    expect(await ownerStatus(entry(2000, 'boot:2000'), SELF, p)).toBe('alive');
    expect(await ownerStatus(entry(2000), SELF, p)).toBe('alive');
    expect(await ownerStatus(entry(3000, 'boot:3000'), SELF, p)).toBe('dead');
  });

  it('a reused pid is not the owner: neither another process nor this one', async () => {
    const p = probe({ 1000: 'boot:1000', 2000: 'boot:2999' });
    expect(await ownerStatus(entry(2000, 'boot:2000'), SELF, p)).toBe('dead');
    // Recorded by an earlier process that had this process's pid (e.g. before a reboot).
    expect(await ownerStatus(entry(1000, 'oldboot:1000'), SELF, p)).toBe('dead');
  });

  it('an identity that cannot be read now trusts the pid (leaves the VM alone)', async () => {
    expect(await ownerStatus(entry(2000, 'boot:2000'), SELF, probe({ 2000: undefined }))).toBe('alive');
  });

  it('plans a launch: reap, adopt, in use', async () => {
    const entries: OwnedEntry[] = [
      { profile: 'crashed-tray', pid: 11, owner: 'tray', state: 'started' },
      { profile: 'cli-done', pid: 12, owner: 'cli', state: 'started' },
      { profile: 'cli-killed', pid: 13, owner: 'cli', state: 'starting' },
      { profile: 'cli-running', pid: 2000, owner: 'cli', state: 'starting' },
      { profile: 'mine', pid: 1000, owner: 'tray', state: 'started' },
    ];
    const plan = await planLaunch(entries, SELF, probe({ 1000: 'boot:1000', 2000: 'boot:2000' }));
    expect(plan.reap.map((e) => e.profile)).toEqual(['crashed-tray', 'cli-killed']);
    expect(plan.adopt.map((e) => e.profile)).toEqual(['cli-done']);
    expect(plan.inUse.map((e) => e.profile)).toEqual(['cli-running']);
  });
});

// Linux (/proc) and macOS (ps): the platforms the app runs on.
describe('process identity', () => {
  it('is stable for a process, differs between processes, and is undefined once it has exited', async () => {
    const mine = await processIdentity(process.pid);
    expect(mine).toBeTruthy();
    expect(await processIdentity(process.pid)).toBe(mine);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
    try {
      const theirs = await processIdentity(child.pid!);
      expect(theirs).toBeTruthy();
      expect(theirs).not.toBe(mine);
    } finally {
      child.kill('SIGKILL');
    }
    const dead = deadPid();
    expect(await processIdentity(dead)).toBeUndefined();
    expect(await processIdentity(0)).toBeUndefined();
  });

  it('the probe refuses to signal group 1 or 0, whatever a ledger says', () => {
    const probe = systemProcessProbe();
    expect(() => probe.signalGroup(1, 'SIGTERM')).toThrow(RangeError);
    expect(() => probe.groupExists(0)).toThrow(RangeError);
  });
});
