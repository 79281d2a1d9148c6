// "Cluster at a glance" wired by startTrayApp on the Electron fake, the real core
// on the colima/kubectl simulators: the submenu appears when the instance becomes
// Running, idle minutes spawn no glance (counting runner, manual clock), the copy
// items write the exact text to the clipboard, and "Verify cluster" runs for the
// instance the app started only, shows its progress, reports pass/fail with the
// reason, and is cancelled from the menu or by the quit (its pod deleted).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClusterPort, type ClusterPort } from '../../../main/app/cluster/cluster-port.js';
import { startTrayApp, type TrayApp } from '../../../main/app/tray-app.js';
import { AppError } from '../../../main/core/errors.js';
import { isProcessAlive } from '../../../main/core/ledger/ledger.js';
import { memoryLogger, type MemoryLogger } from '../../../main/core/log.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import type { CoreServices } from '../../../main/core/services.js';
import { countingRunner, type CountingRunner } from '../../fixtures/counting-runner.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { createElectronFake, FakeNotification, FakeTray, type ElectronFake, type FakeMenu } from '../../fixtures/electron-fake.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { ManualClock } from '../../fixtures/manual-clock.js';
import { FAST_TIMEOUTS, simCoreServices } from '../../fixtures/sim-core-services.js';
import { trayTestOptions } from '../../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

const ROOT = path.resolve('.');

let env: IntegrationEnv;
let electron: ElectronFake;
let runner: CountingRunner;
let core: CoreServices;
let clock: ManualClock;
let app: TrayApp | undefined;
let logger: MemoryLogger;
/** The verify check's sleep: instant on a local clock, or held until cancelled. */
let holdSleep: boolean;

const menu = (): FakeMenu => {
  const m = FakeTray.created.at(-1)?.menu;
  if (!m) throw new Error('no tray menu');
  return m;
};
const titles = (): string[] => FakeNotification.shown.map((n) => n.title);
const kubectlCalls = (from = 0): (readonly string[])[] => runner.calls.slice(from).filter((c) => c.program === 'kubectl').map((c) => c.args);
const waitFor = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 15_000, interval: 20 });

function clusterPort(): ClusterPort {
  let t = 0;
  return {
    ...createClusterPort(core, { platform: 'linux', home: env.home, env: env.env, appExecutable: process.execPath, isPackaged: false, appRoot: ROOT }),
    now: () => clock.now(),
    verify: {
      limitMs: 5_000,
      pollMs: 1_000,
      randomSuffix: () => 'abc123',
      now: () => t,
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          const cancelled = (): void => reject(new AppError('CANCELLED', 'The operation was cancelled.'));
          if (signal?.aborted) return cancelled();
          if (!holdSleep) {
            t += ms;
            return resolve();
          }
          signal?.addEventListener('abort', cancelled, { once: true });
        }),
    },
  };
}

async function launch(): Promise<TrayApp> {
  app = startTrayApp(
    electron,
    { controller: core.controller, ledger: core.ledger, isProcessAlive, logsDir: core.paths.logsDir, logger, cluster: clusterPort() },
    trayTestOptions(path.join(env.colimaBase, '_lima'), { timers: clock }),
  );
  await app.leftovers;
  await app.refresher.whenIdle();
  return app;
}

/** Starts dev from the tray's controller and waits for its glance (nodes known). */
async function startDev(): Promise<void> {
  await core.controller.start('dev');
  await waitFor(() => expect(menu().shown('cluster-info:dev:nodes')).toBe('Nodes: 1/1 Ready'));
}

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  electron = createElectronFake();
  runner = countingRunner(createDirectRunner(SIM_DIR, env.env));
  core = simCoreServices(env, { runner, timeouts: FAST_TIMEOUTS });
  core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 });
  core.controller.setActiveProfile('dev');
  clock = new ManualClock();
  holdSleep = false;
  logger = memoryLogger();
});
afterEach(() => {
  app?.refresher.stop();
  app = undefined;
  core.controller.dispose();
  env.cleanup();
});

describe('cluster at a glance in the tray', () => {
  it('gathers when the instance becomes Running (≤ 3 processes), shows every field, and uptime from then', async () => {
    await launch();
    expect(menu().has('cluster:dev')).toBe(false);
    await startDev();
    const m = menu();
    expect(m.shown('cluster:dev')).toBe('Cluster dev');
    expect(m.shown('cluster-info:dev:context')).toBe('Context: colima-dev');
    expect(m.shown('cluster-info:dev:version')).toMatch(/^Kubernetes: v1\.\d+/);
    expect(m.shown('cluster-info:dev:api')).toMatch(/^API server: https?:\/\/127\.0\.0\.1:\d+$/);
    expect(m.shown('cluster-info:dev:resources')).toBe('2 CPUs, 2 GiB memory, 20 GiB disk');
    expect(m.shown('cluster-info:dev:runtime')).toBe('Runtime: containerd');
    expect(m.shown('cluster-info:dev:uptime')).toBe('Uptime: less than a minute');
    // One glance, of 3 processes (colima list, config view --minify, get nodes).
    expect(logger.lines.filter((l) => l.includes('cluster glance dev:'))).toEqual(['info cluster glance dev: running, 3 process(es)']);
    expect(kubectlCalls().filter((a) => a.includes('--minify'))).toHaveLength(1);
    expect(m.mnemonics()).toEqual([]);
  });

  it('spawns no glance in idle minutes (at most 1 process per idle minute, none of them kubectl)', async () => {
    await launch();
    await startDev();
    const before = runner.calls.length;
    await clock.advance(10 * 60_000, () => app!.refresher.whenIdle());
    const idle = runner.calls.slice(before);
    expect(kubectlCalls(before)).toEqual([]);
    expect(idle.length).toBeLessThanOrEqual(10);
    expect(menu().shown('cluster-info:dev:nodes')).toBe('Nodes: 1/1 Ready');
    // On demand: one more glance (colima list + 2 kubectl).
    menu().click('cluster-refresh:dev');
    await waitFor(() => expect(menu().item('cluster-refresh:dev').enabled).toBe(true));
    expect(kubectlCalls(before)).toHaveLength(2);
    expect(menu().shown('cluster-info:dev:uptime')).toBe('Uptime: 10 min');
  });

  it('copies the kubectl context command and the KUBECONFIG export, exactly', async () => {
    await launch();
    await startDev();
    menu().click('cluster-copy-context:dev');
    await waitFor(() => expect(electron.clipboard.text()).toBe('kubectl config use-context colima-dev'));
    menu().click('cluster-copy-kubeconfig:dev');
    const kubeconfig = env.env.KUBECONFIG ?? path.join(env.home, '.kube', 'config');
    await waitFor(() => expect(electron.clipboard.text()).toBe(`export KUBECONFIG=${kubeconfig}`));
    expect(titles()).toEqual(expect.arrayContaining(['Copied the kubectl context command', 'Copied the KUBECONFIG export']));
  });

  it('verifies the instance the app started: progress, then a pass notice; no pod left', async () => {
    await launch();
    await startDev();
    menu().click('cluster-verify:dev');
    expect(menu().item('cluster-verify:dev')).toMatchObject({ label: 'Verifying…', enabled: false });
    expect(menu().has('cluster-cancel-verify:dev')).toBe(true);
    await waitFor(() => expect(titles()).toContain('dev: cluster verified'));
    expect(menu().shown('cluster-verify:dev')).toBe('Verify cluster');
    const pods = await runner.run('kubectl', ['--context', 'colima-dev', 'get', 'pods', '-o', 'name']);
    expect(pods.stdout).toBe('');
  });

  it('reports node-not-ready (podNeverRuns) and image-pull-failed (pullFails) with the reason', async () => {
    await launch();
    await startDev();
    env.setFaults({ podNeverRuns: true });
    menu().click('cluster-verify:dev');
    await waitFor(() => expect(titles()).toContain('dev: cluster check failed (node-not-ready)'));
    env.setFaults({ pullFails: ['busybox'] });
    await waitFor(() => expect(menu().item('cluster-verify:dev').enabled).not.toBe(false));
    menu().click('cluster-verify:dev');
    await waitFor(() => expect(titles()).toContain('dev: cluster check failed (image-pull-failed)'));
    expect(FakeNotification.shown.find((n) => n.title.endsWith('(image-pull-failed)'))?.body).toContain('ErrImagePull');
  });

  /** A Verify cluster whose pod never runs, polled (held at its first wait) until the test ends it. */
  async function verifyThatWaits(): Promise<void> {
    await launch();
    await startDev();
    env.setFaults({ podNeverRuns: true });
    holdSleep = true;
    menu().click('cluster-verify:dev');
    await waitFor(() => expect(kubectlCalls().some((a) => a.includes('get') && a.includes('ck8s-verify-abc123'))).toBe(true));
  }

  it('cancels from the menu, deleting the pod', async () => {
    await verifyThatWaits();
    menu().click('cluster-cancel-verify:dev');
    await waitFor(() => expect(titles()).toContain('dev: cluster check failed (cancelled)'));
    expect(kubectlCalls().filter((a) => a.includes('delete') && a.includes('ck8s-verify-abc123'))).toHaveLength(1);
  });

  it('is cancelled by the quit, without a notice', async () => {
    await verifyThatWaits();
    void app!.quit.request('tray');
    await waitFor(() => expect(kubectlCalls().filter((a) => a.includes('delete') && a.includes('ck8s-verify-abc123'))).toHaveLength(1));
    expect(titles().filter((t) => t.includes('cluster'))).toEqual([]);
  });

  it('never offers Verify for an instance the app did not start', async () => {
    core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'hand', cpus: 2, memoryGiB: 2, diskGiB: 20 });
    core.controller.setActiveProfile('hand');
    const r = await env.runColimaByHand(['start', '--profile', 'hand', '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd', '--kubernetes']);
    expect(r.exitCode, r.stderr).toBe(0);
    await launch();
    await waitFor(() => expect(menu().has('cluster-info:hand:context')).toBe(true));
    expect(menu().has('cluster-verify:hand')).toBe(false);
    // Seen running at launch, not seen becoming Running: colima prints no uptime.
    expect(menu().shown('cluster-info:hand:uptime')).toBe('Uptime: unknown (colima does not report uptime)');
  });
});
