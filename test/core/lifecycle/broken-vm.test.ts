// A VM Lima reports as Broken (after a host crash) ignores a graceful
// `colima stop`: colima prints "not running" and exits 0 having done nothing,
// and the next start fails until `colima stop --force` (colima-cli §2.3, §3).
// The app checks what the stop left and escalates.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FAST_TIMEOUTS, useSimCore } from '../../fixtures/sim-core-services.js';

vi.mock('electron', () => ({ default: {} }));

const sim = useSimCore({ timeouts: FAST_TIMEOUTS });
beforeEach(() => {
  sim.core.store.save({ ...sim.core.store.get(sim.core.store.activeProfile()), name: 'dev', cpus: 2, memoryGiB: 2 });
});

/** Marks the simulated VM of `profile` as Lima's Broken state, as a host crash leaves it. */
function breakVm(profile: string): void {
  const file = path.join(sim.env.colimaBase, '_lima', `colima-${profile}`, 'sim-state.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as { status: string };
  writeFileSync(file, JSON.stringify({ ...state, status: 'Broken' }));
}

const stopCalls = (): string[] => sim.env.colimaCalls().filter((a) => a[0] === 'stop').map((a) => a.join(' '));

describe('a Broken VM', () => {
  it('is stopped with --force when the graceful stop left it Broken, and then starts again', async () => {
    await sim.core.controller.start('dev');
    breakVm('dev');
    await sim.core.controller.stop('dev');
    expect(stopCalls()).toEqual(['stop --profile dev', 'stop --force --profile dev']);
    expect((await sim.core.colima.list()).find((i) => i.name === 'dev')?.status).toBe('Stopped');
    await sim.core.controller.start('dev');
    expect(sim.core.controller.snapshot().instances.dev?.phase).toBe('running');
  });

  it('is torn down on quit', async () => {
    await sim.core.controller.start('dev');
    breakVm('dev');
    const result = await sim.core.controller.teardownAll();
    expect(result).toEqual({ ok: true, remaining: [] });
    expect(stopCalls()).toEqual(['stop --profile dev', 'stop --force --profile dev']);
    expect((await sim.core.colima.list()).map((i) => i.name)).toEqual([]);
  });

  it('does not escalate a stop that really stopped the VM', async () => {
    await sim.core.controller.start('dev');
    await sim.core.controller.stop('dev');
    expect(stopCalls()).toEqual(['stop --profile dev']);
  });
});
