// Static scan of the sources with electronegativity: it exits 0 even with
// findings, so this gates on its SARIF report: no result of level warning or error.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ELECTRON_VERSION = '45.4.1';

describe('electronegativity', () => {
  it.each(['main', 'preload', 'renderer'])('reports no warning or error in %s/', (dir) => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'eneg-')), 'report.sarif');
    const r = spawnSync(process.execPath, ['test/security/electronegativity-runner.cjs', '-i', dir, '-r', '-e', ELECTRON_VERSION, '-o', out], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as { runs: { results: { level: string; ruleId: string; message: { text: string } }[] }[] };
    const findings = sarif.runs.flatMap((run) => run.results).filter((f) => f.level === 'warning' || f.level === 'error');
    expect(findings.map((f) => `${f.ruleId}: ${f.message.text}`)).toEqual([]);
  }, 180_000);
});
