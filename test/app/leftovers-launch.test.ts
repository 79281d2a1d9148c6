// A tray launch against the real controller and the colima simulator: a
// completed CLI start whose CLI exited is adopted (left running, shown as
// app-started, deleted at quit), while a crashed tray's entry and a CLI start
// that never completed are torn down at launch.
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { watch } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTrayApp, type TrayApp } from '../../main/app/tray-app.js';
import { isProcessAlive } from '../../main/core/ledger.js';
import { memoryLogger } from '../../main/core/log.js';
import { createCoreServices, type CoreServices } from '../../main/core/services.js';
import { createDirectRunner } from '../fixtures/direct-runner.js';
import { createElectronFake, FakeNotification } from '../fixtures/electron-fake.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../fixtures/integration-env.js';

vi.mock('electron', () => ({ default: {} }));

const ROOT = path.resolve('.');
let env: IntegrationEnv;
let core: CoreServices;
let app: TrayApp | undefined;

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  if (!r.pid || isProcessAlive(r.pid)) throw new Error('could not get a dead pid');
  return r.pid;
}

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  core = createCoreServices({
    home: env.appHome,
    shellNix: env.shellNix,
    runner: createDirectRunner(SIM_DIR, env.env),
    host: { cpus: 8, memoryGiB: 16 },
    timeouts: { stopMs: 2_000, forceStopMs: 5_000, deleteMs: 5_000, deleteBackoffMs: 50 },
  });
});
afterEach(() => {
  app?.refresher.stop();
  app = undefined;
  env.cleanup();
});

const listed = async (): Promise<string[]> => (await core.colima.list()).map((i) => `${i.name}:${i.status}`).sort();

describe('tray launch after other sessions', () => {
  it('adopts a completed CLI start and reaps a crashed tray\'s entry and a CLI start that never completed', async () => {
    for (const name of ['work', 'crashed', 'half']) {
      const r = await env.runColimaByHand(['start', '--profile', name, '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd']);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const base = { keepData: false, switchedContext: false, startedAt: new Date().toISOString() };
    // `colima-k8s start work` completed, then the CLI exited.
    core.ledger.record({ ...base, profile: 'work', instanceId: 'colima-work', pid: deadPid(), owner: 'cli' });
    core.ledger.markStarted('work', core.ledger.get('work')!.pid);
    // The tray crashed with `crashed` running.
    core.ledger.record({ ...base, profile: 'crashed', instanceId: 'colima-crashed', pid: deadPid(), owner: 'tray', state: 'started' });
    // `colima-k8s start half` was killed before colima start returned.
    core.ledger.record({ ...base, profile: 'half', instanceId: 'colima-half', pid: deadPid(), owner: 'cli' });

    const electron = createElectronFake();
    app = startTrayApp(
      electron,
      { controller: core.controller, ledger: core.ledger, isProcessAlive, logsDir: core.paths.logsDir, logger: memoryLogger() },
      {
        platform: 'linux',
        pid: process.pid,
        iconsDir: path.join(ROOT, 'build', 'tray'),
        picker: { html: path.join(ROOT, 'renderer', 'index.html'), preload: path.join(ROOT, 'dist', 'preload.cjs') },
        quitWindow: { html: path.join(ROOT, 'dist', 'quit-window', 'quit.html'), preload: path.join(ROOT, 'dist', 'quit-preload.cjs') },
        instancesDir: path.join(env.colimaBase, '_lima'),
        watch: (folder, listener) => watch(folder, { persistent: false }, () => listener()),
        signals: new EventEmitter(),
        quitWindowDelayMs: 0,
      },
    );

    expect(await app.leftovers).toEqual({ kind: 'reaped', profiles: ['crashed', 'half'], adopted: ['work'], result: { ok: true, remaining: [] } });
    expect(await listed()).toEqual(['work:Running']);
    expect(core.ledger.list().map((e) => [e.profile, e.owner, e.state])).toEqual([['work', 'cli', 'started']]);
    expect(core.controller.snapshot().instances.work).toMatchObject({ phase: 'running', startedByApp: true });
    const deletes = env.colimaCalls().filter((a) => a[0] === 'delete').map((a) => a[a.indexOf('--profile') + 1]);
    expect(deletes.sort()).toEqual(['crashed', 'half']);
    expect(FakeNotification.shown.map((n) => n.title)).toEqual(['Keeping clusters started from the terminal', 'Cleaning up after the last session']);

    // Quitting the tray tears the adopted cluster down like every ledger entry.
    await app.quit.request('tray');
    expect(await listed()).toEqual([]);
    expect(core.ledger.list()).toEqual([]);
  }, 60_000);
});
