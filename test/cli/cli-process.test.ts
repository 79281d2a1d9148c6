// The bundled CLI as its own process (like `node dist/cli.cjs`), through the
// real nix-shell and the simulators: crash recovery after SIGKILL (including
// the colima start the killed CLI leaves running), and an interrupted start.
import { describe, expect, it, vi } from 'vitest';
import { colimaRuns, isAlive, ledgerEntries, useCliProcessSuite, type Finished } from './cli-process-harness.js';

const suite = useCliProcessSuite('cliproc');
const run = (...args: string[]): Promise<Finished> => suite.launch(args).done;
const ledgerProfiles = (): string[] => ledgerEntries(suite.env).map((e) => e.profile);
const colimaStart = () => colimaRuns(suite.env, 'start')[0];

describe('colima-k8s as a process', () => {
  it('runs from the bundle without Electron and exits 2 on a usage error', async () => {
    const list = await run('profile', 'list', '--json');
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout).activeProfile).toBe('k8s');
    const bad = await run('start', 'a', 'b');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('colima-k8s: Unexpected argument "b". Run colima-k8s --help for usage.\n');
  });

  it('exits 2 for an invalid value or an unknown profile, 1 for a failed operation, 0 for status without nix', async () => {
    const invalid = await run('profile', 'set', 'dev', '--memory', '0.1');
    expect(invalid).toMatchObject({ code: 2, stdout: '', stderr: 'colima-k8s: Memory: 0.1 GiB is below the minimum of 1 GiB.\n' });
    const unknown = await run('stop', 'nosuchprofile');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^colima-k8s: There is no profile "nosuchprofile"\. Profiles: k8s\. /);
    expect(suite.env.calls()).toEqual([]);
    expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    suite.env.setFaults({ startFailsAt: 'creating and starting' });
    const failed = await run('start', 'dev');
    expect(failed.code).toBe(1);
    expect(failed.stderr.trimEnd().split('\n').at(-1)).toMatch(/^See the log of this run: .*-cli-start-dev\.log$/);
    suite.env.setFaults({});
    (suite.env.env as Record<string, string>).COLIMA_K8S_NIX_SHELL = '/nonexistent/nix-shell';
    const status = await run('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^\s+dev\s+unknown\s+yes/m);
    expect(status.stdout).toMatch(/^nix environment: UNAVAILABLE: /m);
    delete (suite.env.env as Record<string, string>).COLIMA_K8S_NIX_SHELL;
    expect((await run('down')).code).toBe(0);
  });

  it('killed with SIGKILL mid-start: `down` at once kills the colima start it left running, and the VM never appears', async () => {
    expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1')).code).toBe(0);
    // Each stage line is followed by a long pause; the VM is created right after the first one's.
    const STAGE_MS = 4_000;
    suite.env.setFaults({ stageDelayMs: STAGE_MS });
    const { child, done, stderrSoFar } = suite.launch(['start', 'dev']);
    await vi.waitFor(() => expect(stderrSoFar()).toContain('dev: creating and starting (vm)'), { timeout: 60_000, interval: 50 });
    // The ledger already holds the instance: owned by this CLI run, not completed, with colima's process group.
    const orphan = colimaStart()!.pid;
    expect(ledgerEntries(suite.env)).toEqual([expect.objectContaining({ profile: 'dev', pid: child.pid, owner: 'cli', state: 'starting', startProcess: expect.objectContaining({ pgid: orphan }) })]);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    // colima runs in its own process group (run.ts), so it outlives the CLI.
    expect(isAlive(orphan)).toBe(true);

    // `down`'s own colima commands are quick (the simulator reads its faults at each start), so
    // without killing the orphan, `down` would finish well before it creates the VM.
    suite.env.setFaults({});
    const down = await run('down');
    expect(down.code).toBe(0);
    expect(down.stdout).toBe('Deleted 1 instance(s) started by colima-k8s.\n');
    expect(down.stderr).toContain('dev: deleted');
    expect(isAlive(orphan)).toBe(false);
    expect(ledgerProfiles()).toEqual([]);
    expect((await suite.env.runColimaByHand(['list', '--json'])).stdout).toBe('');
    // Longer than the start had left before it would have created the VM: nothing appears.
    await new Promise((resolve) => setTimeout(resolve, STAGE_MS + 1_500));
    expect((await suite.env.runColimaByHand(['list', '--json'])).stdout).toBe('');
    expect(suite.env.colimaCalls().filter((a) => a[0] === 'start')).toHaveLength(1);
  });

  it('a completed CLI start is recorded as such, so a tray launched later adopts it', async () => {
    expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    const { child, done } = suite.launch(['start', 'dev']);
    expect((await done).code).toBe(0);
    const [entry] = ledgerEntries(suite.env);
    expect(entry).toMatchObject({ profile: 'dev', pid: child.pid, owner: 'cli', state: 'started' });
    expect(entry!.startProcess).toBeUndefined();
    expect((await run('down')).code).toBe(0);
  });

  it('SIGTERM during a start cancels it and stops the VM, which stays recorded for `down`', async () => {
    expect((await run('profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    suite.env.setFaults({ startDelayMs: 60_000 });
    const { child, done } = suite.launch(['start', 'dev']);
    await vi.waitFor(() => expect(colimaStart()).toBeDefined(), { timeout: 30_000, interval: 50 });
    child.kill('SIGTERM');
    const finished = await done;
    expect(finished.code).toBe(130);
    expect(finished.stderr).toMatch(/interrupted: cancelling the start of dev/);
    expect(finished.stderr.trimEnd().split('\n').at(-1)).toBe('colima-k8s: the start of dev was cancelled.');
    // The cancelled colima start was killed with its process group.
    expect(isAlive(colimaStart()!.pid)).toBe(false);
    // The stop, then the `colima list` that checks it left the VM stopped (a Broken VM would need --force).
    expect(suite.env.colimaCalls().slice(-2)).toEqual([['stop', '--profile', 'dev'], ['list', '--json']]);
    expect(ledgerProfiles()).toEqual(['dev']);
    expect((await run('down')).code).toBe(0);
    expect(ledgerProfiles()).toEqual([]);
  });
});
