// `colima-k8s` end to end: every command goes through the real nix-shell
// (a hermetic shell.nix whose tools are the colima and kubectl simulators),
// the captured environment, the controller and the simulators.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cliRunLogger } from '../../main/cli/cli-log.js';
import { runCli } from '../../main/cli/run-cli.js';
import { createIntegrationEnv, simulatorShellNix, type IntegrationEnv } from '../fixtures/integration-env.js';
import { overlapOf } from '../fixtures/sim-events.js';

vi.mock('electron', () => ({ default: {} }));

const fast = { readyPollMs: 50, userStopMs: 1_500, stopMs: 1_500, forceStopMs: 5_000, deleteBackoffMs: 50 };
let shellDir: string;
let env: IntegrationEnv;

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stderrLines: string[];
}

async function cli(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    { env: env.env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), bundleDir: path.resolve('dist'), version: '0.0.0-test' },
    { timeouts: fast },
  );
  return { code, stdout, stderr, stderrLines: stderr.split('\n').filter(Boolean) };
}

/** A failure: non-zero and exactly one `colima-k8s: …` line on stderr, which comes last (only the path of the run's log may follow it). */
function expectOneErrorLine(run: CliRun, pattern: RegExp): void {
  expect(run.code).not.toBe(0);
  const errors = run.stderrLines.filter((l) => l.startsWith('colima-k8s: '));
  expect(errors).toHaveLength(1);
  const last = run.stderrLines.at(-1)!.startsWith('See the log of this run: ') ? run.stderrLines.at(-2) : run.stderrLines.at(-1);
  expect(last).toBe(errors[0]);
  expect(errors[0]).toMatch(pattern);
}

const settingsFile = (): string => path.join(env.appHome, 'settings.json');
const ledger = (): { profile: string }[] => (existsSync(path.join(env.appHome, 'ledger.json')) ? JSON.parse(readFileSync(path.join(env.appHome, 'ledger.json'), 'utf8')).instances : []);
const listed = async (): Promise<string[]> => {
  const r = await env.runColimaByHand(['list', '--json']);
  return r.stdout.split('\n').filter(Boolean).map((l) => `${JSON.parse(l).name}:${JSON.parse(l).status}`);
};

beforeAll(() => {
  shellDir = simulatorShellNix(path.join(os.tmpdir(), `ck8s-cli-shell-${process.pid}`));
});
afterAll(() => rmSync(path.dirname(shellDir), { recursive: true, force: true }));
beforeEach(() => {
  env = createIntegrationEnv({ shellNix: shellDir });
});
afterEach(() => env.cleanup());

describe('colima-k8s profile', () => {
  it('creates, lists, activates and removes profiles', async () => {
    expect((await cli('profile', 'set', 'dev', '--cpu', '1', '--memory', '1.5', '--disk', '20', '--image', 'nginx:1.27', '--keep-data')).code).toBe(0);
    expect((await cli('profile', 'use', 'dev')).code).toBe(0);
    const list = await cli('profile', 'list', '--json');
    expect(list.code).toBe(0);
    const parsed = JSON.parse(list.stdout);
    expect(parsed.activeProfile).toBe('dev');
    expect(parsed.profiles.find((p: { name: string }) => p.name === 'dev')).toEqual({
      name: 'dev', cpus: 1, memoryGiB: 1.5, diskGiB: 20, kubernetes: true, kubernetesVersion: '', runtime: 'containerd',
      networkAddress: true, images: ['nginx:1.27'], keepData: true, switchKubeContext: true,
    });
    expect((await cli('profile', 'list')).stdout).toMatch(/^\*\s+dev\s+1\s+1\.5GiB\s+20GiB/m);
    expect((await cli('profile', 'remove', 'dev')).code).toBe(0);
    expect(JSON.parse((await cli('profile', 'list', '--json')).stdout).activeProfile).toBe('k8s');
    // Nothing here needed colima.
    expect(env.calls()).toEqual([]);
  });

  const hostile: [string, string[], RegExp][] = [
    ['a shell command as name', ['profile', 'set', 'x; touch pwned'], /^colima-k8s: Name: "x; touch pwned" is not allowed; use lower-case letters/],
    ['command substitution as name', ['profile', 'set', '$(id)'], /^colima-k8s: Name: "\$\(id\)" is not allowed/],
    ['a newline in the name', ['profile', 'set', 'dev\nrm -rf'], /^colima-k8s: Name: "dev\\nrm -rf" is not allowed/],
    ['the reserved name default', ['profile', 'set', 'default'], /^colima-k8s: Name: "default" is colima's own default profile; choose another name\.$/],
    ['too many cpus', ['profile', 'set', 'dev', '--cpu', '100000'], /^colima-k8s: CPUs: 100000 is more than this machine has \((\d+)\); use 1–\1\.$/],
    ['cpus that are not a number', ['profile', 'set', 'dev', '--cpu', '$(id)'], /^colima-k8s: CPUs: "\$\(id\)" is not a number; use 1–\d+\.$/],
    ['too much memory', ['profile', 'set', 'dev', '--memory', '100000'], /^colima-k8s: Memory: 100000 GiB is more than this machine has \(([\d.]+) GiB\); use 1–\1 GiB\.$/],
    ['too little memory', ['profile', 'set', 'dev', '--memory', '0.1'], /^colima-k8s: Memory: 0\.1 GiB is below the minimum of 1 GiB\.$/],
    ['memory in odd steps', ['profile', 'set', 'dev', '--memory', '1.3'], /^colima-k8s: Memory: 1\.3 GiB is not in steps of 0\.5 GiB; use 1 or 1\.5\.$/],
    ['a small disk', ['profile', 'set', 'dev', '--disk', '5'], /^colima-k8s: Disk: 5 GiB is below the minimum of 10 GiB; use 10–4096 GiB\.$/],
    ['a bad k8s version', ['profile', 'set', 'dev', '--k8s-version', 'latest;id'], /^colima-k8s: Kubernetes version: "latest;id" is not a k3s release tag; use one such as v1\.35\.0\+k3s1/],
    ['an unknown runtime', ['profile', 'set', 'dev', '--runtime', 'incus'], /^colima-k8s: Runtime: "incus" is not a runtime colima-k8s supports; use containerd or docker\.$/],
    ['an image that is a flag', ['profile', 'set', 'dev', '--image=--privileged'], /^colima-k8s: Images: "--privileged" is not an image reference/],
    ['an image with a newline', ['profile', 'set', 'dev', '--image', 'nginx\ntouch pwned'], /^colima-k8s: Images: "nginx\\ntouch pwned" is not an image reference/],
    ['an image with command substitution', ['profile', 'set', 'dev', '--image', '$(touch pwned)'], /^colima-k8s: Images: /],
  ];
  it.each(hostile)('refuses %s with one plain line giving the value, exit 2; the settings file is unchanged', async (_what, argv, message) => {
    await cli('profile', 'set', 'dev', '--cpu', '1');
    const before = readFileSync(settingsFile());
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expectOneErrorLine(run, message);
    expect(run.stderrLines).toHaveLength(1);
    expect(readFileSync(settingsFile()).equals(before)).toBe(true);
    expect(env.calls()).toEqual([]);
    expect(existsSync(path.join(process.cwd(), 'pwned')) || existsSync(path.join(env.root, 'pwned'))).toBe(false);
  });

  it('keeps a corrupt settings file as a backup and says where it is', async () => {
    await cli('profile', 'set', 'mine', '--cpu', '1');
    writeFileSync(settingsFile(), '{"profiles": [{"name": "mine", "cpus": 1,');
    const run = await cli('profile', 'list', '--json');
    expect(run.code).toBe(0);
    const backup = readdirSync(env.appHome).find((f) => f.startsWith('settings.corrupt-'));
    expect(backup).toBeDefined();
    expect(readFileSync(path.join(env.appHome, backup!), 'utf8')).toBe('{"profiles": [{"name": "mine", "cpus": 1,');
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toContain(path.join(env.appHome, backup!));
    expect(JSON.parse(run.stdout).profiles.map((p: { name: string }) => p.name)).toEqual(['k8s']);
  });

  it('exits 2 with one line for a usage error', async () => {
    const run = await cli('profile', 'set', 'dev', '--cpus-per-node', '2');
    expect(run.code).toBe(2);
    expect(run.stderrLines).toEqual(["colima-k8s: Unknown option '--cpus-per-node'. Run colima-k8s --help for usage."]);
  });
});

describe('colima-k8s start, status, stop, down', () => {
  it('starts a profile with the exact colima argv and shows it in status', async () => {
    await cli('profile', 'set', 'dev', '--cpu', '2', '--memory', '2', '--disk', '30', '--k8s-version', 'v1.35.0+k3s1', '--image', 'redis:7', '--no-keep-data');
    const run = await cli('start', 'dev');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('dev is running; kube context: colima-dev\n');
    expect(run.stderrLines).toEqual(expect.arrayContaining(['dev: creating and starting (vm)', 'dev: pulling image redis:7 (1/1)', 'dev: waiting for the Kubernetes node to be Ready']));
    expect(env.colimaCalls().filter((a) => a[0] !== 'list')).toEqual([
      // The version gate, once per evaluated environment (toolchain/colima-version.ts).
      ['version'],
      ['start', '--profile', 'dev', '--cpus', '2', '--memory', '2', '--disk', '30', '--runtime', 'containerd', '--kubernetes', '--kubernetes-version', 'v1.35.0+k3s1'],
      ['nerdctl', '--profile', 'dev', '--', '--namespace', 'k8s.io', 'pull', 'redis:7'],
    ]);

    const status = await cli('status', '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.instances.find((i: { profile: string }) => i.profile === 'dev')).toEqual({ profile: 'dev', phase: 'running', startedByApp: true, cluster: expect.objectContaining({ profile: 'dev', status: 'running' }) });
    expect(parsed.environment).toMatchObject({ kind: 'ready', shellNix: env.shellNix });
    expect((await cli('status')).stdout).toMatch(/^\s+dev\s+running\s+yes/m);

    const stop = await cli('stop', 'dev');
    expect(stop.code).toBe(0);
    expect(await listed()).toEqual(['dev:Stopped']);
  });

  it('tears down 3 app-started instances in parallel and leaves one started by hand alone', async () => {
    for (const name of ['a', 'b', 'c']) {
      await cli('profile', 'set', name, '--cpu', '1', '--memory', '1', '--no-kubernetes');
      expect((await cli('start', name)).code).toBe(0);
    }
    expect((await env.runColimaByHand(['start', '--profile', 'byhand', '--runtime', 'containerd'])).exitCode).toBe(0);
    await cli('profile', 'set', 'byhand', '--cpu', '1', '--memory', '1', '--no-kubernetes');
    const refused = await cli('start', 'byhand');
    expectOneErrorLine(refused, /colima-k8s: A colima instance "byhand" \(Running\) already exists and was not started by this app/);

    // Each stop waits until 3 stops run at once: met only if they run in parallel.
    env.setFaults({ stopBarrier: 3 });
    const before = env.calls().length;
    const beforeEvents = env.events().length;
    const down = await cli('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toBe('Deleted 3 instance(s) started by colima-k8s.\n');
    for (const p of ['a', 'b', 'c']) expect(down.stderrLines).toEqual(expect.arrayContaining([`${p}: stopping`, `${p}: deleting`, `${p}: deleted`]));
    const teardownCalls = env.calls().slice(before).filter((c) => c.program === 'colima');
    // In parallel: every stop began before the first one ended (one after another, each would begin after the previous ended).
    expect(overlapOf(env.events().slice(beforeEvents), (argv) => argv[0] === 'stop')).toEqual({ begun: 3, begunBeforeFirstEnd: 3 });
    const calls = teardownCalls.map((c) => c.argv);
    expect(calls.filter((a) => a.includes('byhand'))).toEqual([]);
    expect(await listed()).toEqual(['byhand:Running']);
    expect(ledger()).toEqual([]);
  });

  it('down escalates a hanging stop to --force and retries a delete that fails once', async () => {
    await cli('profile', 'set', 'dev', '--cpu', '1', '--memory', '1');
    await cli('start', 'dev');
    env.setFaults({ stopHangs: true, deleteFailsTimes: 1 });
    const down = await cli('down', '--timeout', '20');
    expect(down.code).toBe(0);
    expect(down.stderrLines).toContain('dev: stop hung or failed: forcing the stop (stop --force)');
    const teardownCalls = env.colimaCalls().filter((a) => a[0] === 'stop' || a[0] === 'delete');
    expect(teardownCalls).toEqual([
      ['stop', '--profile', 'dev'],
      ['stop', '--force', '--profile', 'dev'],
      ['delete', '--force', '--data', '--profile', 'dev'],
      ['delete', '--force', '--data', '--profile', 'dev'],
    ]);
    expect(await listed()).toEqual([]);
    // The stale kube entries of the stopped instance are gone (colima-cli §14.8).
    expect(env.readKubeconfig().contexts.map((c) => c.name)).toEqual([]);
  });

  it('down exits 1 with one line when an instance remains, and 0 when nothing is left', async () => {
    await cli('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes');
    await cli('start', 'dev');
    env.setFaults({ deleteFailsTimes: 5 });
    expectOneErrorLine(await cli('down'), /^colima-k8s: 1 instance\(s\) started by colima-k8s remain: dev \(error during teardown of vm: exit status 1\)$/);
    expect(ledger().map((e) => e.profile)).toEqual(['dev']);
    env.setFaults({});
    expect((await cli('down')).code).toBe(0);
    const empty = await cli('down');
    expect(empty).toMatchObject({ code: 0, stdout: 'Nothing to tear down: no instance started by colima-k8s exists.\n' });
  });
});

describe('colima-k8s profile remove with a VM', () => {
  it('refuses to drop a profile whose app-started VM exists unless --delete-vm, which deletes both', async () => {
    await cli('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes');
    await cli('start', 'dev');
    const refused = await cli('profile', 'remove', 'dev');
    expectOneErrorLine(refused, /^colima-k8s: Profile dev has a VM that colima-k8s started; remove both with: colima-k8s profile remove dev --delete-vm$/);
    expect(await listed()).toEqual(['dev:Running']);
    const removed = await cli('profile', 'remove', 'dev', '--delete-vm');
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed profile dev.\n' });
    expect(await listed()).toEqual([]);
    expect(ledger()).toEqual([]);
    expect(JSON.parse((await cli('profile', 'list', '--json')).stdout).profiles.map((p: { name: string }) => p.name)).toEqual(['k8s']);
  });

  it('refuses to stop an instance the app did not start', async () => {
    expect((await env.runColimaByHand(['start', '--profile', 'byhand', '--runtime', 'containerd'])).exitCode).toBe(0);
    // A profile of that name that the app never started: the app still leaves that VM alone.
    await cli('profile', 'set', 'byhand', '--cpu', '1', '--memory', '1', '--no-kubernetes');
    expectOneErrorLine(await cli('stop', 'byhand'), /was not started by this app, so the app leaves it alone; stop it yourself with: colima stop --profile byhand$/);
    expect(await listed()).toEqual(['byhand:Running']);
    const badName = await cli('stop', 'x; touch pwned');
    expectOneErrorLine(badName, /^colima-k8s: Name: "x; touch pwned" is not allowed; use lower-case letters/);
    expect(badName.code).toBe(2);
    expect(env.colimaCalls().filter((a) => a[0] === 'stop')).toEqual([]);
  });
});

describe('colima-k8s stop of a name nobody knows', () => {
  it('says there is no such profile and exits 2 without running colima; a profile without a VM is simply stopped', async () => {
    const typo = await cli('stop', 'typo');
    expectOneErrorLine(typo, /^colima-k8s: There is no profile "typo"\. Profiles: k8s\. Create it with: colima-k8s profile set typo /);
    expect(typo.code).toBe(2);
    expect(env.calls()).toEqual([]);
    await cli('profile', 'set', 'dev', '--cpu', '1', '--memory', '1');
    expect(await cli('stop', 'dev')).toMatchObject({ code: 0, stdout: 'dev is stopped.\n' });
    expect(env.colimaCalls().filter((a) => a[0] !== 'list')).toEqual([]);
  });
});

describe('the CLI log', () => {
  const logsDir = (): string => path.join(env.appHome, 'logs');

  it('is a file per run under logs/cli (never one file that grows forever)', async () => {
    await cli('stop', 'k8s');
    await cli('profile', 'list');
    expect(existsSync(path.join(logsDir(), 'cli.log'))).toBe(false);
    const files = readdirSync(path.join(logsDir(), 'cli'));
    // `profile list` logged nothing, so it made no file.
    expect(files).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-cli-stop-k8s\.log$/)]);
    const text = readFileSync(path.join(logsDir(), 'cli', files[0]!), 'utf8');
    expect(text).toMatch(/operation: cli stop k8s\n/);
    expect(text).toMatch(/run \[".*colima","list","--json"\]/);
    // The tray's operation logs (in logs/) are not touched by the CLI's pruning.
    expect(readdirSync(logsDir())).toEqual(['cli']);
  });

  it('keeps only the newest logs', () => {
    const dir = path.join(env.root, 'logs');
    for (let i = 0; i < 5; i++) cliRunLogger(dir, `status ${i}`, { keep: 3 }).log('info', `run ${i}`);
    cliRunLogger(dir, 'unused', { keep: 3 });
    const left = readdirSync(path.join(dir, 'cli')).sort();
    expect(left).toHaveLength(3);
    expect(left.map((f) => readFileSync(path.join(dir, 'cli', f), 'utf8').match(/run (\d)/)![1])).toEqual(['2', '3', '4']);
  });
});

describe('colima-k8s doctor', () => {
  it('reports, through the nix environment, an instance started by hand that the app will not touch', async () => {
    expect((await env.runColimaByHand(['start', '--profile', 'byhand', '--runtime', 'containerd'])).exitCode).toBe(0);
    const run = await cli('doctor', '--json');
    expect([0, 1]).toContain(run.code);
    const report = JSON.parse(run.stdout);
    expect(report.formatVersion).toBe(1);
    expect(report.findings.map((f: { id: string }) => f.id)).toContain('foreign-instances.byhand');
    expect(env.colimaCalls()).toContainEqual(['list', '--json']);
  });
});
