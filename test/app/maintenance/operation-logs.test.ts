// Per-operation log files: each start, stop and teardown the tray asks for
// gets its own `<time>-<operation>.log` holding the core's lines of that
// operation (here: the real controller against the colima simulator), its
// outcome, and nothing from before or after, nor from another operation
// running at the same time; the app log gets everything.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOperationLogs, withOperationLogs, type OperationLogs } from '../../../main/app/maintenance/operation-logs.js';
import { memoryLogger, type Logger } from '../../../main/core/log.js';
import { latestLogFile } from '../../../main/core/maintenance/logs.js';
import type { Profile } from '../../../main/core/model.js';
import { createCoreServices, type CoreServices } from '../../../main/core/services.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { FakeController, snapshotOf } from '../../fixtures/fake-controller.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../../fixtures/integration-env.js';

vi.mock('electron', () => ({ default: {} }));

let env: IntegrationEnv;
let logsDir: string;
beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  logsDir = path.join(env.root, 'logs');
});
afterEach(() => env.cleanup());

const read = (file: string | undefined): string => readFileSync(file!, 'utf8');

describe('operation logs', () => {
  it("a file per operation receives its own lines, the controller's for the operation of its name, and its outcome; the app log gets everything", async () => {
    const base = memoryLogger();
    const logs = createOperationLogs({ logsDir, base });
    logs.operationLogger('start', 'dev').log('info', 'before the start');
    await logs.run('start dev', async (own, file) => {
      expect(path.basename(file!)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-start-dev\.log$/);
      logs.operationLogger('start', 'dev').log('info', 'colima: starting');
      // Another operation's lines, logged meanwhile, stay out of this file.
      logs.operationLogger('stop', 'k8s').log('info', 'colima: stopping k8s');
      own.log('info', 'own line');
    }, 'dev');
    logs.operationLogger('start', 'dev').log('info', 'after the start');
    await expect(logs.run('stop dev', async () => Promise.reject(new Error('colima stop failed (exit 1).')), 'dev')).rejects.toThrow('colima stop failed');

    const [start, stop] = readdirSync(logsDir).sort();
    const startText = read(path.join(logsDir, start!));
    expect(startText).toContain('operation: start dev');
    expect(startText).toContain('colima: starting');
    expect(startText).toContain('own line');
    expect(startText).toMatch(/start dev: finished after \d+\.\d s/);
    expect(startText).not.toContain('before the start');
    expect(startText).not.toContain('after the start');
    expect(startText).not.toContain('stopping k8s');
    expect(read(path.join(logsDir, stop!))).toMatch(/ERROR stop dev: failed after \d+\.\d s: colima stop failed \(exit 1\)\./);
    expect(logs.lastFileFor('dev')).toBe(path.join(logsDir, stop!));
    expect(latestLogFile(logsDir)).toBe(path.join(logsDir, stop!));
    expect(base.lines).toEqual(
      expect.arrayContaining(['info before the start', 'info colima: starting', 'info colima: stopping k8s', 'info own line', 'info after the start']),
    );
  });

  it('an operation runs even when its log file cannot be created, and says why in the app log', async () => {
    writeFileSync(logsDir, 'a file where the logs folder should be');
    const base = memoryLogger();
    const logs = createOperationLogs({ logsDir, base });
    await expect(logs.run('gc', async (_own, file) => file)).resolves.toBeUndefined();
    expect(base.lines.some((l) => l.startsWith('warn could not create a log file for "gc"'))).toBe(true);
    expect(logs.lastFileFor('gc')).toBeUndefined();
  });

  it('the toggle is logged as the start or the stop it is; teardownAll as a teardown with its result', async () => {
    const controller = new FakeController(snapshotOf({ active: 'dev' }));
    const logs = createOperationLogs({ logsDir, base: memoryLogger() });
    const logged = withOperationLogs(controller, logs);
    await logged.toggleActive();
    controller.publish(snapshotOf({ active: 'dev', instances: { dev: { phase: 'running' } } }));
    await logged.toggleActive();
    controller.teardownImpl = async () => ({ ok: false, remaining: [{ profile: 'dev', reason: 'delete failed' }] });
    await logged.teardownAll();
    await logged.refresh();
    logged.setActiveProfile('k8s');

    const names = readdirSync(logsDir).sort();
    expect(names.map((n) => n.replace(/^.*Z-/, ''))).toEqual(['start-dev.log', 'stop-dev.log', 'teardown.log']);
    expect(read(path.join(logsDir, names[2]!))).toContain('ERROR teardown: left dev (delete failed)');
    expect(controller.calls).toEqual(['toggleActive', 'toggleActive', 'teardownAll', 'setActiveProfile k8s']);
    expect(controller.refreshCalls).toBe(1);
  });

  it("with the real controller, a start's log holds colima's own output and a teardown's the stop and delete", async () => {
    const base = memoryLogger();
    const logs = createOperationLogs({ logsDir, base });
    const core = simCore(logs, base);
    core.store.save(simProfile(core, 'dev'));
    const controller = withOperationLogs(core.controller, logs);
    await controller.start('dev');
    const startLog = read(logs.lastFileFor('dev'));
    expect(startLog).toContain('operation: start dev');
    expect(startLog).toContain('"start","--profile","dev"');
    // colima's own progress lines, as it printed them.
    expect(startLog).toContain('starting colima [profile=dev]');
    expect(startLog).toMatch(/start dev: finished after/);

    await controller.teardownAll();
    const teardownLog = read(latestLogFile(logsDir));
    expect(teardownLog).toContain('operation: teardown');
    // Each instance's lines name it: the instances of one teardown run in parallel.
    expect(teardownLog).toMatch(/ dev: run \[.*"stop","--profile","dev"/);
    expect(teardownLog).toMatch(/ dev: exit 0 after \d+ ms: .*colima/);
    expect(teardownLog).toContain('deleting colima [profile=dev]');
    expect(teardownLog).toContain('teardown: every instance the app started is gone');
    expect(teardownLog).not.toContain('operation: start dev');
  }, 60_000);

  it('a stop of one profile during the start of another: each file holds only its own lines, the app log both', async () => {
    const base = memoryLogger();
    const logs = createOperationLogs({ logsDir, base });
    const core = simCore(logs, base);
    core.store.save(simProfile(core, 'alpha'));
    core.store.save(simProfile(core, 'beta'));
    const controller = withOperationLogs(core.controller, logs);
    await controller.start('alpha');

    // beta's colima start waits before its VM stage, so the whole stop of alpha runs inside it.
    env.setFaults({ startDelayMs: { beta: 1_500 } });
    let betaStarted = false;
    const betaStart = controller.start('beta').then(() => (betaStarted = true));
    await vi.waitFor(() => expect(core.controller.snapshot().instances.beta?.stage).toBe('starting colima'), { timeout: 30_000 });
    await controller.stop('alpha');
    expect(betaStarted).toBe(false);
    await betaStart;

    const betaLog = read(logs.lastFileFor('beta'));
    const alphaLog = read(logs.lastFileFor('alpha'));
    expect(path.basename(logs.lastFileFor('alpha')!)).toMatch(/-stop-alpha\.log$/);
    expect(betaLog).toContain('operation: start beta');
    expect(betaLog).toContain('"start","--profile","beta"');
    expect(betaLog).toContain('starting colima [profile=beta]');
    expect(betaLog).toMatch(/start beta: finished after/);
    expect(alphaLog).toContain('operation: stop alpha');
    expect(alphaLog).toContain('"stop","--profile","alpha"');
    expect(alphaLog).toContain('stopping colima [profile=alpha]');
    expect(alphaLog).toMatch(/stop alpha: finished after/);
    // Nothing of the other operation, not even a colima exit line (those do not name the profile).
    expect(betaLog).not.toContain('alpha');
    expect(alphaLog).not.toContain('beta');
    expect(countMatches(betaLog, /exit \d+ after \d+ ms: /)).toBe(2); // colima list, colima start
    expect(countMatches(alphaLog, /exit \d+ after \d+ ms: /)).toBe(2); // colima stop, the colima list that checks it
    expect(alphaLog).toContain('"list","--json"');

    const appLog = base.lines.join('\n');
    expect(appLog).toContain('"start","--profile","beta"');
    expect(appLog).toContain('"stop","--profile","alpha"');
    expect(appLog).toContain('starting colima [profile=beta]');
    expect(appLog).toContain('stopping colima [profile=alpha]');
    await controller.teardownAll();
  }, 60_000);
});

function simCore(logs: OperationLogs, base: Logger): CoreServices {
  return createCoreServices({
    home: env.appHome,
    shellNix: env.shellNix,
    runner: createDirectRunner(SIM_DIR, env.env),
    host: { cpus: 8, memoryGiB: 16 },
    logger: base,
    operationLogger: logs.operationLogger,
    timeouts: { stopMs: 2_000, forceStopMs: 5_000, deleteMs: 5_000, deleteBackoffMs: 50 },
  });
}

function simProfile(core: CoreServices, name: string): Profile {
  return { ...core.store.require('k8s'), name, cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes: false };
}

function countMatches(text: string, re: RegExp): number {
  return text.split('\n').filter((line) => re.test(line)).length;
}
