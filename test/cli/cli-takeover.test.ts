// `colima-k8s down` from a second process while a first one is still running
// `colima-k8s start`: down takes the entry over and ends that start before it
// stops and deletes, so the VM never comes up unrecorded; the start exits 1
// saying a teardown ended it.
import { describe, expect, it, vi } from 'vitest';
import { colimaRuns, isAlive, ledgerEntries, listedByHand, useCliProcessSuite } from './cli-process-harness.js';

const suite = useCliProcessSuite('takeover');

describe('down while another process is starting', () => {
  it('ends that start first: down deletes, the start fails saying why, and no VM appears afterwards', async () => {
    expect((await suite.launch(['profile', 'set', 'k8s', '--cpu', '1', '--memory', '1']).done).code).toBe(0);
    // The start waits before it creates the VM: a down that deleted underneath it would find nothing,
    // remove the entry, and the VM would come up afterwards with the app knowing nothing of it.
    const START_DELAY_MS = 3_000;
    suite.env.setFaults({ startDelayMs: START_DELAY_MS });
    const start = suite.launch(['start', 'k8s']);
    // colima start runs (the simulator logged it) and the ledger holds its process group.
    await vi.waitFor(() => expect(ledgerEntries(suite.env)[0]?.startProcess?.identity && colimaRuns(suite.env, 'start')[0]).toBeTruthy(), { timeout: 60_000, interval: 50 });
    const colimaStart = colimaRuns(suite.env, 'start')[0]!;
    expect(ledgerEntries(suite.env)).toEqual([expect.objectContaining({ profile: 'k8s', pid: start.child.pid, owner: 'cli', state: 'starting' })]);

    const down = await suite.launch(['down']).done;

    expect(down.code).toBe(0);
    expect(down.stdout).toBe('Deleted 1 instance(s) started by colima-k8s.\n');
    expect(down.stderr).toContain('k8s: deleted');
    const started = await start.done;
    expect(started.code).toBe(1);
    // The error, then the path of the start's log.
    const [errorLine, logLine] = started.stderr.trimEnd().split('\n').slice(-2);
    expect(logLine).toMatch(/^See the log of this run: .*-cli-start-k8s\.log$/);
    expect(errorLine).toMatch(
      new RegExp(`^colima-k8s: The start of k8s was ended by a teardown \\(colima-k8s down or the tray's Quit, process \\d+\\), which stops and deletes its VM; the start reported: `),
    );
    expect(started.stdout).toBe('');
    expect(isAlive(colimaStart.pid)).toBe(false);
    expect(ledgerEntries(suite.env)).toEqual([]);
    // Longer than the start had left before it would have created the VM: nothing appears.
    await new Promise((resolve) => setTimeout(resolve, START_DELAY_MS + 1_000));
    expect(await listedByHand(suite.env)).toEqual([]);
    expect(ledgerEntries(suite.env)).toEqual([]);
    expect(colimaRuns(suite.env, 'start')).toHaveLength(1);
  });
});
