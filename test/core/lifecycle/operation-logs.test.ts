// The controller's side of per-operation logs: each start, stop and teardown
// asks operationLogger for its log once, as it begins, and writes there its
// own lines and every colima/kubectl command it runs (against the simulators,
// run directly). Nothing of an operation reaches the controller's own logger.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { memoryLogger, type MemoryLogger } from '../../../main/core/log.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { createCoreServices, type CoreServices } from '../../../main/core/services.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../../fixtures/integration-env.js';

vi.mock('electron', () => ({ default: {} }));

let env: IntegrationEnv;
let core: CoreServices;
let controllerLog: MemoryLogger;
/** Every operationLogger call, in order, as `<kind> <profile>`. */
let asked: string[];
/** The log handed to each operation, by `<kind> <profile>` (the latest of that name). */
let logs: Map<string, MemoryLogger>;

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  controllerLog = memoryLogger();
  asked = [];
  logs = new Map();
  core = createCoreServices({
    home: env.appHome,
    shellNix: env.shellNix,
    runner: createDirectRunner(SIM_DIR, env.env),
    host: { cpus: 8, memoryGiB: 16 },
    logger: controllerLog,
    operationLogger: (kind, profile) => {
      const name = `${kind} ${profile ?? ''}`.trim();
      asked.push(name);
      const log = memoryLogger();
      logs.set(name, log);
      return log;
    },
    timeouts: { readyPollMs: 50, stopMs: 2_000, forceStopMs: 5_000, deleteMs: 5_000, deleteBackoffMs: 50 },
  });
});
afterEach(() => env.cleanup());

const profile = (name: string, kubernetes: boolean) => ({ ...DEFAULT_PROFILE, name, cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes });
const text = (name: string): string => logs.get(name)!.lines.join('\n');
const runLines = (log: MemoryLogger): string[] => log.lines.filter((l) => / run \[/.test(l));

describe('operation loggers of the lifecycle controller', () => {
  it('a start, a stop that cancels another start, and a teardown each log only to their own logger', async () => {
    core.controller.saveProfile(profile('dev', true));
    core.controller.saveProfile(profile('web', false));

    // A second start of dev joins the first: one operation, one log.
    await Promise.all([core.controller.start('dev'), core.controller.start('dev')]);
    expect(asked).toEqual(['start dev']);
    const devStart = text('start dev');
    expect(devStart).toContain('"start","--profile","dev"');
    expect(devStart).toContain('starting colima [profile=dev]');
    // kubectl too: the context read before the ledger entry, and the readiness polls.
    expect(devStart).toContain('"config","current-context"');
    expect(devStart).toMatch(/"--context","colima-dev","get","nodes"/);

    // A stop while web starts cancels that start: the kill is the start's line, the stop's run is the stop's.
    env.setFaults({ startDelayMs: { web: 10_000 } });
    const webStart = core.controller.start('web').then(
      () => 'started',
      (e: unknown) => (isAppError(e, 'CANCELLED') ? 'cancelled' : e),
    );
    await vi.waitFor(() => expect(core.controller.snapshot().instances.web?.stage).toBe('starting colima'), { timeout: 30_000 });
    await core.controller.stop('web');
    expect(await webStart).toBe('cancelled');
    expect(asked).toEqual(['start dev', 'start web', 'stop web']);
    expect(text('start web')).toContain('"start","--profile","web"');
    expect(text('start web')).toMatch(/cancelled: .*colima/);
    expect(text('start web')).not.toContain('"stop"');
    expect(text('stop web')).toMatch(/web: run \[.*"stop","--profile","web"\]/);
    expect(text('stop web')).not.toContain('"start"');

    const result = await core.controller.teardownAll();
    expect(result.ok).toBe(true);
    expect(asked.at(-1)).toBe('teardown');
    const teardown = text('teardown');
    expect(teardown).toMatch(/dev: run \[.*"stop","--profile","dev"\]/);
    expect(teardown).toMatch(/web: run \[.*"delete",.*"--profile","web"/);
    expect(teardown).toMatch(/run \[.*"config","get-contexts"/);
    expect(teardown).toMatch(/run \[.*"list","--json"\]/);

    // Every command ran inside an operation, so the controller's own log has none of them.
    expect(runLines(controllerLog)).toEqual([]);
    for (const [name, log] of logs) expect(runLines(log).length, name).toBeGreaterThan(0);
  }, 60_000);

  it('without operationLogger, every operation logs to the controller logger', async () => {
    const shared = memoryLogger();
    const plain = createCoreServices({
      home: env.appHome,
      shellNix: env.shellNix,
      runner: createDirectRunner(SIM_DIR, env.env),
      host: { cpus: 8, memoryGiB: 16 },
      logger: shared,
      timeouts: { stopMs: 2_000, forceStopMs: 5_000, deleteMs: 5_000, deleteBackoffMs: 50 },
    });
    plain.controller.saveProfile(profile('dev', false));
    await plain.controller.start('dev');
    await plain.controller.teardownAll();
    const all = shared.lines.join('\n');
    expect(all).toContain('"start","--profile","dev"');
    expect(all).toMatch(/dev: run \[.*"delete",.*"--profile","dev"/);
  }, 60_000);
});
