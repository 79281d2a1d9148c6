// Teardowns of only some ledger entries (the leftovers reaped at launch) next
// to full ones (quit, `down`): which joins which, and what each touches.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeardownResult } from '../../../main/core/controller-api.js';
import { isAppError } from '../../../main/core/errors.js';
import { TeardownRuns } from '../../../main/core/teardown/runs.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import type { CoreServices } from '../../../main/core/services.js';
import { deferred } from '../../fixtures/fake-controller.js';
import { createIntegrationEnv, type IntegrationEnv } from '../../fixtures/integration-env.js';
import { FAST_TIMEOUTS, simCoreServices } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const OK: TeardownResult = { ok: true, remaining: [] };

describe('teardown runs', () => {
  it('joins a run that covers the request, and queues any other after the runs under way', async () => {
    const runs = new TeardownRuns();
    const order: string[] = [];
    const first = deferred<TeardownResult>();
    const leftovers = runs.request(new Set(['a', 'b']), () => (order.push('leftovers'), first.promise), () => order.push('leftovers settled'));
    // Inside the first scope: the same run.
    expect(runs.request(new Set(['a']), async () => OK, () => {})).toBe(leftovers);
    expect(runs.covering('a')?.promise).toBe(leftovers);
    expect(runs.covering('c')).toBeUndefined();
    // A quit meanwhile must still tear everything down: it waits, then runs.
    const all = runs.request('all', async () => (order.push('all'), OK), () => order.push('all settled'));
    expect(all).not.toBe(leftovers);
    expect(runs.covering('c')?.scope).toBe('all');
    expect(runs.request(new Set(['z']), async () => OK, () => {})).toBe(all);
    await Promise.resolve();
    expect(order).toEqual(['leftovers']);
    first.resolve(OK);
    await all;
    expect(order).toEqual(['leftovers', 'leftovers settled', 'all', 'all settled']);
    expect(runs.covering('a')).toBeUndefined();
  });
});

describe('controller teardown of only some entries', () => {
  let env: IntegrationEnv;
  let core: CoreServices;
  beforeEach(() => {
    env = createIntegrationEnv({ shellNix: '/nonexistent/shell.nix' });
    core = simCoreServices(env, { timeouts: FAST_TIMEOUTS });
    for (const name of ['a', 'b']) core.controller.saveProfile({ ...DEFAULT_PROFILE, name, cpus: 2, memoryGiB: 2, diskGiB: 20, kubernetes: false });
  });
  afterEach(() => env.cleanup());

  it('tears down just those, refusing their start meanwhile; the others stay running and recorded', async () => {
    await core.controller.start('a');
    await core.controller.start('b');
    const only = core.controller.teardownAll({ only: ['a'] });
    const refused = await core.controller.start('a').then(() => undefined, (e: unknown) => e);
    expect(isAppError(refused, 'BUSY') && (refused as Error).message).toBe('"a" is being torn down (left over from an earlier session); start it again when that has finished.');
    expect(await only).toEqual(OK);
    expect(core.ledger.list().map((e) => e.profile)).toEqual(['b']);
    expect((await core.colima.list()).map((i) => `${i.name}:${i.status}`)).toEqual(['b:Running']);
    expect(env.colimaCalls().filter((c) => c[0] === 'stop' || c[0] === 'delete').every((c) => c.at(-1) === 'a')).toBe(true);
    expect(await core.controller.teardownAll()).toEqual(OK);
    expect(core.ledger.list()).toEqual([]);
  });
});
