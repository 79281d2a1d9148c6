// Ctrl-C (SIGINT) on `colima-k8s down`, `stop` and `status`: colima runs in
// a process group of its own (run.ts), so the terminal's SIGINT reaches only
// the CLI. The CLI cancels what it runs, waits for the kill, says what was left,
// and exits 130; no colima process outlives it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colimaRuns, isAlive, ledgerEntries, listedByHand, useCliProcessSuite } from './cli-process-harness.js';

const suite = useCliProcessSuite('interrupt');
const leftovers: number[] = [];
afterEach(() => {
  // A failing run must not leave a hanging simulator behind.
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
});

const run = (...args: string[]) => suite.launch(args).done;

/** `dev` running (started by the CLI), and its next graceful stop hangs. */
async function runningWithHangingStop(): Promise<void> {
  expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
  expect((await run('start', 'dev')).code).toBe(0);
  suite.env.setFaults({ stopHangs: true });
}

/** Runs the CLI, sends SIGINT once its `colima stop` runs, and returns how it ended and that stop's pid. */
async function interruptDuringStop(args: string[]) {
  const cli = suite.launch(args);
  await vi.waitFor(() => expect(colimaRuns(suite.env, 'stop')).toHaveLength(1), { timeout: 60_000, interval: 50 });
  const stopPid = colimaRuns(suite.env, 'stop')[0]!.pid;
  leftovers.push(stopPid);
  expect(isAlive(stopPid)).toBe(true);
  cli.child.kill('SIGINT');
  return { finished: await cli.done, stopPid };
}

/** The simulator's `colima list` sleeps first. */
function slowList(): void {
  suite.env.setFaults({ listDelayMs: 60_000 });
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
    expect(suite.env.colimaCalls().filter((a) => a[0] === 'stop' || a[0] === 'delete')).toEqual([['stop', '--profile', 'dev']]);
    expect(ledgerEntries(suite.env).map((e) => e.profile)).toEqual(['dev']);
    suite.env.setFaults({});
    expect((await run('down')).code).toBe(0);
    expect(await listedByHand(suite.env)).toEqual([]);
  });

  it('on stop: the hanging colima stop is killed before the CLI exits 130', async () => {
    await runningWithHangingStop();
    const { finished, stopPid } = await interruptDuringStop(['stop', 'dev']);
    expect(finished.code).toBe(130);
    expect(finished.stderr.trimEnd().split('\n').at(-1)).toBe(
      'colima-k8s: interrupted: the stop of dev was cancelled; its VM may still be running (colima-k8s stop dev again, or colima-k8s down).',
    );
    expect(isAlive(stopPid)).toBe(false);
    expect(suite.env.colimaCalls().filter((a) => a[0] === 'stop')).toEqual([['stop', '--profile', 'dev']]);
    expect(await listedByHand(suite.env)).toEqual(['dev:Running']);
    suite.env.setFaults({});
    expect((await run('down')).code).toBe(0);
  });

  it('on status: the slow colima list is killed before the CLI exits 130, and nothing is printed as a status', async () => {
    slowList();
    const cli = suite.launch(['status']);
    await vi.waitFor(() => expect(colimaRuns(suite.env, 'list')).toHaveLength(1), { timeout: 60_000, interval: 50 });
    const listPid = colimaRuns(suite.env, 'list')[0]!.pid;
    leftovers.push(listPid);
    expect(isAlive(listPid)).toBe(true);
    cli.child.kill('SIGINT');
    const finished = await cli.done;
    expect(finished.code).toBe(130);
    expect(finished.stdout).toBe('');
    expect(finished.stderr).toContain('interrupted: cancelling the status query\n');
    expect(finished.stderr.trimEnd().split('\n').at(-1)).toBe('colima-k8s: interrupted: the status query (colima list) was cancelled.');
    expect(isAlive(listPid)).toBe(false);
    expect(suite.env.colimaCalls()).toEqual([['list', '--json']]);
  });
});
