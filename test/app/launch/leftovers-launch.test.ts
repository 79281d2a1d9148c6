// A tray launch against the real controller and the colima simulator: a
// completed CLI start whose CLI exited is adopted (left running, shown as
// app-started, deleted at quit), while a crashed tray's entry and a CLI start
// that never completed are torn down at launch.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTrayApp, type TrayApp } from '../../../main/app/tray-app.js';
import { isProcessAlive } from '../../../main/core/ledger/ledger.js';
import { memoryLogger } from '../../../main/core/log.js';
import type { CoreServices } from '../../../main/core/services.js';
import { createElectronFake, FakeNotification } from '../../fixtures/electron-fake.js';
import { createIntegrationEnv, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { deadPid, ledgerEntry } from '../../fixtures/ledger-entries.js';
import { FAST_TEARDOWN_TIMEOUTS, simCoreServices } from '../../fixtures/sim-core-services.js';
import { trayTestOptions } from '../../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

let env: IntegrationEnv;
let core: CoreServices;
let app: TrayApp | undefined;

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  core = simCoreServices(env, { timeouts: FAST_TEARDOWN_TIMEOUTS });
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
    // `colima-k8s start work` completed, then the CLI exited.
    core.ledger.record(ledgerEntry('work', { pid: deadPid(), owner: 'cli' }));
    core.ledger.markStarted('work', core.ledger.get('work')!.pid);
    // The tray crashed with `crashed` running.
    core.ledger.record(ledgerEntry('crashed', { pid: deadPid(), owner: 'tray', state: 'started' }));
    // `colima-k8s start half` was killed before colima start returned.
    core.ledger.record(ledgerEntry('half', { pid: deadPid(), owner: 'cli' }));

    const electron = createElectronFake();
    app = startTrayApp(
      electron,
      { controller: core.controller, ledger: core.ledger, isProcessAlive, logsDir: core.paths.logsDir, logger: memoryLogger() },
      trayTestOptions(path.join(env.colimaBase, '_lima')),
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
