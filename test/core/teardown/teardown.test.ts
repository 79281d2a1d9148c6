// teardownInstances on its own, against the simulators run directly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import { createKubectlClient } from '../../../main/core/colima/kubectl.js';
import { Ledger } from '../../../main/core/ledger/ledger.js';
import { withTimeouts } from '../../../main/core/timeouts.js';
import type { TeardownItem } from '../../../main/core/model.js';
import { teardownInstances } from '../../../main/core/teardown/teardown.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { ledgerEntry } from '../../fixtures/ledger-entries.js';

let env: IntegrationEnv;
let ledger: Ledger;

function deps(overrides: Parameters<typeof withTimeouts>[0] = {}) {
  const runner = createDirectRunner(SIM_DIR, env.env);
  return { colima: createColimaClient(runner), kubectl: createKubectlClient(runner), ledger, timeouts: withTimeouts({ deleteBackoffMs: 50, ...overrides }) };
}

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/unused' });
  ledger = new Ledger(`${env.appHome}/ledger.json`);
});
afterEach(() => env.cleanup());

describe('teardownInstances', () => {
  it('clears ledger entries whose VM is already gone (deleted by hand), touching only those profiles', async () => {
    ledger.record(ledgerEntry('a'));
    ledger.record(ledgerEntry('b'));
    const steps: string[] = [];
    const result = await teardownInstances(ledger.list(), deps(), { onProgress: (items) => steps.push(items.map((i) => `${i.profile}:${i.step}`).join(',')) });
    expect(result).toEqual({ ok: true, remaining: [] });
    expect(ledger.list()).toEqual([]);
    expect(steps[0]).toBe('a:waiting,b:waiting');
    expect(steps.at(-1)).toBe('a:done,b:done');
    expect(new Set(env.colimaCalls().map((a) => a.at(-1)))).toEqual(new Set(['a', 'b', '--json']));
  });

  it('stops retrying the delete when the overall deadline would pass', async () => {
    expect((await env.runColimaByHand(['start', '--profile', 'dev', '--runtime', 'containerd'])).exitCode).toBe(0);
    ledger.record(ledgerEntry('dev'));
    env.setFaults({ deleteFailsTimes: 100 });
    const items: TeardownItem[][] = [];
    // A clock that does not move: 60 s always remain, so no step is cut short however slow the machine,
    // and the 120 s backoff before a retry never fits. The deadline, not the clock, stops the retries.
    const frozen = (): number => 0;
    const result = await teardownInstances(ledger.list(), deps({ deleteBackoffMs: 120_000 }), { totalMs: 60_000, clock: frozen, onProgress: (i) => items.push([...i]) });
    expect(result.ok).toBe(false);
    expect(result.remaining).toEqual([{ profile: 'dev', reason: 'error during teardown of vm: exit status 1' }]);
    const deletes = env.colimaCalls().filter((a) => a[0] === 'delete').length;
    expect(deletes).toBe(1);
    expect(items.at(-1)).toEqual([{ profile: 'dev', step: 'failed', message: 'error during teardown of vm: exit status 1' }]);
    expect(ledger.list().map((e) => e.profile)).toEqual(['dev']);
  });

  it('does nothing at all for an empty ledger', async () => {
    expect(await teardownInstances([], deps())).toEqual({ ok: true, remaining: [] });
    expect(env.calls()).toEqual([]);
  });
});
