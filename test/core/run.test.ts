// runCommand kills whole process groups: also a member that ignores SIGTERM
// and outlives the group's leader (limactl outliving colima), and every group
// still running when the process exits (killAllProcessGroups).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllProcessGroups, liveProcessGroups, runCommand } from '../../main/core/run.js';
import { isRunning as isAlive, until } from './run-helpers.js';

const dirs: string[] = [];
const strays: number[] = [];
afterEach(() => {
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone: what the tests expect */
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A leader that starts a member which ignores SIGTERM (an ignored signal stays
 * ignored across exec) with its output away from the leader's pipes, writes
 * the member's pid, then waits. SIGTERM ends the leader only.
 */
function leaderWithStubbornMember(): { args: string[]; memberPid: () => Promise<number> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ck8s-run-'));
  dirs.push(dir);
  const pidFile = path.join(dir, 'member.pid');
  // The member writes its own pid only once its trap is set: a SIGTERM that came
  // earlier (a cancellation right after the pid file appears) would kill it, and
  // the test would see a member that never ignored anything.
  const script = `sh -c 'trap "" TERM; echo $$ > "$1.tmp" && mv "$1.tmp" "$1"; exec sleep 60' member "$1" >/dev/null 2>&1 </dev/null & wait`;
  return {
    args: ['-c', script, 'leader', pidFile],
    memberPid: async () => {
      await until(() => existsSync(pidFile));
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      strays.push(pid);
      return pid;
    },
  };
}

describe('runCommand process groups', () => {
  // The time limits below are far above what the shell needs to start its member
  // and far from each other, so that a loaded machine cannot change the order of
  // events: the member is running before the timeout, and the grace is either
  // long enough to look at the survivor or short enough to wait out.
  it('on a timeout SIGTERMs the group; a member that ignores it survives the leader, and its group stays registered', async () => {
    const { args, memberPid } = leaderWithStubbornMember();
    let group = 0;
    const running = runCommand('/bin/sh', args, { timeoutMs: 10_000, killGraceMs: 120_000, onSpawn: (pid) => (group = pid) });
    const member = await memberPid();
    const r = await running;
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGTERM');
    // The leader is gone; the member survived SIGTERM and its group is still in the registry.
    expect(isAlive(member)).toBe(true);
    expect(liveProcessGroups()).toEqual([group]);
    expect(killAllProcessGroups()).toBe(1);
    await until(() => !isAlive(member));
  });

  it('SIGKILLs that member after the grace, although the leader exited at SIGTERM (timeout)', async () => {
    const { args, memberPid } = leaderWithStubbornMember();
    const running = runCommand('/bin/sh', args, { timeoutMs: 10_000, killGraceMs: 200 });
    const member = await memberPid();
    expect((await running).timedOut).toBe(true);
    // It ignores SIGTERM: only the SIGKILL after the grace ends it.
    await until(() => !isAlive(member));
    expect(liveProcessGroups()).toEqual([]);
  });

  it('does the same on cancellation', async () => {
    const { args, memberPid } = leaderWithStubbornMember();
    const abort = new AbortController();
    const running = runCommand('/bin/sh', args, { timeoutMs: 60_000, killGraceMs: 200, signal: abort.signal });
    const member = await memberPid();
    abort.abort();
    const r = await running;
    expect(r.cancelled).toBe(true);
    // It survived SIGTERM (its trap was set before its pid was written); only the SIGKILL after the grace ends it.
    await until(() => !isAlive(member));
    expect(liveProcessGroups()).toEqual([]);
  });

  it('leaves a group alone (and forgets it) when its leader exits on its own', async () => {
    // A limit no loaded machine reaches for `exit 0`: only the leader's own exit may end it.
    let group = 0;
    const r = await runCommand('/bin/sh', ['-c', 'exit 0'], { timeoutMs: 120_000, onSpawn: (pid) => (group = pid) });
    expect(r.timedOut).toBe(false);
    expect(liveProcessGroups()).not.toContain(group);
    expect(r.exitCode).toBe(0);
    expect(liveProcessGroups()).toEqual([]);
  });

  it('killAllProcessGroups() kills every running group, members included, at once', async () => {
    const a = leaderWithStubbornMember();
    const b = leaderWithStubbornMember();
    const runs = [runCommand('/bin/sh', a.args, { timeoutMs: 60_000 }), runCommand('/bin/sh', b.args, { timeoutMs: 60_000 })];
    const members = [await a.memberPid(), await b.memberPid()];
    expect(liveProcessGroups()).toHaveLength(2);

    expect(killAllProcessGroups()).toBe(2);
    const results = await Promise.all(runs);
    expect(results.map((r) => r.signal)).toEqual(['SIGKILL', 'SIGKILL']);
    await until(() => members.every((m) => !isAlive(m)));
    expect(liveProcessGroups()).toEqual([]);
    expect(killAllProcessGroups()).toBe(0);
  });
});
