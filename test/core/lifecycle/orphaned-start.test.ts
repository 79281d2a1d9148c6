// A `colima start` left running by an owner that died mid-start: recorded in
// the ledger as soon as it is spawned, killed (with its process group) before
// its entry is torn down, and left alone when it is not ours to kill.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RecordedEntry } from '../../../main/core/ledger/ledger.js';
import { processIdentity, systemProcessProbe } from '../../../main/core/ledger/process-probe.js';
import { orphanedStartAction, stopOrphanedStarts, type LeaderCheck } from '../../../main/core/lifecycle/orphaned-start.js';
import type { OwnerStatus } from '../../../main/core/ledger/ownership.js';
import { memoryLogger } from '../../../main/core/log.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { runCommand, type CommandResult } from '../../../main/core/run.js';
import type { CoreServices } from '../../../main/core/services.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { deadPid, ledgerEntry } from '../../fixtures/ledger-entries.js';
import { FAST_TIMEOUTS, simCoreServices } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const groupAlive = (pgid: number): boolean => systemProcessProbe().groupExists(pgid);

describe('when an orphaned start is killed', () => {
  const facts: [RecordedEntry['state'], boolean, OwnerStatus, boolean, LeaderCheck, 'kill' | 'leave'][] = [
    // state, has a start process, owner, group exists, leader → action
    ['starting', true, 'dead', true, 'matches', 'kill'],
    ['starting', true, 'dead', true, 'gone', 'kill'],
    ['starting', true, 'dead', true, 'unknown', 'kill'],
    ['starting', true, 'dead', true, 'differs', 'leave'],
    ['starting', true, 'dead', false, 'gone', 'leave'],
    ['starting', true, 'alive', true, 'matches', 'leave'],
    ['starting', true, 'self', true, 'matches', 'leave'],
    ['starting', false, 'dead', true, 'matches', 'leave'],
    ['started', true, 'dead', true, 'matches', 'leave'],
  ];
  it.each(facts)('state %s, start process %s, owner %s, group exists %s, leader %s → %s', (state, hasStart, owner, groupExists, leader, action) => {
    const entry = { state, ...(hasStart ? { startProcess: { pgid: 4242 } } : {}) };
    expect(orphanedStartAction(entry, { owner, groupExists, leader })).toBe(action);
  });

  // A teardown takes over: a live owner's start (another process's, or a leftover of this one's) is ended too.
  const takeover: [RecordedEntry['state'], boolean, OwnerStatus, boolean, LeaderCheck, 'kill' | 'leave'][] = [
    ['starting', true, 'alive', true, 'matches', 'kill'],
    ['starting', true, 'self', true, 'matches', 'kill'],
    ['starting', true, 'dead', true, 'unknown', 'kill'],
    ['starting', true, 'alive', true, 'gone', 'kill'],
    ['starting', true, 'alive', true, 'differs', 'leave'],
    ['starting', true, 'alive', false, 'gone', 'leave'],
    ['starting', false, 'alive', true, 'matches', 'leave'],
    ['started', true, 'alive', true, 'matches', 'leave'],
  ];
  it.each(takeover)('in a teardown: state %s, start process %s, owner %s, group exists %s, leader %s → %s', (state, hasStart, owner, groupExists, leader, action) => {
    const entry = { state, ...(hasStart ? { startProcess: { pgid: 4242 } } : {}) };
    expect(orphanedStartAction(entry, { owner, groupExists, leader }, 'takeover')).toBe(action);
  });
});

describe('stopping orphaned starts', () => {
  const running: Promise<CommandResult>[] = [];
  afterEach(async () => {
    await Promise.allSettled(running.splice(0));
  });

  /** A process group like colima's (runCommand spawns detached); `stubborn` ignores SIGTERM. */
  async function group(stubborn = false): Promise<{ pgid: number; identity: string; done: Promise<CommandResult> }> {
    let pgid = 0;
    let ready = false;
    const code = `${stubborn ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); console.log('ready');`;
    const done = runCommand(process.execPath, ['-e', code], { timeoutMs: 60_000, onSpawn: (pid) => (pgid = pid), onStdoutLine: () => (ready = true) });
    running.push(done);
    expect(pgid).toBeGreaterThan(1); // onSpawn ran synchronously, before runCommand's first await
    // Its SIGTERM handler must be in place before the test signals it.
    await vi.waitFor(() => expect(ready).toBe(true), { timeout: 30_000, interval: 10 });
    const identity = await processIdentity(pgid);
    return { pgid, identity: identity!, done };
  }

  const entry = (profile: string, pid: number, startProcess: { pgid: number; identity?: string }): RecordedEntry => ({
    ...ledgerEntry(profile, { pid, startProcess }),
    owner: 'cli',
    state: 'starting',
  });
  const deps = (logger = memoryLogger()) => ({ probe: systemProcessProbe(), self: { pid: process.pid }, logger, graceMs: 300 });

  it('kills the group of a start whose owner is dead; SIGKILL after the grace when SIGTERM is ignored', async () => {
    const polite = await group();
    const stubborn = await group(true);
    const logger = memoryLogger();
    const killed = await stopOrphanedStarts(
      [entry('a', deadPid(), { pgid: polite.pgid, identity: polite.identity }), entry('b', deadPid(), { pgid: stubborn.pgid, identity: stubborn.identity })],
      deps(logger),
    );
    expect(killed).toEqual(['a', 'b']);
    expect(groupAlive(polite.pgid) || groupAlive(stubborn.pgid)).toBe(false);
    expect((await polite.done).signal).toBe('SIGTERM');
    expect((await stubborn.done).signal).toBe('SIGKILL');
    expect(logger.lines.some((l) => l.includes(`process group ${stubborn.pgid} ignored SIGTERM for 300 ms; sending SIGKILL`))).toBe(true);
  });

  it('leaves alone a group whose leader is another process now (pid reuse), or whose owner is alive', async () => {
    const g = await group();
    const owner = await group();
    const killed = await stopOrphanedStarts(
      [
        entry('reused', deadPid(), { pgid: g.pgid, identity: 'another-boot:1' }),
        entry('owner-alive', owner.pgid, { pgid: g.pgid, identity: g.identity }),
        entry('own-start', process.pid, { pgid: g.pgid, identity: g.identity }),
        { ...entry('completed', deadPid(), { pgid: g.pgid, identity: g.identity }), state: 'started' },
      ],
      deps(),
    );
    expect(killed).toEqual([]);
    expect(groupAlive(g.pgid)).toBe(true);
    systemProcessProbe().signalGroup(g.pgid, 'SIGKILL');
    systemProcessProbe().signalGroup(owner.pgid, 'SIGKILL');
  });
});

describe('the controller and an orphaned colima start', () => {
  let env: IntegrationEnv;
  let core: CoreServices;
  beforeEach(() => {
    env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
    core = simCoreServices(env, { timeouts: { ...FAST_TIMEOUTS, orphanGraceMs: 1_000 } });
  });
  afterEach(() => env.cleanup());

  it('records colima start\'s process group while it runs, its owner, and the completed start', async () => {
    core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes: false });
    env.setFaults({ startDelayMs: 1_000 });
    const start = core.controller.start('dev', { owner: 'cli' });
    const colimaStart = () => env.calls().find((c) => c.program === 'colima' && c.argv[0] === 'start');
    await vi.waitFor(() => expect(core.ledger.get('dev')?.startProcess?.identity && colimaStart()).toBeTruthy(), { timeout: 30_000, interval: 20 });
    const colima = colimaStart()!;
    expect(core.ledger.get('dev')).toMatchObject({
      owner: 'cli',
      state: 'starting',
      pid: process.pid,
      ownerIdentity: await processIdentity(process.pid),
      startProcess: { pgid: colima.pid, identity: await processIdentity(colima.pid) },
    });
    await start;
    const done = core.ledger.get('dev')!;
    expect(done).toMatchObject({ owner: 'cli', state: 'started' });
    expect(done.startProcess).toBeUndefined();
  });

  it('teardown kills a start left by a dead owner first, so the VM does not appear after it', async () => {
    // The start waits (silently) before it creates the VM: a teardown then finds no VM and succeeds,
    // and without the kill the start would create the VM afterwards.
    env.setFaults({ startDelayMs: 2_500 });
    const owner = deadPid();
    core.ledger.record(ledgerEntry('dev', { pid: owner, owner: 'cli' }));
    const orphan = createDirectRunner(SIM_DIR, env.env).run('colima', ['start', '--profile', 'dev', '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd'], {
      timeoutMs: 60_000,
      onSpawn: (pid) => core.ledger.markSpawned('dev', owner, { pgid: pid }),
    });
    const pgid = core.ledger.get('dev')!.startProcess!.pgid;
    core.ledger.markSpawned('dev', owner, { pgid, identity: (await processIdentity(pgid))! });
    await vi.waitFor(() => expect(env.colimaCalls()).toContainEqual(expect.arrayContaining(['start'])), { timeout: 30_000, interval: 20 });

    const result = await core.controller.teardownAll();
    expect(result).toEqual({ ok: true, remaining: [] });
    expect((await orphan).signal).toBe('SIGTERM');
    expect(groupAlive(pgid)).toBe(false);
    expect(core.ledger.list()).toEqual([]);
    // Longer than the rest of the simulated start: the VM never appears.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await core.colima.list()).toEqual([]);
  });
});
