// The colima simulator reproduces reference/colima-cli.md §13 for piped stdio:
// delete prompts, delete --force, start and stop.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../../main/core/run.js';
import { createDirectRunner } from '../../fixtures/direct-runner.js';
import { createSimHome, logLines, simBinDir, waitFor, type SimHome } from '../../fixtures/sim-control.js';

const PROMPT_1 = (d: string): string => `are you sure you want to delete ${d} and all settings? [y/N] \x1b[0m`;
const PROMPT_2 = '\x1b[31m\x1b[1mthis will delete ALL container data. Are you sure you want to continue? [y/N] \x1b[0m';

let sim: SimHome;
const colima = (...args: string[]): Promise<CommandResult> => sim.runner.run('colima', args);
const colimaWithInput = (input: string, ...args: string[]): Promise<CommandResult> => sim.runner.run('colima', args, { input });

beforeEach(() => {
  sim = createSimHome();
});
afterEach(() => sim.cleanup());

/** Spawns the simulator with stdin left open (Node's default pipe), as a careless app would. */
function spawnOpenStdin(args: string[]) {
  const child = spawn(path.join(simBinDir(), 'colima'), args, { env: sim.runner.env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('delete prompts (colima-cli §4, §14.3)', () => {
  it('blocks on an open stdin, then `n` exits 0 having deleted nothing', async () => {
    await colima('start', '-p', 'keep', '-r', 'containerd');
    const p = spawnOpenStdin(['delete', '-p', 'keep']);
    // The prompt is printed, and then the process waits: it has not exited and deleted nothing.
    await waitFor(() => p.output().stdout.length >= PROMPT_1('colima [profile=keep]').length);
    expect(p.output().stdout).toBe(PROMPT_1('colima [profile=keep]'));
    expect(p.child.exitCode).toBeNull(); // still waiting for an answer
    expect(sim.instance('keep')?.status).toBe('Running');
    p.child.stdin.write('n\n');
    expect(await p.exited).toBe(0);
    expect(p.output().stderr).toBe('');
    expect(sim.instance('keep')?.status).toBe('Running');
  });

  it('with stdin closed prints the prompt and exits 0 doing nothing', async () => {
    await colima('start', '-p', 'keep', '-r', 'containerd');
    const r = await colima('delete', '-p', 'keep');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(PROMPT_1('colima [profile=keep]'));
    expect(r.stderr).toBe('');
    expect(sim.instance('keep')?.status).toBe('Running');
  });

  it('asks once for a formatted disk, twice with --data (and a second `n` keeps everything)', async () => {
    await colima('start', '-p', 'a', '-r', 'containerd');
    const once = await colimaWithInput('y\n', 'delete', '-p', 'a');
    expect(once.stdout).toBe(PROMPT_1('colima [profile=a]'));
    expect(logLines(once)).toEqual(['level=info msg="deleting colima [profile=a]"', 'level=info msg="deleting ..." context=containerd', 'level=info msg=done']);

    await colima('start', '-p', 'b', '-r', 'containerd');
    const no = await colimaWithInput('y\nn\n', 'delete', '--data', '-p', 'b');
    expect(no.stdout).toBe(PROMPT_1('colima [profile=b]') + PROMPT_2);
    expect(no.exitCode).toBe(0);
    expect(sim.instance('b')?.status).toBe('Running');

    const yes = await colimaWithInput('y\ny\n', 'delete', '--data', '-p', 'b');
    expect(logLines(yes).at(-2)).toBe('level=info msg="deleting container data"');
    expect(sim.instance('b')).toBeUndefined();
  });
});

describe('delete --force (colima-cli §13)', () => {
  it('running with Kubernetes: full teardown lines, kube entries removed', async () => {
    await colima('start', '-r', 'containerd', '-k');
    expect(sim.kubeconfig()['current-context']).toBe('colima');
    const r = await colima('delete', '--force');
    expect(r.exitCode).toBe(0);
    expect(logLines(r)).toEqual([
      'level=info msg="deleting colima"',
      'level=info msg="deleting ..." context=containerd',
      'level=info msg="deleting ..." context=kubernetes',
      'level=info msg="reverting config ..." context=kubernetes',
      'level=info msg=done',
    ]);
    const cfg = sim.kubeconfig();
    expect([cfg.contexts, cfg.clusters, cfg.users, cfg['current-context']]).toEqual([[], [], [], '']);
    expect((await colima('list', '--json')).stdout).toBe('');
  });

  it('stopped: two lines, and the kube context/cluster/user stay behind', async () => {
    await colima('start', '-p', 'k', '-r', 'containerd', '-k');
    await colima('stop', '-p', 'k');
    const r = await colima('delete', '-f', '-p', 'k');
    expect(logLines(r)).toEqual(['level=info msg="deleting colima [profile=k]"', 'level=info msg=done']);
    const cfg = sim.kubeconfig();
    expect([cfg.contexts, cfg.clusters, cfg.users].map((l) => l.map((e) => e.name))).toEqual([['colima-k'], ['colima-k'], ['colima-k']]);
  });

  it('missing: the same two lines, exit 0', async () => {
    const r = await colima('delete', '--force', 'ghost');
    expect(r.exitCode).toBe(0);
    expect(logLines(r)).toEqual(['level=info msg="deleting colima [profile=ghost]"', 'level=info msg=done']);
  });
});

describe('start', () => {
  it('resumes a stopped instance with the shorter sequence (no download, no updating config)', async () => {
    await colima('start', '-r', 'containerd', '-k');
    await colima('stop');
    const r = await colima('start');
    expect(logLines(r)).toEqual([
      'level=info msg="starting colima"',
      'level=info msg="runtime: containerd+k3s"',
      'level=info msg="starting ..." context=vm',
      'level=info msg="provisioning ..." context=containerd',
      'level=info msg="starting ..." context=containerd',
      'level=info msg="provisioning ..." context=kubernetes',
      'level=info msg="starting ..." context=kubernetes',
      'level=info msg=done',
    ]);
    // Lima's own output goes to stdout when piped (colima-cli §0).
    expect(r.stdout).toMatch(/level=info msg="Starting the instance/);
  });

  it('saves new settings while already running; they apply after a stop (§2.3, §14.6)', async () => {
    await colima('start', 'dev', '--cpus', '2', '-r', 'containerd');
    const r = await colima('start', 'dev', '--cpus', '3');
    expect(logLines(r)).toEqual(['level=warning msg="already running, ignoring"']);
    expect(JSON.parse(readFileSync(path.join(sim.base, 'dev', 'colima.yaml'), 'utf8')).cpu).toBe(3);
    expect(sim.instance('dev')?.cpus).toBe(2);
    await colima('stop', 'dev');
    await colima('start', 'dev');
    expect(sim.instance('dev')?.cpus).toBe(3);
  });

  it('accepts the hidden --cpu alias and -c; -f on start means foreground', async () => {
    await colima('start', '-p', 'a', '--cpu', '3', '-r', 'containerd');
    await colima('start', '-p', 'b', '-c', '4', '-r', 'containerd');
    expect([sim.instance('a')?.cpus, sim.instance('b')?.cpus]).toEqual([3, 4]);

    const p = spawnOpenStdin(['start', '-f', '-p', 'fg', '-r', 'containerd']);
    await waitFor(() => p.output().stderr.includes('keeping Colima in the foreground'));
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output().stderr).toMatch(/interrupted by: terminated[\s\S]*stopping colima \[profile=fg\][\s\S]*msg=done/);
    expect(sim.instance('fg')?.status).toBe('Stopped');
  });

  it('refuses a reused data disk with another runtime until delete --data (§2.3, §14.7)', async () => {
    await colima('start', '-p', 'r', '-r', 'containerd');
    await colima('delete', '-f', '-p', 'r');
    const r = await colima('start', '-p', 'r', '-r', 'incus');
    expect(r.exitCode).toBe(1);
    expect(logLines(r).at(-1)).toBe(
      `level=fatal msg="error starting vm: error at 'creating and starting': runtime disk provisioned for containerd runtime. Delete container data with 'colima delete --data' before using another runtime"`,
    );
  });

  it('fails the dependency check for docker when it is not on PATH', async () => {
    const r = await colima('start', '-p', 'd', '-r', 'docker');
    expect(logLines(r).at(-1)).toBe(`level=fatal msg="dependency check failed for docker: docker not found, run 'brew install docker' to install"`);
  });

  it('works from a flat read-only copy (as in the nix store) and needs kubectl for Kubernetes', async () => {
    // hermetic-shell.nix copies the folder's files flat and makes them 0555 (nix-env.md §2).
    const copy = path.join(sim.home, 'store-copy');
    mkdirSync(copy);
    for (const f of readdirSync(simBinDir()).filter((f) => f !== 'kubectl')) {
      copyFileSync(path.join(simBinDir(), f), path.join(copy, f));
      chmodSync(path.join(copy, f), 0o555);
    }
    const runner = createDirectRunner(copy, { HOME: sim.home, PATH: '/nonexistent' });
    expect((await runner.run('colima', ['version'])).stdout).toBe('colima version 0.10.1\ngit commit: 490420d\n');
    const r = await runner.run('colima', ['start', '-r', 'containerd', '-k']);
    expect([r.exitCode, logLines(r).at(-1)]).toEqual([
      1,
      `level=fatal msg="dependency check failed for kubernetes: kubectl not found, run 'brew install kubectl' to install"`,
    ]);
  });

  it('maps profile names like colima does (§1)', async () => {
    await colima('start', 'colima-x', '-r', 'containerd');
    expect(JSON.parse((await colima('list', '--json')).stdout).name).toBe('x');
    expect((await colima('status', '--json', '-p', 'x')).exitCode).toBe(0);
    await colima('start', '-r', 'containerd');
    expect(JSON.parse((await colima('status', '--json', 'colima')).stdout).display_name).toBe('colima');
    expect(JSON.parse((await colima('status', '--json', '-p', 'default')).stdout).display_name).toBe('colima');
  });

  it('registers --network-address only on macOS', async () => {
    const linux = await colima('start', '-p', 'n', '-r', 'containerd', '--network-address');
    expect(linux.exitCode).toBe(1);
    const mac = createSimHome({ COLIMA_SIM_PLATFORM: 'darwin' });
    try {
      const r = await mac.runner.run('colima', ['start', '-p', 'n', '-r', 'containerd', '--network-address']);
      expect(r.exitCode).toBe(0);
      const status = JSON.parse((await mac.runner.run('colima', ['status', '--json', '-p', 'n'])).stdout);
      expect(status.driver).toBe('macOS Virtualization.Framework');
      expect(status.ip_address).toMatch(/^192\.168\.106\.\d+$/);
      expect(mac.base).toBe(path.join(mac.home, '.colima'));
    } finally {
      mac.cleanup();
    }
  });
});

describe('stop (colima-cli §13)', () => {
  it('prints `not running` for a stopped or missing profile; -f on a missing one is fatal', async () => {
    const r = await colima('stop', 'ghost');
    expect([r.exitCode, logLines(r)]).toEqual([0, ['level=info msg="stopping colima [profile=ghost]"', 'level=info msg="not running" context=vm', 'level=info msg=done']]);
    const f = await colima('stop', '-f', 'ghost');
    expect([f.exitCode, logLines(f)]).toEqual([
      1,
      ['level=info msg="stopping colima [profile=ghost]"', 'level=info msg="stopping ..." context=vm', `level=fatal msg="error stopping vm: error at 'stopping': exit status 1"`],
    ]);
  });

  it('stops a running Kubernetes instance in reverse start order', async () => {
    await colima('start', '-r', 'containerd', '-k');
    expect(logLines(await colima('stop'))).toEqual([
      'level=info msg="stopping colima"',
      'level=info msg="stopping ..." context=kubernetes',
      'level=info msg="stopping ..." context=containerd',
      'level=info msg="stopping ..." context=vm',
      'level=info msg=done',
    ]);
  });
});
