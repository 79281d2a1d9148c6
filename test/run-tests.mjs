// Runs vitest and ends with the one summary line CI reads:
// "vitest: N passed, N failed, N skipped" (vitest prints none of its own that CI parses).
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const out = 'test-results/vitest.json';
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
let summary = 'vitest: 0 passed, 1 failed, 0 skipped (no JSON report was written)';
try {
  const j = JSON.parse(readFileSync(out, 'utf8'));
  summary = `vitest: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests + j.numTodoTests} skipped`;
} catch {}
console.log(summary);
process.exit(r.status ?? 1);
