// Teardown of 3 app-started instances against 1, through the colima and
// kubectl simulators with the same per-stage delay. Instances are torn down in
// parallel, so 3 should take little more than 1 (target: ≤ 1.3×).
//
// What does not run in parallel, on purpose: the kubeconfig cleanup (kubectl
// fails instead of waiting when another kubectl holds the kubeconfig lock), 4
// kubectl calls per instance. The simulator's kubectl is a Node script (~70 ms
// a call here, a real one ~20 ms), and a real colima stop/delete takes seconds
// to minutes; a stage delay of 1 s keeps that proportion closer to reality
// than the simulator's default of 5 ms would.
import { createColimaClient } from '../../main/core/colima/client.js';
import { createKubectlClient } from '../../main/core/colima/kubectl.js';
import { Ledger } from '../../main/core/ledger/ledger.js';
import { withTimeouts } from '../../main/core/timeouts.js';
import { teardownInstances } from '../../main/core/teardown/teardown.js';
import { createDirectRunner } from '../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR } from '../fixtures/integration-env.js';
import type { BenchReport } from './main.js';

const SECTION = 'teardown';
const STAGE_DELAY_MS = 1_000;
const RUNS = 3;

async function timeTeardown(count: number): Promise<number> {
  const env = createIntegrationEnv({ shellNix: '/unused' });
  try {
    const ledger = new Ledger(`${env.appHome}/ledger.json`);
    const profiles = Array.from({ length: count }, (_, i) => `bench-${i}`);
    env.setFaults({ stageDelayMs: 0 });
    for (const profile of profiles) {
      const r = await env.runColimaByHand(['start', '--profile', profile, '--runtime', 'containerd', '--kubernetes']);
      if (r.exitCode !== 0) throw new Error(`could not start ${profile} in the simulator: ${r.stderr}`);
      ledger.record({ profile, instanceId: `colima-${profile}`, keepData: false, switchedContext: false, startedAt: new Date().toISOString(), pid: process.pid });
    }
    env.setFaults({ stageDelayMs: STAGE_DELAY_MS });
    const runner = createDirectRunner(SIM_DIR, env.env);
    const deps = { colima: createColimaClient(runner), kubectl: createKubectlClient(runner), ledger, timeouts: withTimeouts() };
    const started = performance.now();
    const result = await teardownInstances(ledger.list(), deps);
    const elapsed = performance.now() - started;
    if (!result.ok) throw new Error(`teardown failed: ${JSON.stringify(result.remaining)}`);
    return elapsed;
  } finally {
    env.cleanup();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function run(report: BenchReport): Promise<void> {
  const one: number[] = [];
  const three: number[] = [];
  // Interleaved, so drift in machine load hits both alike.
  for (let i = 0; i < RUNS; i++) {
    one.push(await timeTeardown(1));
    three.push(await timeTeardown(3));
  }
  const m1 = median(one);
  const m3 = median(three);
  report.figure(SECTION, `1 instance, median of ${RUNS} (stage delay ${STAGE_DELAY_MS} ms)`, m1, 'ms');
  report.figure(SECTION, `3 instances in parallel, median of ${RUNS}`, m3, 'ms');
  report.figure(SECTION, '3 vs 1 (target <= 1.3)', m3 / m1, 'x');
  report.note(SECTION, `${m3 / m1 <= 1.3 ? 'meets' : 'MISSES'} the target: 3 instances in <= 1.3x the time of 1`);
}
