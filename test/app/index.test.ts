// main/index.ts as Electron runs it, with `electron` mocked by the compiler-
// checked fake and everything else real: the app home, the nix environment
// (a hermetic shell.nix whose colima is the simulator), the ledger, fs.watch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PICKER_CHANNELS } from '../../preload/api-contract.js';
import { Ledger } from '../../main/core/ledger/ledger.js';
import { listLogFiles } from '../../main/core/maintenance/logs.js';
import { appPaths } from '../../main/core/paths.js';
import { createIntegrationEnv, type IntegrationEnv } from '../fixtures/integration-env.js';
import { deadPid, ledgerEntry } from '../fixtures/ledger-entries.js';
import type * as ElectronFakeModule from '../fixtures/electron-fake.js';

vi.mock('electron', async () => (await import('../fixtures/electron-fake.js')).electronModule());

const ENV_KEYS = ['HOME', 'PATH', 'COLIMA_K8S_HOME', 'COLIMA_K8S_SHELL_NIX', 'XDG_CONFIG_HOME', 'COLIMA_HOME', 'LIMA_HOME', 'KUBECONFIG', 'COLIMA_PROFILE'];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
const signalListeners = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT'), SIGHUP: process.listeners('SIGHUP') };
let env: IntegrationEnv | undefined;

/** Loads main/index.ts (it starts the app on import; once per test file) and returns the fake it got. */
async function loadIndex(): Promise<typeof ElectronFakeModule> {
  const fixture = await import('../fixtures/electron-fake.js');
  fixture.mockedElectron();
  await import('../../main/index.ts');
  return fixture;
}

function useEnvironment(it_: IntegrationEnv): void {
  for (const k of ENV_KEYS) delete process.env[k];
  for (const k of ['HOME', 'PATH', 'COLIMA_K8S_HOME', 'COLIMA_K8S_SHELL_NIX'] as const) process.env[k] = it_.env[k];
}

afterEach(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  // index.ts routes SIGTERM/SIGINT/SIGHUP into the quit path; give the test runner its own handling back.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    for (const l of process.listeners(signal)) if (!signalListeners[signal].includes(l)) process.off(signal, l);
  }
  env?.cleanup();
  env = undefined;
});

describe('main/index.ts', () => {
  it('launches: hides the Dock icon, builds the tray after ready, reaps a crash leftover through nix, quits only after teardown', async () => {
    env = createIntegrationEnv();
    useEnvironment(env);
    const started = await env.runColimaByHand(['start', '--profile', 'left', '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd']);
    expect(started.exitCode, started.stderr).toBe(0);
    const ledgerFile = appPaths(env.appHome).ledgerFile;
    new Ledger(ledgerFile).record(ledgerEntry('left', { pid: deadPid() }));

    const { mockedElectron, FakeTray, FakeNotification, FakeMenu } = await loadIndex();
    const fake = mockedElectron();
    expect(fake.app.dock?.isVisible()).toBe(false);
    expect(FakeTray.created).toHaveLength(0); // nothing before Electron is ready

    fake.app.markReady();
    await vi.waitFor(() => expect(FakeTray.created).toHaveLength(1));
    expect(fake.ipcMain.handlers.has(PICKER_CHANNELS.getState)).toBe(true);
    expect(fake.app.listenerCount('before-quit')).toBe(1);
    // Electron's default menu (Reload, DevTools) is replaced: none on Linux.
    expect(FakeMenu.applicationMenu()).toBeNull();

    // Through the real nix environment and the simulator: stop, then delete, then the ledger is empty.
    await vi.waitFor(() => expect(JSON.parse(readFileSync(ledgerFile, 'utf8')).instances).toEqual([]), { timeout: 90_000, interval: 200 });
    const deletes = env.colimaCalls().filter((a) => a[0] === 'delete');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toEqual(expect.arrayContaining(['--profile', 'left', '--data']));
    expect(FakeNotification.shown.map((n) => n.title)).toContain('Cleaning up after the last session');
    const tray = FakeTray.created[0]!;
    expect(tray.tooltip).toMatch(/^colima-k8s-nix — /);

    // Issue 6 wiring: the leftover's teardown got its own log (with the core's lines), the
    // first-launch doctor ran once through the real services and was remembered.
    const { logsDir, settingsDir } = appPaths(env.appHome);
    const teardownLog = listLogFiles(logsDir).find((f) => f.endsWith('-teardown.log'));
    expect(teardownLog).toBeDefined();
    expect(readFileSync(teardownLog!, 'utf8')).toMatch(/"delete".*"--profile","left"|"--profile","left".*delete/);
    await vi.waitFor(() => expect(JSON.parse(readFileSync(path.join(settingsDir, 'settings.json'), 'utf8')).firstLaunchDoctorDone).toBe(true), { timeout: 60_000, interval: 200 });
    const doctorLog = listLogFiles(logsDir).find((f) => f.endsWith('-doctor.log'));
    expect(readFileSync(doctorLog!, 'utf8')).toMatch(/colima-k8s doctor: \d+ errors?, \d+ warnings?, \d+ notes? from 8 checks\./);
    for (const id of ['start-active-profile-at-launch', 'doctor', 'collect-garbage', 'collect-garbage-after-quit', 'open-terminal']) {
      expect(tray.contextMenu().has(id)).toBe(true);
    }

    fake.app.quit();
    expect(fake.app.quitCompleted).toBe(false);
    await vi.waitFor(() => expect(fake.app.exitCode).toBe(0), { timeout: 30_000 });
  }, 120_000);
});
