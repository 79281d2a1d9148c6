// The lifecycle controller against the colima and kubectl simulators, run
// directly (no nix: the CLI tests cover that path) for speed.
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import type { AppSnapshot } from '../../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { FAST_TIMEOUTS, simCoreServices, useSimCore } from '../../fixtures/sim-core-services.js';
import { caught } from '../../fixtures/caught.js';
import { overlapOf } from '../../fixtures/sim-events.js';

vi.mock('electron', () => ({ default: {} }));

const sim = useSimCore({ timeouts: FAST_TIMEOUTS });

const profile = (name: string, extra: Partial<typeof DEFAULT_PROFILE> = {}) => ({ ...DEFAULT_PROFILE, name, cpus: 2, memoryGiB: 2, diskGiB: 20, ...extra });
const ledgerProfiles = (): string[] => sim.core.ledger.list().map((e) => e.profile);
const listed = async (): Promise<string[]> => (await sim.core.colima.list()).map((i) => `${i.name}:${i.status}`);

describe('lifecycle controller', () => {
  it('starts a profile: exact colima argv, images into k8s.io, waits for Ready, switches the context', async () => {
    sim.core.controller.saveProfile(profile('dev', { images: ['nginx:1.27', 'ghcr.io/org/app:v1'], kubernetesVersion: 'v1.35.0+k3s1' }));
    const seen: AppSnapshot[] = [];
    sim.core.controller.subscribe((s) => seen.push(s));

    await sim.core.controller.start('dev');

    expect(sim.env.colimaCalls()).toEqual([
      ['list', '--json'],
      ['start', '--profile', 'dev', '--cpus', '2', '--memory', '2', '--disk', '20', '--runtime', 'containerd', '--kubernetes', '--kubernetes-version', 'v1.35.0+k3s1'],
      ['nerdctl', '--profile', 'dev', '--', '--namespace', 'k8s.io', 'pull', 'nginx:1.27'],
      ['nerdctl', '--profile', 'dev', '--', '--namespace', 'k8s.io', 'pull', 'ghcr.io/org/app:v1'],
    ]);
    expect(sim.env.calls().some((c) => c.program === 'kubectl' && c.argv.join(' ') === '--context colima-dev get nodes -o json')).toBe(true);
    expect(sim.env.readKubeconfig()['current-context']).toBe('colima-dev');
    expect(await listed()).toEqual(['dev:Running']);
    expect(sim.core.ledger.get('dev')).toMatchObject({ profile: 'dev', instanceId: 'colima-dev', keepData: false, switchedContext: true, pid: process.pid });

    const dev = sim.core.controller.snapshot().instances.dev!;
    expect(dev).toMatchObject({ phase: 'running', startedByApp: true });
    const stages = seen.map((s) => s.instances.dev?.stage).filter(Boolean);
    expect(stages).toEqual(expect.arrayContaining(['creating and starting (vm)', 'starting (kubernetes)', 'pulling image nginx:1.27 (1/2)', 'waiting for the Kubernetes node to be Ready']));
    // Immutable snapshots: a new frozen object on every change.
    expect(new Set(seen).size).toBe(seen.length);
    expect(Object.isFrozen(seen[0]) && Object.isFrozen(seen[0]!.instances)).toBe(true);
  });

  it('writes the ledger before colima start runs, and keeps it when the start fails', async () => {
    sim.core.controller.saveProfile(profile('dev'));
    sim.env.setFaults({ startFailsAt: 'kubernetes:starting' });
    let ledgerDuringStart: unknown;
    sim.core.controller.subscribe((s) => {
      if (s.instances.dev?.stage === 'creating and starting (vm)') ledgerDuringStart = JSON.parse(readFileSync(sim.core.ledger.file, 'utf8'));
    });
    const error = await caught(sim.core.controller.start('dev'));
    expect(isAppError(error, 'COMMAND_FAILED')).toBe(true);
    expect((error as Error).message).toBe('error starting kubernetes: exit status 1');
    expect(ledgerDuringStart).toMatchObject({ instances: [{ profile: 'dev' }] });
    expect(ledgerProfiles()).toEqual(['dev']);
    const dev = sim.core.controller.snapshot().instances.dev!;
    expect(dev.phase).toBe('error');
    expect(dev.error?.logTail.join('\n')).toMatch(/starting.*kubernetes/);
    // A failure after the VM came up leaves it running (colima-cli §2.5): teardown removes it.
    expect((await sim.core.controller.teardownAll()).ok).toBe(true);
    expect(await listed()).toEqual([]);
  });

  it('joins a second start of the same profile instead of running colima twice', async () => {
    sim.core.controller.saveProfile(profile('dev', { kubernetes: false }));
    await Promise.all([sim.core.controller.start('dev'), sim.core.controller.start('dev')]);
    expect(sim.env.colimaCalls().filter((a) => a[0] === 'start')).toHaveLength(1);
  });

  it('a stop during a start cancels the start, then stops the VM', async () => {
    sim.core.controller.saveProfile(profile('dev', { kubernetes: false }));
    sim.env.setFaults({ startDelayMs: 60_000 });
    const starting = caught(sim.core.controller.start('dev'));
    await vi.waitFor(() => expect(sim.env.colimaCalls().some((a) => a[0] === 'start')).toBe(true), { timeout: 30_000 });
    await sim.core.controller.stop('dev');
    expect(isAppError(await starting, 'CANCELLED')).toBe(true);
    expect(sim.core.controller.snapshot().instances.dev?.phase).toBe('stopped');
    // The stop, then the `colima list` that checks it left the VM stopped (a Broken VM would need --force).
    expect(sim.env.colimaCalls().slice(-2)).toEqual([['stop', '--profile', 'dev'], ['list', '--json']]);
  });

  it('refuses to start, stop or tear down an instance started outside the app', async () => {
    const byHand = await sim.env.runColimaByHand(['start', '--profile', 'outside', '--runtime', 'containerd']);
    expect(byHand.exitCode).toBe(0);
    sim.core.controller.saveProfile(profile('outside', { kubernetes: false }));

    const error = await caught(sim.core.controller.start('outside'));
    expect(isAppError(error, 'CONFLICT')).toBe(true);
    expect((error as Error).message).toMatch(/was not started by this app.*colima delete --force --profile outside/);
    expect(isAppError(await caught(sim.core.controller.stop('outside')), 'CONFLICT')).toBe(true);
    expect(ledgerProfiles()).toEqual([]);

    const result = await sim.core.controller.teardownAll();
    expect(result).toEqual({ ok: true, remaining: [] });
    expect(await listed()).toEqual(['outside:Running']);
    const appCalls = sim.env.colimaCalls().slice(1); // after the start by hand
    expect(appCalls.filter((a) => a[0] !== 'list')).toEqual([]);
    await sim.core.controller.refresh();
    expect(sim.core.controller.snapshot().instances.outside).toMatchObject({ phase: 'running', startedByApp: false });
  });

  it('tears down 3 instances in parallel: stop, delete --data, kube context cleaned, previous context restored', async () => {
    // A graceful-stop limit no loaded machine reaches: an escalation would blur the overlap proof.
    const core = simCoreServices(sim.env, { timeouts: { ...FAST_TIMEOUTS, stopMs: 120_000 } });
    sim.env.writeKubeconfig({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'kind-mine', cluster: {} }], contexts: [{ name: 'kind-mine', context: { cluster: 'kind-mine', user: 'kind-mine' } }], users: [{ name: 'kind-mine', user: {} }], 'current-context': 'kind-mine' });
    for (const name of ['a', 'b', 'c']) {
      core.controller.saveProfile(profile(name, { keepData: name === 'c' }));
      await core.controller.start(name);
    }
    expect(sim.env.readKubeconfig()['current-context']).toBe('colima-c');
    // Each stop waits until 3 stops run at once: met only if they run in parallel.
    sim.env.setFaults({ stopBarrier: 3 });
    const before = sim.env.calls().length;
    const beforeEvents = sim.env.events().length;
    const progress: string[] = [];
    core.controller.subscribe((s) => s.teardown?.items.forEach((i) => progress.push(`${i.profile}:${i.step}`)));

    const result = await core.controller.teardownAll();

    expect(result).toEqual({ ok: true, remaining: [] });
    const teardownCalls = sim.env.calls().slice(before).filter((c) => c.program === 'colima');
    // In parallel: every stop began before the first one ended (one after
    // another, each would begin only after the previous one ended).
    expect(overlapOf(sim.env.events().slice(beforeEvents), (argv) => argv[0] === 'stop')).toEqual({ begun: 3, begunBeforeFirstEnd: 3 });
    const calls = teardownCalls.map((c) => c.argv);
    expect(calls.filter((a) => a[0] === 'delete').map((a) => a.join(' ')).sort()).toEqual([
      'delete --force --data --profile a',
      'delete --force --data --profile b',
      'delete --force --profile c',
    ]);
    expect(await listed()).toEqual([]);
    expect(core.ledger.list()).toEqual([]);
    const kube = sim.env.readKubeconfig();
    expect(kube.contexts.map((c) => c.name)).toEqual(['kind-mine']);
    expect([...kube.clusters, ...kube.users].map((e) => e.name)).toEqual(['kind-mine', 'kind-mine']);
    expect(kube['current-context']).toBe('kind-mine');
    for (const p of ['a', 'b', 'c']) expect(progress).toEqual(expect.arrayContaining([`${p}:stopping`, `${p}:deleting`, `${p}:done`]));
    const snap = core.controller.snapshot();
    expect(snap.teardown).toMatchObject({ running: false, ok: true });
    expect(snap.instances.a?.phase).toBe('gone');
    core.controller.dispose();
  });

  it('escalates a hanging stop to stop --force', async () => {
    sim.core.controller.saveProfile(profile('dev', { kubernetes: false }));
    await sim.core.controller.start('dev');
    sim.env.setFaults({ stopHangs: { dev: true } });
    const steps: string[] = [];
    sim.core.controller.subscribe((s) => s.teardown?.items.forEach((i) => steps.push(i.step)));
    const result = await sim.core.controller.teardownAll();
    expect(result.ok).toBe(true);
    expect(sim.env.colimaCalls().filter((a) => a[0] === 'stop')).toEqual([
      ['stop', '--profile', 'dev'],
      ['stop', '--force', '--profile', 'dev'],
    ]);
    expect(steps).toContain('force-stopping');
    expect(await listed()).toEqual([]);
  });

  it('retries a delete that fails once', async () => {
    sim.core.controller.saveProfile(profile('dev', { kubernetes: false }));
    await sim.core.controller.start('dev');
    sim.env.setFaults({ deleteFailsTimes: 1 });
    const result = await sim.core.controller.teardownAll();
    expect(result.ok).toBe(true);
    expect(sim.env.colimaCalls().filter((a) => a[0] === 'delete')).toHaveLength(2);
    expect(ledgerProfiles()).toEqual([]);
  });

  it('reports what remains when the delete keeps failing, and keeps it in the ledger', async () => {
    sim.core.controller.saveProfile(profile('dev', { kubernetes: false }));
    await sim.core.controller.start('dev');
    sim.env.setFaults({ deleteFailsTimes: 10 });
    const result = await sim.core.controller.teardownAll();
    expect(result.ok).toBe(false);
    expect(result.remaining).toEqual([{ profile: 'dev', reason: 'error during teardown of vm: exit status 1' }]);
    expect(sim.env.colimaCalls().filter((a) => a[0] === 'delete')).toHaveLength(3);
    expect(ledgerProfiles()).toEqual(['dev']);
    // No longer claimed by the teardown that is over: a start from another process may take it again.
    expect(sim.core.ledger.get('dev')!.teardownBy).toBeUndefined();
    expect(sim.core.controller.snapshot().teardown).toMatchObject({ running: false, ok: false });
  });

  it('a quit during a start cancels the start, then tears down; a second quit joins the first', async () => {
    sim.core.controller.saveProfile(profile('dev', { kubernetes: false }));
    sim.env.setFaults({ startDelayMs: 60_000 });
    const starting = caught(sim.core.controller.start('dev'));
    await vi.waitFor(() => expect(sim.env.colimaCalls().some((a) => a[0] === 'start')).toBe(true), { timeout: 30_000 });
    const first = sim.core.controller.teardownAll();
    const second = sim.core.controller.teardownAll();
    expect(second).toBe(first);
    expect(isAppError(await caught(sim.core.controller.start('dev')), 'BUSY')).toBe(true);
    expect((await first).ok).toBe(true);
    expect(isAppError(await starting, 'CANCELLED')).toBe(true);
    expect(ledgerProfiles()).toEqual([]);
    expect(await listed()).toEqual([]);
  });

  it('deletes a profile with a VM only when the name is confirmed', async () => {
    sim.core.controller.saveProfile(profile('dev', { kubernetes: false }));
    await sim.core.controller.start('dev');
    expect(isAppError(await caught(sim.core.controller.deleteProfile('dev')), 'CONFLICT')).toBe(true);
    expect(() => sim.core.controller.saveProfile(profile('renamed'), 'dev')).toThrow(/cannot be renamed/);
    await sim.core.controller.deleteProfile('dev', 'dev');
    expect(sim.core.store.get('dev')).toBeUndefined();
    expect(await listed()).toEqual([]);
    expect(ledgerProfiles()).toEqual([]);
  });

  it('refuses to start a profile that no longer fits this machine, naming the field', async () => {
    sim.core.controller.saveProfile(profile('big', { cpus: 8 }));
    const small = simCoreServices(sim.env, { host: { cpus: 2, memoryGiB: 16 } });
    const error = await caught(small.controller.start('big'));
    expect(isAppError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toMatch(/CPUs: 8 is more than this machine has \(2\); use 1–2\./);
    expect(sim.env.calls()).toEqual([]);
  });
});
