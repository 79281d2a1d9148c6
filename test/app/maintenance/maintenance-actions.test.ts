// The pieces behind the tray's maintenance items, one by one: the GC and the
// doctor run at most once at a time, what their notifications and dialog say,
// the launch tasks' order and refusals, and the maintenance port over the
// app's real core services.
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDoctorAction, DIALOG_MAX_LINES, doctorDialogOptions, doctorNotice } from '../../../main/app/maintenance/doctor-action.js';
import { createGcAction, gcNotice } from '../../../main/app/maintenance/gc-action.js';
import { runLaunchTasks } from '../../../main/app/launch/launch-tasks.js';
import { createMaintenancePort } from '../../../main/app/maintenance/maintenance-port.js';
import { findOnPath } from '../../../main/core/executables.js';
import type { Notice } from '../../../main/app/notifications.js';
import { createOperationLogs } from '../../../main/app/maintenance/operation-logs.js';
import type { DoctorReport, Finding } from '../../../main/core/doctor/index.js';
import { memoryLogger } from '../../../main/core/log.js';
import type { GcReport } from '../../../main/core/maintenance/gc.js';
import { createCoreServices } from '../../../main/core/services.js';
import { deferred, FakeController, snapshotOf } from '../../fixtures/fake-controller.js';
import { createIntegrationEnv, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { SIM_HOST, simCoreServices } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
const GC_REPORT: GcReport = { steps: [], pathsDeleted: 1, bytesFreed: 1536, generationsRemoved: 2, keptRoots: [], releasedRoots: ['/a'] };

function finding(severity: Finding['severity'], n: number): Finding {
  return { id: `f${n}`, checkId: 'c', category: 'tools', severity, title: `Finding ${n}`, explanation: 'Because.', fix: `fix-${n}` };
}
function report(findings: Finding[]): DoctorReport {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { formatVersion: 1, generatedAt: '2026-01-01T00:00:00.000Z', platform: 'linux', checks: [{ id: 'c', category: 'tools', title: 'C', status: 'findings', durationMs: 1 }], findings, counts };
}

let tmp: string | undefined;
let env: IntegrationEnv | undefined;
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
  env?.cleanup();
  env = undefined;
});
const logsIn = (): ReturnType<typeof createOperationLogs> => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'maint-'));
  return createOperationLogs({ logsDir: tmp, base: memoryLogger() });
};

describe('GC action', () => {
  it('a second start while one runs does nothing: one collection, one notification', async () => {
    const notices: Notice[] = [];
    const gate = deferred<GcReport>();
    let runs = 0;
    const gc = createGcAction({
      collect: () => (runs++, gate.promise),
      logs: logsIn(),
      notifier: { notify: (n) => notices.push(n) },
      logger: memoryLogger(),
    });
    gc.start();
    gc.start();
    await flush();
    expect(gc.running()).toBe(true);
    gc.start();
    gate.resolve(GC_REPORT);
    await vi.waitFor(() => expect(gc.running()).toBe(false));
    expect(runs).toBe(1);
    expect(notices.map((n) => n.title)).toEqual(['Nix garbage collected: 1.50 KiB freed']);
  });

  it('the quit path joins a collection under way instead of starting a second one, and can abort it', async () => {
    const signals: AbortSignal[] = [];
    const gc = createGcAction({
      collect: ({ signal }) => {
        signals.push(signal);
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      },
      logs: logsIn(),
      notifier: { notify: () => {} },
      logger: memoryLogger(),
    });
    gc.start();
    await flush();
    const quitAbort = new AbortController();
    const joined = gc.runForQuit(quitAbort.signal);
    await flush();
    expect(signals).toHaveLength(1);
    quitAbort.abort();
    await expect(joined).resolves.toBeUndefined();
    expect(signals[0]!.aborted).toBe(true);
  });

  it('says how much was freed and what was kept', () => {
    expect(gcNotice(GC_REPORT)).toEqual({
      title: 'Nix garbage collected: 1.50 KiB freed',
      body: "Collected nix garbage: 1 store path deleted, 1.50 KiB freed; 2 old profile generations removed; no app environment was resolved, so none was kept; 1 stale environment released.",
    });
  });
});

describe('doctor action', () => {
  it('notifies only for warnings and errors, naming the first three', () => {
    expect(doctorNotice(report([finding('info', 1)]))).toBeUndefined();
    const notice = doctorNotice(report([finding('error', 1), finding('warning', 2), finding('warning', 3), finding('warning', 4), finding('info', 5)]));
    expect(notice).toEqual({
      title: 'Doctor found 1 error and 3 warnings',
      body: '• Finding 1\n• Finding 2\n• Finding 3\n… and 1 more\nOpen "Doctor…" in the menu for the fixes.',
    });
  });

  it('a long report is cut in the dialog, pointing at the report file', () => {
    const many = report(Array.from({ length: 30 }, (_, i) => finding('warning', i)));
    const options = doctorDialogOptions(many, '/logs/x-doctor.log');
    const lines = options.detail!.split('\n');
    expect(lines).toHaveLength(DIALOG_MAX_LINES + 2);
    expect(lines.at(-1)).toMatch(/^… \d+ more lines in the report file\.$/);
    expect(options).toMatchObject({ type: 'warning', message: '0 errors, 30 warnings, 0 notes', buttons: ['OK', 'Open report file'] });
    expect(doctorDialogOptions(many, undefined).buttons).toEqual(['OK']);
  });

  it('a click while the doctor runs joins it: one run, one dialog', async () => {
    const gate = deferred<void>();
    let runs = 0;
    const boxes: unknown[] = [];
    const doctor = createDoctorAction({
      run: async () => {
        runs++;
        await gate.promise;
        return report([]);
      },
      logs: logsIn(),
      notifier: { notify: () => {} },
      dialog: { showMessageBox: async (o) => (boxes.push(o), { response: 0, checkboxChecked: false }) },
      openPath: async () => '',
      logger: memoryLogger(),
    });
    const first = doctor.run('on-demand');
    const second = doctor.run('on-demand');
    gate.resolve();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
    expect(boxes).toHaveLength(1);
  });
});

describe('launch tasks', () => {
  const settingsWith = (start: boolean, doctorDone = true) => {
    let done = doctorDone;
    return {
      optIns: () => ({ startActiveProfileAtLaunch: start, collectGarbageAfterQuit: false }),
      firstLaunchDoctorDone: () => done,
      markFirstLaunchDoctorDone: () => void (done = true),
    };
  };

  it('wait for the launch cleanup, then run the first-launch doctor, then start', async () => {
    const order: string[] = [];
    const leftovers = deferred<{ kind: 'none' }>();
    const controller = new FakeController(snapshotOf());
    controller.actionImpl = async (call) => void order.push(call);
    const tasks = runLaunchTasks({
      leftovers: leftovers.promise,
      settings: settingsWith(true, false),
      doctor: { run: async (mode) => (order.push(`doctor ${mode}`), report([])) },
      controller,
      isQuitting: () => false,
      onStartFailure: () => order.push('failure'),
      logger: memoryLogger(),
    });
    await flush();
    expect(order).toEqual([]);
    leftovers.resolve({ kind: 'none' });
    await expect(tasks).resolves.toEqual({ doctor: 'ran', start: 'started' });
    expect(order).toEqual(['doctor first-launch', 'start k8s']);
  });

  it.each([
    ['the app is quitting', { kind: 'none' } as const, true],
    ['the ledger cannot be read', { kind: 'unreadable', message: 'ledger.json is damaged' } as const, false],
  ])('start nothing when %s', async (_why, outcome, quitting) => {
    const controller = new FakeController(snapshotOf());
    const logger = memoryLogger();
    await expect(
      runLaunchTasks({ leftovers: Promise.resolve(outcome), settings: settingsWith(true), controller, isQuitting: () => quitting, onStartFailure: () => {}, logger }),
    ).resolves.toMatchObject({ start: 'skipped' });
    expect(controller.calls).toEqual([]);
    expect(logger.lines.some((l) => l.startsWith('info start at launch: not starting k8s'))).toBe(true);
  });
});

describe('maintenance port over the core services', () => {
  it('finds a terminal by name on PATH or by absolute path', () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'term-'));
    const file = path.join(tmp, 'my-term');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
    expect(findOnPath('my-term', tmp)).toBe(file);
    expect(findOnPath(file, '/nonexistent')).toBe(file);
    expect(findOnPath(path.join(tmp, 'missing'), tmp)).toBeUndefined();
    expect(findOnPath('my-term', '/nonexistent')).toBeUndefined();
  });

  it('offers the terminal on Linux and macOS only, and the GC and the toolchain update only with the nix runner', () => {
    env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
    const core = simCoreServices(env);
    const options = { shellNix: env.shellNix, env: env.env, homeDir: env.home };
    const linux = createMaintenancePort(core, { ...options, platform: 'linux' });
    expect(typeof linux.openTerminal).toBe('function');
    expect(linux.collectGarbage).toBeUndefined();
    expect(linux.toolchain).toBeUndefined();
    expect(createMaintenancePort(core, { ...options, platform: 'win32' }).openTerminal).toBeUndefined();
    const withNix = createCoreServices({ home: env.appHome, shellNix: env.shellNix, host: SIM_HOST });
    const darwin = createMaintenancePort(withNix, { ...options, platform: 'darwin' });
    expect(typeof darwin.collectGarbage).toBe('function');
    // "Update toolchain…" on the same shell.nix as the terminal's.
    expect(darwin.toolchain?.shellNix).toBe(env.shellNix);
  });

  it("runs the real doctor on the app's services (a constructed HOME, the colima simulator)", async () => {
    env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
    const core = simCoreServices(env);
    const port = createMaintenancePort(core, { shellNix: env.shellNix, env: { ...env.env, DOCKER_HOST: 'tcp://10.0.0.1:2375' }, platform: 'linux', homeDir: env.home });
    const logger = memoryLogger();
    const result = await port.runDoctor(logger);
    expect(result.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['nix', 'global-tools', 'env-overrides']));
    expect(result.findings.some((f) => f.id.includes('DOCKER_HOST'))).toBe(true);
  }, 60_000);
});
