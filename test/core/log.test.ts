import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileLogger, formatLogLine } from '../../main/core/log.js';

describe('fileLogger', () => {
  it('appends one formatted line per event', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'log-'));
    const file = path.join(dir, 'logs', 'app.log');
    const log = fileLogger(file);
    log.log('info', 'first');
    log.log('warn', 'second');
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.slice(25))).toEqual(['INFO  first', 'WARN  second']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes the folder again when it was deleted while the app runs', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'log-'));
    const file = path.join(dir, 'logs', 'app.log');
    const log = fileLogger(file);
    rmSync(path.join(dir, 'logs'), { recursive: true });
    log.log('error', 'still written');
    expect(readFileSync(file, 'utf8')).toContain('ERROR still written');
    rmSync(dir, { recursive: true, force: true });
  });

  it('formats an ISO time, the level padded to five, then the message', () => {
    expect(formatLogLine('info', 'x', new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05.000Z INFO  x');
  });
});
