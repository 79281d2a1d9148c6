// preferCachedEnvironment (client-api.ts CallOptions) reaches the ToolRunner on
// every colima and kubectl call that gets it, and only on those: teardown and
// stop must not wait for a re-evaluation of an edited shell.nix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import { createKubectlClient } from '../../../main/core/colima/kubectl.js';
import type { Profile } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import type { ToolRunner, ToolRunOptions } from '../../../main/core/tool-runner.js';
import { createSimHome, type SimHome } from '../../fixtures/sim-control.js';

const plain: Profile = { ...DEFAULT_PROFILE, name: 'plain', cpus: 1, memoryGiB: 1, diskGiB: 20, kubernetes: false };

let sim: SimHome;
/** What each run got as preferCachedEnvironment, as `<program> <first arg>=<value>`. */
let seen: string[];
let runner: ToolRunner;
beforeEach(() => {
  sim = createSimHome();
  seen = [];
  runner = {
    run(program, args, options: ToolRunOptions = {}) {
      seen.push(`${program} ${args[0]}=${String(options.preferCachedEnvironment ?? false)}`);
      return sim.runner.run(program, args, options);
    },
  };
});
afterEach(() => sim.cleanup());

describe('preferCachedEnvironment', () => {
  it('is passed by every colima call that is given it, and not otherwise', async () => {
    const colima = createColimaClient(runner, { platform: 'linux' });
    await colima.start(plain);
    await colima.status('plain', { preferCachedEnvironment: true });
    await colima.list({ preferCachedEnvironment: true });
    await colima.stop('plain', { preferCachedEnvironment: true });
    await colima.delete('plain', { deleteData: false, preferCachedEnvironment: true });
    await colima.version();
    expect(seen).toEqual(['colima start=false', 'colima status=true', 'colima list=true', 'colima stop=true', 'colima delete=true', 'colima version=false']);
  });

  it('is passed by every kubectl call that is given it (removeContextEntries runs four)', async () => {
    const kubectl = createKubectlClient(runner);
    await kubectl.removeContextEntries('colima-gone', { preferCachedEnvironment: true });
    await kubectl.contexts();
    expect(seen).toEqual(['kubectl config=true', 'kubectl config=true', 'kubectl config=true', 'kubectl config=true', 'kubectl config=false']);
  });
});
