import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOperationLog, latestLogFile, listLogFiles, operationLogName, operationSlug, pruneLogs } from '../../../main/core/maintenance/logs.js';

let root: string;
let logsDir: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ck8s-logs-'));
  logsDir = path.join(root, 'app home', 'logs');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const at = (i: number): Date => new Date(Date.UTC(2026, 7, 21, 10, 15, 30, i));

describe('per-operation log files', () => {
  it('creates a new file named by time and operation, with a header, that the logger appends to', () => {
    const log = createOperationLog(logsDir, 'start dev', { now: at(123) });
    expect(log.file).toBe(path.join(logsDir, '2026-08-21T10-15-30-123Z-start-dev.log'));
    log.logger.log('info', 'run ["colima","start"]');
    log.logger.log('error', 'exit 1');
    const lines = readFileSync(log.file, 'utf8').split('\n');
    expect(lines[0]).toBe('2026-08-21T10:15:30.123Z INFO  operation: start dev');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  run \["colima","start"\]$/);
    expect(lines[2]).toMatch(/Z ERROR exit 1$/);
    expect(lines[3]).toBe('');
  });

  it('never shares a file: a second operation in the same millisecond gets its own', () => {
    const a = createOperationLog(logsDir, 'gc', { now: at(1) });
    const b = createOperationLog(logsDir, 'gc', { now: at(1) });
    expect(path.basename(a.file)).toBe('2026-08-21T10-15-30-001Z-gc.log');
    expect(path.basename(b.file)).toBe('2026-08-21T10-15-30-001Z-gc.1.log');
    expect(listLogFiles(logsDir)).toEqual([a.file, b.file]);
    expect(latestLogFile(logsDir)).toBe(b.file);
  });

  it('keeps only the newest N operation logs and never touches other files', () => {
    writeFileSync(path.join(root, 'placeholder'), '');
    const made = [0, 1, 2, 3, 4].map((i) => createOperationLog(logsDir, `op ${i}`, { now: at(i), keep: 3 }).file);
    writeFileSync(path.join(logsDir, 'my notes.log'), 'keep me');
    writeFileSync(path.join(logsDir, 'README.txt'), 'keep me too');
    expect(listLogFiles(logsDir)).toEqual(made.slice(2));
    expect(readdirSync(logsDir).sort()).toEqual([...made.slice(2).map((f) => path.basename(f)), 'README.txt', 'my notes.log'].sort());
    expect(pruneLogs(logsDir, 1)).toEqual(made.slice(2, 4));
    expect(latestLogFile(logsDir)).toBe(made[4]);
    expect(readFileSync(path.join(logsDir, 'my notes.log'), 'utf8')).toBe('keep me');
  });

  it('has no latest log before the first operation (and no folder)', () => {
    expect(latestLogFile(logsDir)).toBeUndefined();
    expect(listLogFiles(logsDir)).toEqual([]);
  });

  it('turns any operation name into a safe file name', () => {
    expect(operationSlug('../../etc/passwd')).toBe('etc-passwd');
    expect(operationSlug('Start DEV!')).toBe('start-dev');
    expect(operationSlug('')).toBe('operation');
    expect(operationSlug('$(rm -rf ~)')).toBe('rm-rf');
    expect(operationSlug('x'.repeat(100))).toHaveLength(60);
    expect(operationLogName('teardown', at(9), 2)).toBe('2026-08-21T10-15-30-009Z-teardown.2.log');
  });
});
