// `colima-k8s status` shows each running cluster at a glance, and
// `colima-k8s verify` runs the seed's cluster check without leaving a pod,
// through the CLI on the hermetic nix environment and the simulators.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDirectRunner } from '../fixtures/direct-runner.js';
import { SIM_DIR } from '../fixtures/integration-env.js';
import { useCliSuite } from './cli-suite.js';

vi.mock('electron', () => ({ default: {} }));

const suite = useCliSuite({ host: { cpus: 8, memoryGiB: 16 } });
const cli = suite.cli;

async function podsOf(profile: string): Promise<string> {
  const r = await createDirectRunner(SIM_DIR, suite.env.env).run('kubectl', ['--context', `colima-${profile}`, 'get', 'pods', '-o', 'name'], { timeoutMs: 60_000 });
  return r.stdout.trim();
}

beforeEach(async () => {
  expect((await cli('profile', 'set', 'dev', '--cpu', '2', '--memory', '2', '--disk', '20')).code).toBe(0);
  expect((await cli('start', 'dev')).code).toBe(0);
});
afterEach(async () => {
  await cli('down');
});

describe('colima-k8s status: the cluster at a glance', () => {
  it('prints context, version, nodes, API server, size and runtime of a running cluster; nothing for a stopped one', async () => {
    const shown = await cli('status');
    expect(shown.code).toBe(0);
    const line = shown.stdout.split('\n').find((l) => l.startsWith('dev: '));
    expect(line).toMatch(/^dev: context colima-dev · Kubernetes v\S+ · nodes 1\/1 Ready · API server https?:\/\/127\.0\.0\.1:\d+ · 2 CPUs, 2 GiB memory, 20 GiB disk · containerd$/);

    const json = JSON.parse((await cli('status', '--json')).stdout) as { instances: { profile: string; cluster?: Record<string, { known: boolean; value?: unknown }> }[] };
    const cluster = json.instances.find((i) => i.profile === 'dev')!.cluster!;
    expect(cluster.context).toEqual({ known: true, value: 'colima-dev' });
    expect(cluster.nodes).toEqual({ known: true, value: { total: 1, ready: 1 } });
    expect(cluster.uptimeMs).toMatchObject({ known: false });

    expect((await cli('stop', 'dev')).code).toBe(0);
    const stopped = await cli('status', '--json');
    expect((JSON.parse(stopped.stdout) as { instances: { profile: string; cluster?: unknown }[] }).instances.find((i) => i.profile === 'dev')!.cluster).toBeUndefined();
    expect((await cli('status')).stdout.split('\n').some((l) => l.startsWith('dev: '))).toBe(false);
  });
});

describe('colima-k8s verify', () => {
  it('passes on a working cluster, exit 0, and leaves no pod', async () => {
    const r = await cli('verify', 'dev');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dev: the cluster works: /);
    expect(await podsOf('dev')).toBe('');
  });

  it('fails with the reason for an image that cannot be pulled, exit 1, and leaves no pod', async () => {
    suite.env.setFaults({ pullFails: ['example.invalid/nope:1'] });
    const r = await cli('verify', 'dev', '--image', 'example.invalid/nope:1', '--timeout', '30');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/colima-k8s: dev: the check failed \(image-pull-failed\): /);
    expect(await podsOf('dev')).toBe('');
  });

  it('refuses a name that is neither a profile nor recorded (exit 2), and a cluster the app did not start (exit 1), running nothing', async () => {
    expect((await cli('verify', 'nosuch')).code).toBe(2);
    expect((await suite.env.runColimaByHand(['start', '--profile', 'byhand', '--runtime', 'containerd', '--kubernetes'])).exitCode).toBe(0);
    expect((await cli('profile', 'set', 'byhand', '--cpu', '1', '--memory', '1')).code).toBe(0);
    const before = suite.env.calls().filter((c) => c.program === 'kubectl').length;
    const r = await cli('verify', 'byhand');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(not-owned\)/);
    expect(suite.env.calls().filter((c) => c.program === 'kubectl').length).toBe(before);
    expect((await suite.env.runColimaByHand(['delete', '--force', '--profile', 'byhand'])).exitCode).toBe(0);
  });
});
