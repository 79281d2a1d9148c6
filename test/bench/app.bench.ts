// The tray app: how long dist/main.cjs takes to load (electron stubbed, as in
// the bundle smoke test), and what the state refresh costs while nothing
// changes: process spawns per idle minute (issue 4: at most 2), measured over
// simulated time with a counting runner around the colima simulator, the real
// controller and the real fs.watch, while the "VM" keeps writing its logs.
// Also: how long after a `colima stop` typed in a terminal the app looks.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, statSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startStateRefresh, type StateRefresher } from '../../main/app/refresh.js';
import { createColimaClient } from '../../main/core/colima/client.js';
import { createKubectlClient } from '../../main/core/colima/kubectl.js';
import { Ledger } from '../../main/core/ledger/ledger.js';
import { LifecycleController } from '../../main/core/lifecycle/controller.js';
import { DEFAULT_PROFILE } from '../../main/core/profiles/validate.js';
import { countingRunner } from '../fixtures/counting-runner.js';
import { createDirectRunner } from '../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR } from '../fixtures/integration-env.js';
import { ManualClock } from '../fixtures/manual-clock.js';
import { memoryProfileStore } from '../fixtures/memory-profile-store.js';
import type { BenchReport } from './main.js';

const SECTION = 'tray app';
const IMPORT_RUNS = 10;
const IDLE_MINUTES = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function measureImport(report: BenchReport): void {
  const bundle = path.resolve('dist', 'main.cjs');
  const loader = path.resolve('test', 'fixtures', 'load-bundle-with-stub-electron.cjs');
  if (!existsSync(bundle)) throw new Error('dist/main.cjs is missing: `npm run bench` builds it first');
  const imports: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const started = performance.now();
    const out = execFileSync(process.execPath, [loader, bundle], { encoding: 'utf8' });
    processes.push(performance.now() - started);
    const seen = JSON.parse(out.trim()) as { importMs: number; readyHandlers: number };
    if (seen.readyHandlers !== 1) throw new Error('dist/main.cjs did not register its whenReady handler');
    imports.push(seen.importMs);
  }
  report.figure(SECTION, `main bundle require(), median of ${IMPORT_RUNS}`, median(imports), 'ms');
  report.figure(SECTION, 'node start + main bundle load, median', median(processes), 'ms');
  report.figure(SECTION, 'main bundle size', statSync(bundle).size / 1024, 'KiB');
}

async function measureRefresh(report: BenchReport): Promise<void> {
  const env = createIntegrationEnv({ shellNix: '/unused' });
  let refresher: StateRefresher | undefined;
  try {
    const runner = countingRunner(createDirectRunner(SIM_DIR, env.env));
    const host = { cpus: 8, memoryGiB: 16 };
    const controller = new LifecycleController({
      store: memoryProfileStore([{ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 }], host),
      ledger: new Ledger(path.join(env.appHome, 'ledger.json')),
      colima: createColimaClient(runner),
      kubectl: createKubectlClient(runner),
    });
    const started = await env.runColimaByHand(['start', '--profile', 'dev', '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd']);
    if (started.exitCode !== 0) throw new Error(`simulator start failed: ${started.stderr}`);
    const limaDir = path.join(env.colimaBase, '_lima');
    const log = path.join(limaDir, 'colima-dev', 'ha.stderr.log');
    writeFileSync(log, 'hostagent started\n');

    const clock = new ManualClock();
    const refreshedAt: number[] = [];
    const active = startStateRefresh({
      instancesDir: limaDir,
      refresh: async () => {
        refreshedAt.push(clock.now());
        await controller.refresh();
      },
      watch: (folder, listener) => watch(folder, { persistent: false }, () => listener()),
      timers: clock,
    });
    refresher = active;
    const settle = () => active.whenIdle();
    await settle();

    const before = runner.calls.length;
    for (let m = 0; m < IDLE_MINUTES; m++) {
      appendFileSync(log, `tick ${m}\n`);
      await until(() => clock.dueWithin(1_000) > 0, 'the watcher to see a log write');
      await clock.advance(60_000, settle);
    }
    report.figure(SECTION, `spawns per idle minute (${IDLE_MINUTES} simulated min, logs written)`, (runner.calls.length - before) / IDLE_MINUTES, '/min');

    const changedAt = clock.now();
    const seenBefore = refreshedAt.length;
    const stopped = await env.runColimaByHand(['stop', '--profile', 'dev']);
    if (stopped.exitCode !== 0) throw new Error(`simulator stop failed: ${stopped.stderr}`);
    await until(() => clock.dueWithin(5_000) > 0, 'the watcher to see the stop');
    await clock.advance(5_000, settle);
    const seenAt = refreshedAt[seenBefore];
    if (seenAt === undefined || controller.snapshot().instances.dev?.phase !== 'stopped') throw new Error('the stop was not seen within 5 s');
    report.figure(SECTION, '`colima stop` in a terminal → refreshed (simulated time)', seenAt - changedAt, 'ms');
  } finally {
    refresher?.stop();
    env.cleanup();
  }
}

export async function run(report: BenchReport): Promise<void> {
  measureImport(report);
  await measureRefresh(report);
}
