// Teardown and Stop must meet their deadlines while shell.nix may be under
// re-evaluation: every colima and kubectl command they run asks the tool
// runner for the last intact cached environment (preferCachedEnvironment);
// a start does not (it wants the new environment).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import type { CoreServices } from '../../../main/core/services.js';
import type { ToolRunner } from '../../../main/core/tool-runner.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { createIntegrationEnv, SIM_DIR, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { FAST_TIMEOUTS, simCoreServices } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

let env: IntegrationEnv;
let core: CoreServices;
let runs: { command: string; prefersCached: boolean }[];

beforeEach(() => {
  env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
  const direct = createDirectRunner(SIM_DIR, env.env);
  runs = [];
  const recording: ToolRunner = {
    run(program, args, options = {}) {
      runs.push({ command: [program, ...args.filter((a) => !a.startsWith('--') || a === '--force')].slice(0, 3).join(' '), prefersCached: options.preferCachedEnvironment === true });
      const { preferCachedEnvironment: _p, ...rest } = options;
      return direct.run(program, args, rest);
    },
  };
  core = simCoreServices(env, { runner: recording, timeouts: FAST_TIMEOUTS });
  core.controller.saveProfile({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, memoryGiB: 2, diskGiB: 20 });
});
afterEach(() => env.cleanup());

describe('the nix environment of teardown and stop', () => {
  it('every colima and kubectl run of a Stop and of a teardown prefers the cached environment; a start does not', async () => {
    await core.controller.start('dev');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((r) => r.prefersCached)).toEqual([]);

    runs = [];
    await core.controller.stop('dev');
    expect(runs.map((r) => r.command)).toEqual(['colima stop dev', 'colima list']);
    expect(runs.every((r) => r.prefersCached)).toBe(true);

    await core.controller.start('dev');
    runs = [];
    // The graceful stop hangs: the forced stop runs too.
    env.setFaults({ stopHangs: true });
    expect(await core.controller.teardownAll()).toEqual({ ok: true, remaining: [] });
    const commands = runs.map((r) => r.command);
    for (const expected of ['colima stop dev', 'colima stop --force', 'colima delete --force', 'colima list', 'kubectl config current-context', 'kubectl config get-contexts', 'kubectl config delete-context']) {
      expect(commands.some((c) => c.startsWith(expected)), `${expected} in ${commands.join(', ')}`).toBe(true);
    }
    expect(runs.filter((r) => !r.prefersCached)).toEqual([]);
  });
});
