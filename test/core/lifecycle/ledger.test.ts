import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { Ledger, leftoverEntries, type LedgerEntry } from '../../../main/core/ledger.js';

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
    expect(ledger.record(entry('a', { previousContext: 'colima-a', pid: 4242, keepData: true }))).toEqual(entry('a', { pid: 4242, keepData: true }));
    ledger.record(entry('a', { pid: process.pid }));
    expect(new Ledger(file).list().map((e) => e.profile)).toEqual(['a', 'b']);
    ledger.remove('a');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, instances: [entry('b')] });
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
  });

  it('records the previous context of the first start that switches it', () => {
    const ledger = new Ledger(file);
    const { previousContext: _p, ...noSwitch } = entry('a', { switchedContext: false });
    ledger.record(noSwitch);
    expect(ledger.record(entry('a', { previousContext: 'prod' }))).toMatchObject({ switchedContext: true, previousContext: 'prod' });
  });

  it('lists as leftovers the entries whose process is gone', () => {
    const ledger = new Ledger(file);
    ledger.record(entry('mine'));
    ledger.record(entry('crashed', { pid: 999999999 }));
    expect(leftoverEntries(ledger).map((e) => e.profile)).toEqual(['crashed']);
  });
});
