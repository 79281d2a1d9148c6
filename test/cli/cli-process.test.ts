// The bundled CLI as its own process (like `node dist/cli.cjs`), through the
// real nix-shell and the simulators: crash recovery after SIGKILL, and an
// interrupted start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIntegrationEnv, simulatorShellNix, type IntegrationEnv } from '../fixtures/integration-env.js';
import { bundleCli } from './cli-bundle.js';

let bundle: string;
let shellDir: string;
let env: IntegrationEnv;

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function launch(args: string[]): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bundle, ...args], { env: env.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const run = (...args: string[]): Promise<Finished> => launch(args).done;
const ledgerProfiles = (): string[] => {
  const file = path.join(env.appHome, 'ledger.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).instances.map((e: { profile: string }) => e.profile) : [];
};
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const colimaStart = () => env.calls().find((c) => c.program === 'colima' && c.argv[0] === 'start');

beforeAll(async () => {
  bundle = await bundleCli();
  shellDir = simulatorShellNix(path.join(os.tmpdir(), `ck8s-cliproc-shell-${process.pid}`));
}, 120_000);
afterAll(() => {
  rmSync(path.dirname(path.dirname(bundle)), { recursive: true, force: true });
  rmSync(path.dirname(shellDir), { recursive: true, force: true });
});
beforeEach(() => {
  env = createIntegrationEnv({ shellNix: shellDir });
});
afterEach(() => env.cleanup());

describe('colima-k8s as a process', () => {
  it('runs from the bundle without Electron and exits 2 on a usage error', async () => {
    const list = await run('profile', 'list', '--json');
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout).activeProfile).toBe('k8s');
    const bad = await run('start', 'a', 'b');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('colima-k8s: Unexpected argument "b". Run colima-k8s --help for usage.\n');
  });

  it('killed with SIGKILL mid-start: the ledger already holds the instance, and `down` cleans it up', async () => {
    expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1')).code).toBe(0);
    // Slow stages: the VM exists a while before the start ends.
    env.setFaults({ stageDelayMs: 1_500 });
    const { child, done } = launch(['start', 'dev']);
    await vi.waitFor(
      async () => expect((await env.runColimaByHand(['list', '--json'])).stdout).toContain('"name":"dev"'),
      { timeout: 30_000, interval: 100 },
    );
    expect(ledgerProfiles()).toEqual(['dev']);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');

    // colima runs in its own process group (run.ts), so it outlives the CLI
    // (until it writes to its dead pipe); wait for it, then recover.
    const orphan = colimaStart()!.pid;
    await vi.waitFor(() => expect(alive(orphan)).toBe(false), { timeout: 30_000, interval: 100 });
    env.setFaults({});
    const status = await run('status', '--json');
    const dev = JSON.parse(status.stdout).instances.find((i: { profile: string }) => i.profile === 'dev');
    expect(dev).toMatchObject({ startedByApp: true });
    expect(['running', 'stopped']).toContain(dev.phase);

    const down = await run('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toBe('Deleted 1 instance(s) started by colima-k8s.\n');
    expect(down.stderr).toContain('dev: deleted');
    expect(ledgerProfiles()).toEqual([]);
    expect((await env.runColimaByHand(['list', '--json'])).stdout).toBe('');
  });

  it('SIGTERM during a start cancels it and stops the VM, which stays recorded for `down`', async () => {
    expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    env.setFaults({ startDelayMs: 60_000 });
    const { child, done } = launch(['start', 'dev']);
    await vi.waitFor(() => expect(colimaStart()).toBeDefined(), { timeout: 30_000, interval: 50 });
    child.kill('SIGTERM');
    const finished = await done;
    expect(finished.code).toBe(130);
    expect(finished.stderr).toMatch(/interrupted: cancelling the start of dev/);
    expect(finished.stderr.trimEnd().split('\n').at(-1)).toBe('colima-k8s: the start of dev was cancelled.');
    // The cancelled colima start was killed with its process group.
    expect(alive(colimaStart()!.pid)).toBe(false);
    expect(env.colimaCalls().at(-1)).toEqual(['stop', '--profile', 'dev']);
    expect(ledgerProfiles()).toEqual(['dev']);
    expect((await run('down')).code).toBe(0);
    expect(ledgerProfiles()).toEqual([]);
  });
});
