// The user's Stop waits for a graceful stop longer than Lima itself does
// (about 3 min 10 s: colima-cli §3) before it forces; a quit's teardown
// escalates sooner on purpose (timeouts.ts says why), and `down --timeout`
// still bounds it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMEOUTS, teardownTimeoutsWithin, withTimeouts } from '../../../main/core/timeouts.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import type { CoreServices } from '../../../main/core/services.js';
import type { ToolRunner } from '../../../main/core/tool-runner.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { FAST_TIMEOUTS, simCoreServices } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

let env: IntegrationEnv;
let core: CoreServices;
/** The limit each `colima stop` was run with, in call order: which limit applied, read off the call, not the clock. */
let stopLimits: { argv: string; timeoutMs: number | undefined }[];

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  // Scaled down: the teardown's graceful stop 300 ms, the user's 2.5 s.
  stopLimits = [];
  const direct = createDirectRunner(SIM_DIR, env.env);
  const runner: ToolRunner = {
    run(program, args, options) {
      if (program === 'colima' && args[0] === 'stop') stopLimits.push({ argv: args.join(' '), timeoutMs: options?.timeoutMs });
      return direct.run(program, args, options);
    },
  };
  core = simCoreServices(env, { runner, timeouts: { ...FAST_TIMEOUTS, stopMs: 300, userStopMs: 2_500 } });
  core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes: false });
});
afterEach(() => env.cleanup());

describe('stop timeouts', () => {
  it('by default the user\'s Stop waits longer than Lima\'s own graceful stop; a quit\'s graceful stop is shorter', () => {
    expect(DEFAULT_TIMEOUTS.userStopMs).toBeGreaterThanOrEqual(200_000);
    expect(DEFAULT_TIMEOUTS.stopMs).toBeLessThan(DEFAULT_TIMEOUTS.userStopMs);
    // `down --timeout 60` gives the graceful stop at most 40% of it.
    expect(teardownTimeoutsWithin(60_000, withTimeouts()).stopMs).toBe(24_000);
  });

  it('the user\'s Stop uses its own limit before forcing a hung stop', async () => {
    await core.controller.start('dev');
    env.setFaults({ stopHangs: true });
    await core.controller.stop('dev');
    expect(stopLimits).toEqual([{ argv: 'stop --profile dev', timeoutMs: 2_500 }, { argv: 'stop --force --profile dev', timeoutMs: expect.any(Number) }]);
    expect((await core.colima.list()).map((i) => `${i.name}:${i.status}`)).toEqual(['dev:Stopped']);
  });

  it('a teardown forces a hung stop after its shorter limit', async () => {
    await core.controller.start('dev');
    env.setFaults({ stopHangs: true });
    expect(await core.controller.teardownAll()).toEqual({ ok: true, remaining: [] });
    expect(stopLimits.map((s) => s.argv)).toEqual(['stop --profile dev', 'stop --force --profile dev']);
    // The teardown's own graceful limit (or less, when its overall deadline is nearer), never the user's.
    expect(stopLimits[0]!.timeoutMs).toBeLessThanOrEqual(300);
    expect(stopLimits[0]!.timeoutMs).toBeGreaterThan(0);
  });
});
