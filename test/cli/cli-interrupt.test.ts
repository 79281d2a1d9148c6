// Ctrl-C (SIGINT) on `colima-k8s down` and `colima-k8s stop`: colima runs in
// a process group of its own (run.ts), so the terminal's SIGINT reaches only
// the CLI. The CLI cancels what it runs, waits for the kill, says what was left,
// and exits 130; no colima process outlives it.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIntegrationEnv, simulatorShellNix, type IntegrationEnv } from '../fixtures/integration-env.js';
import { bundleCli } from './cli-bundle.js';
import { colimaRuns, isAlive, launchCli, ledgerEntries, listedByHand } from './cli-process-harness.js';

let bundle: string;
let shellDir: string;
let env: IntegrationEnv;
const leftovers: number[] = [];

beforeAll(async () => {
  bundle = await bundleCli();
  shellDir = simulatorShellNix(path.join(os.tmpdir(), `ck8s-interrupt-shell-${process.pid}`));
}, 120_000);
afterAll(() => {
  rmSync(path.dirname(path.dirname(bundle)), { recursive: true, force: true });
  rmSync(path.dirname(shellDir), { recursive: true, force: true });
});
beforeEach(() => {
  env = createIntegrationEnv({ shellNix: shellDir });
});
afterEach(() => {
  // A failing run must not leave a hanging simulator behind.
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
  env.cleanup();
});

const run = (...args: string[]) => launchCli(bundle, env, args).done;

/** `dev` running (started by the CLI), and its next graceful stop hangs. */
async function runningWithHangingStop(): Promise<void> {
  expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
  expect((await run('start', 'dev')).code).toBe(0);
  env.setFaults({ stopHangs: true });
}

/** Runs the CLI, sends SIGINT once its `colima stop` runs, and returns how it ended and that stop's pid. */
async function interruptDuringStop(args: string[]) {
  const cli = launchCli(bundle, env, args);
  await vi.waitFor(() => expect(colimaRuns(env, 'stop')).toHaveLength(1), { timeout: 60_000, interval: 50 });
  const stopPid = colimaRuns(env, 'stop')[0]!.pid;
  leftovers.push(stopPid);
  expect(isAlive(stopPid)).toBe(true);
  cli.child.kill('SIGINT');
  return { finished: await cli.done, stopPid };
}

describe('Ctrl-C', () => {
  it('on down: the hanging colima stop is killed before the CLI exits 130, and the instance stays recorded', async () => {
    await runningWithHangingStop();
    const { finished, stopPid } = await interruptDuringStop(['down']);
    expect(finished.code).toBe(130);
    expect(finished.stderr).toContain('interrupted: cancelling the teardown\n');
    expect(finished.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^colima-k8s: interrupted: the teardown was cancelled; 1 instance\(s\) started by colima-k8s remain: dev \(.*cancelled.*\)\. Run colima-k8s down again to delete them\.$/,
    );
    expect(isAlive(stopPid)).toBe(false);
    // No force stop, no delete: the teardown ended where it was interrupted.
    expect(env.colimaCalls().filter((a) => a[0] === 'stop' || a[0] === 'delete')).toEqual([['stop', '--profile', 'dev']]);
    expect(ledgerEntries(env).map((e) => e.profile)).toEqual(['dev']);
    env.setFaults({});
    expect((await run('down')).code).toBe(0);
    expect(await listedByHand(env)).toEqual([]);
  });

  it('on stop: the hanging colima stop is killed before the CLI exits 130', async () => {
    await runningWithHangingStop();
    const { finished, stopPid } = await interruptDuringStop(['stop', 'dev']);
    expect(finished.code).toBe(130);
    expect(finished.stderr.trimEnd().split('\n').at(-1)).toBe(
      'colima-k8s: interrupted: the stop of dev was cancelled; its VM may still be running (colima-k8s stop dev again, or colima-k8s down).',
    );
    expect(isAlive(stopPid)).toBe(false);
    expect(env.colimaCalls().filter((a) => a[0] === 'stop')).toEqual([['stop', '--profile', 'dev']]);
    expect(await listedByHand(env)).toEqual(['dev:Running']);
    env.setFaults({});
    expect((await run('down')).code).toBe(0);
  });
});
