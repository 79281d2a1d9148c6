import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { isProcessAlive, Ledger, LEGACY_OWNER, LEGACY_STATE, type LedgerEntry } from '../../../main/core/ledger/ledger.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
  file = path.join(dir, 'ledger.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (profile: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  profile,
  instanceId: `colima-${profile}`,
  keepData: false,
  switchedContext: true,
  previousContext: 'kind-mine',
  startedAt: '2026-08-21T10:00:00.000Z',
  pid: process.pid,
  ...extra,
});

describe('ledger', () => {
  it('is empty without a file, records, merges a second start of a profile, removes', () => {
    const ledger = new Ledger(file);
    expect(ledger.list()).toEqual([]);
    ledger.record(entry('a'));
    ledger.record(entry('b'));
    // A second start takes over ownership and keep-data but keeps the user's own previous context.
    expect(ledger.record(entry('a', { previousContext: 'colima-a', pid: 4242, keepData: true, owner: 'cli' }))).toEqual(
      entry('a', { pid: 4242, keepData: true, owner: 'cli', state: 'starting' }),
    );
    ledger.record(entry('a', { pid: process.pid }));
    expect(new Ledger(file).list().map((e) => e.profile)).toEqual(['a', 'b']);
    ledger.remove('a');
    // A caller that does not say who it is records what the tray would: owner tray, state starting.
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, instances: [entry('b', { owner: 'tray', state: 'starting' })] });
  });

  it('writes atomically and leaves no temp or lock file behind', () => {
    const ledger = new Ledger(file);
    for (let i = 0; i < 20; i++) ledger.record(entry(`p${i}`));
    expect(readdirSync(dir)).toEqual(['ledger.json']);
  });

  it('takes over a lock left by a dead process', () => {
    writeFileSync(`${file}.lock`, '999999999');
    new Ledger(file).record(entry('a'));
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(new Ledger(file).get('a')).toBeDefined();
  });

  it('refuses a damaged ledger, keeping a copy, instead of forgetting instances', () => {
    writeFileSync(file, '{"version":1,"instances":[{"profile":');
    let error: unknown;
    try {
      new Ledger(file).list();
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, 'STORE_CORRUPT')).toBe(true);
    const backups = readdirSync(dir).filter((f) => f.includes('corrupt'));
    expect(backups).toHaveLength(1);
    expect((error as Error).message).toContain(path.join(dir, backups[0]!));
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"instances":[{"profile":');
    // Read again and again (each snapshot does): still exactly one copy.
    for (let i = 0; i < 3; i++) expect(() => new Ledger(file).list()).toThrow(/is damaged/);
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual(backups);
  });

  it('keeps one copy per damaged content, however often it is read (every snapshot reads it)', () => {
    writeFileSync(file, '{"version":1,"instances":[{"profile":');
    const ledger = new Ledger(file);
    const messages = new Set<string>();
    const readDamaged = (l: Ledger): void => {
      let error: unknown;
      try {
        l.list();
      } catch (e) {
        error = e;
      }
      expect(isAppError(error, 'STORE_CORRUPT')).toBe(true);
      messages.add((error as Error).message);
    };
    for (let i = 0; i < 5; i++) readDamaged(ledger);
    // Another process (the CLI while the tray runs) finds the same copy.
    readDamaged(new Ledger(file));
    const copies = (): string[] => readdirSync(dir).filter((f) => f.includes('corrupt'));
    expect(copies()).toHaveLength(1);
    expect(messages.size).toBe(1);
    // Damaged differently: a second copy, once.
    writeFileSync(file, '{"version":1,"instances":[{');
    for (let i = 0; i < 3; i++) readDamaged(ledger);
    expect(copies()).toHaveLength(2);
    expect(copies().map((f) => readFileSync(path.join(dir, f), 'utf8')).sort()).toEqual(['{"version":1,"instances":[{', '{"version":1,"instances":[{"profile":']);
  });

  it('treats an entry naming colima\'s own instance, or an instance ID not its profile\'s, as damage: never acted on', () => {
    const bad: [string, Record<string, unknown>][] = [
      ['empty profile (colima\'s default instance)', { profile: '', instanceId: 'colima' }],
      ['colima\'s default profile', { profile: 'default', instanceId: 'colima' }],
      ['default with a made-up ID', { profile: 'default', instanceId: 'colima-default' }],
      ['the instance ID as profile', { profile: 'colima', instanceId: 'colima' }],
      ['an ID of another profile', { profile: 'dev', instanceId: 'colima-prod' }],
      ['an ID of the default instance', { profile: 'dev', instanceId: 'colima' }],
      ['a name colima reads as a flag', { profile: '--force', instanceId: 'colima---force' }],
      ['upper case', { profile: 'Dev', instanceId: 'colima-Dev' }],
      ['a colima- prefix', { profile: 'colima-dev', instanceId: 'colima-dev' }],
      ['a profile that is no string', { profile: 7, instanceId: 'colima-7' }],
      ['a teardown pid that is no pid', { teardownBy: 0 }],
    ];
    for (const [what, fields] of bad) {
      writeFileSync(file, JSON.stringify({ version: 1, instances: [entry('ok'), { ...entry('dev'), ...fields }] }));
      let error: unknown;
      try {
        new Ledger(file).list();
      } catch (e) {
        error = e;
      }
      expect(isAppError(error, 'STORE_CORRUPT'), what).toBe(true);
      expect((error as Error).message, what).toMatch(/is damaged: entry 2: /);
    }
    writeFileSync(file, JSON.stringify({ version: 1, instances: [entry('dev'), entry('dev')] }));
    expect(() => new Ledger(file).list()).toThrow(/entry 2: profile "dev" is recorded twice/);
  });

  it('never writes an entry it would refuse to read', () => {
    const ledger = new Ledger(file);
    ledger.record(entry('a'));
    const before = readFileSync(file, 'utf8');
    for (const bad of [entry('default', { instanceId: 'colima' }), entry('', { instanceId: 'colima' }), entry('b', { instanceId: 'colima-c' })]) {
      let error: unknown;
      try {
        ledger.record(bad);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error, 'INVALID_INPUT'), JSON.stringify(bad)).toBe(true);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(ledger.list().map((e) => e.profile)).toEqual(['a']);
  });

  it('a teardown claims entries: their owner can no longer record a start process or complete the start, until a new start', () => {
    const ledger = new Ledger(file);
    ledger.record(entry('a', { owner: 'cli' }));
    ledger.record(entry('b'));
    expect(ledger.markSpawned('a', process.pid, { pgid: 777 })).toBe(true);
    const claimed = ledger.claimForTeardown(['a', 'gone'], 4242);
    expect(claimed).toEqual([expect.objectContaining({ profile: 'a', teardownBy: 4242, startProcess: { pgid: 777 } })]);
    expect(ledger.get('b')!.teardownBy).toBeUndefined();
    expect(ledger.markSpawned('a', process.pid, { pgid: 777, identity: 'x:1' })).toBe(false);
    expect(ledger.markStarted('a', process.pid)).toBe(false);
    expect(ledger.get('a')).toMatchObject({ state: 'starting', teardownBy: 4242 });
    // A new start takes it back.
    expect(ledger.record(entry('a')).teardownBy).toBeUndefined();
    expect(ledger.markStarted('a', process.pid)).toBe(true);
    expect(ledger.claimForTeardown(['nothing'], 4242)).toEqual([]);
    // A teardown that is over releases what it could not delete; another teardown's claim stays.
    ledger.claimForTeardown(['a', 'b'], 4242);
    ledger.claimForTeardown(['b'], 5151);
    ledger.releaseFromTeardown(['a', 'b'], 4242);
    expect(ledger.list().map((e) => [e.profile, e.teardownBy])).toEqual([['a', undefined], ['b', 5151]]);
  });

  it('takes a new keep-data choice for a recorded instance', () => {
    const ledger = new Ledger(file);
    ledger.record(entry('a'));
    expect(ledger.setKeepData('a', true)).toBe(true);
    expect(ledger.get('a')!.keepData).toBe(true);
    expect(ledger.setKeepData('a', true)).toBe(false);
    expect(ledger.setKeepData('missing', true)).toBe(false);
  });

  it('records the previous context of the first start that switches it', () => {
    const ledger = new Ledger(file);
    const { previousContext: _p, ...noSwitch } = entry('a', { switchedContext: false });
    ledger.record(noSwitch);
    expect(ledger.record(entry('a', { previousContext: 'prod' }))).toMatchObject({ switchedContext: true, previousContext: 'prod' });
  });

  it('records the start process of its owner\'s start, then marks the start completed', () => {
    const ledger = new Ledger(file);
    ledger.record(entry('a', { owner: 'cli' }));
    // Another process does not change an entry it no longer owns.
    expect(ledger.markSpawned('a', 4242, { pgid: 777 })).toBe(false);
    expect(ledger.markSpawned('a', process.pid, { pgid: 777 })).toBe(true);
    // The identity read after the spawn completes the record of that same group only.
    expect(ledger.markSpawned('a', process.pid, { pgid: 778, identity: 'x:1' })).toBe(false);
    expect(ledger.markSpawned('a', process.pid, { pgid: 777, identity: 'x:2' })).toBe(true);
    expect(ledger.get('a')).toMatchObject({ owner: 'cli', state: 'starting', startProcess: { pgid: 777, identity: 'x:2' } });
    expect(ledger.markStarted('a', 4242)).toBe(false);
    expect(ledger.markStarted('a', process.pid)).toBe(true);
    const started = ledger.get('a')!;
    expect(started.state).toBe('started');
    expect(started.startProcess).toBeUndefined();
    // Too late: a completed start has no start process to record.
    expect(ledger.markSpawned('a', process.pid, { pgid: 777, identity: 'x:2' })).toBe(false);
    // A new start of the entry (here by the tray) takes it over and starts again from `starting`.
    expect(ledger.record(entry('a', { pid: 5151, ownerIdentity: 'id-5151' }))).toMatchObject({ owner: 'tray', state: 'starting', pid: 5151, ownerIdentity: 'id-5151' });
  });

  it('reads a ledger written before owners were recorded as completed CLI starts (adopted, never deleted at launch)', () => {
    const legacy = entry('old'); // the fields of the first ledger version only
    expect(Object.keys(legacy)).not.toContain('owner');
    writeFileSync(file, JSON.stringify({ version: 1, instances: [legacy] }));
    expect(LEGACY_OWNER).toBe('cli');
    expect(LEGACY_STATE).toBe('started');
    expect(new Ledger(file).get('old')).toEqual({ ...legacy, owner: 'cli', state: 'started' });
  });

  it('refuses entries with an unknown owner or state, or a start process group that could not be ours', () => {
    for (const bad of [{ owner: 'daemon' }, { state: 'done' }, { startProcess: { pgid: 1 } }, { startProcess: { pgid: -5 } }, { pid: 0 }]) {
      writeFileSync(file, JSON.stringify({ version: 1, instances: [{ ...entry('a'), ...bad }] }));
      let error: unknown;
      try {
        new Ledger(file).list();
      } catch (e) {
        error = e;
      }
      expect(isAppError(error, 'STORE_CORRUPT'), JSON.stringify(bad)).toBe(true);
    }
  });

  it('never takes 0 or a negative number for a live process (kill would signal a whole group)', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    for (const pid of [0, -1, -process.pid, 1.5]) expect(isProcessAlive(pid)).toBe(false);
  });
});
