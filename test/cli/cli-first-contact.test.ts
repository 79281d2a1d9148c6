// "First contact": what a new user meets first. `status` without nix, a
// mistyped profile name (refused before any nix work), plain validation
// messages with the value and the range, the log path after a failed start,
// and one exit-code rule (main/cli/input.ts).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useCliSuite } from './cli-suite.js';

vi.mock('electron', () => ({ default: {} }));

const suite = useCliSuite({ host: { cpus: 8, memoryGiB: 16 } });
const cli = suite.cliWith;

/** A nix-shell that records each call (one line of argv) in `log` and fails: nothing may reach it before the name is checked. */
function recordingNixShell(dir: string): { readonly env: Record<string, string>; calls(): string[] } {
  mkdirSync(dir, { recursive: true });
  const log = path.join(dir, 'nix-shell-calls.log');
  const program = path.join(dir, 'nix-shell');
  writeFileSync(program, `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nprocess.exit(1);\n`);
  chmodSync(program, 0o755);
  return { env: { COLIMA_K8S_NIX_SHELL: program }, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}

describe('colima-k8s status without nix', () => {
  it('lists the profiles and the recorded instances as unknown, says why and what to do, and exits 0', async () => {
    expect((await cli({}, 'profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    expect((await cli({}, 'start', 'dev')).code).toBe(0);
    const noNix = { COLIMA_K8S_NIX_SHELL: path.join(suite.env.root, 'nowhere', 'nix-shell') };

    const text = await cli(noNix, 'status');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\s+dev\s+unknown\s+yes\s*$/m);
    expect(text.stdout).toMatch(/^\*\s+k8s\s+unknown\s+no\s*$/m);
    expect(text.stdout).toMatch(/^nix environment: UNAVAILABLE: The configured nix-shell \(.*nowhere\/nix-shell\) is not a working nix-shell/m);
    expect(text.stdout).toMatch(/^The states are unknown: .*Install Nix .*COLIMA_K8S_NIX_SHELL/m);
    expect(text.stderrLines).toEqual([expect.stringMatching(/^colima-k8s: warning: the nix environment is unavailable, so the instance states are unknown\. Install Nix/)]);

    const json = await cli(noNix, 'status', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ activeProfile: 'k8s', environmentAvailable: false });
    expect(parsed.instances).toEqual([
      { profile: 'dev', phase: 'unknown', startedByApp: true },
      { profile: 'k8s', phase: 'unknown', startedByApp: false },
    ]);
    expect(parsed.environment).toMatchObject({ kind: 'error', message: expect.stringContaining('is not a working nix-shell'), whatToDo: expect.stringContaining('Install Nix') });

    // With nix back, the same command answers for real.
    const back = JSON.parse((await cli({}, 'status', '--json')).stdout);
    expect(back.environmentAvailable).toBe(true);
    expect(back.instances.find((i: { profile: string }) => i.profile === 'dev')).toMatchObject({ phase: 'running' });
    expect((await cli({}, 'down')).code).toBe(0);
  });

  it('with a shell.nix whose <nixpkgs> cannot be found: the profiles, nix\'s reason and the nix-shell command to run', async () => {
    const broken = path.join(suite.env.root, 'broken', 'shell.nix');
    mkdirSync(path.dirname(broken), { recursive: true });
    writeFileSync(broken, 'with import <nixpkgs> {}; mkShell { packages = [ colima ]; }\n');
    expect((await cli({}, 'profile', 'set', 'dev', '--cpu', '1', '--memory', '1')).code).toBe(0);
    const run = await cli({ COLIMA_K8S_SHELL_NIX: broken, NIX_PATH: '' }, 'status', '--json');
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout);
    expect(parsed.environmentAvailable).toBe(false);
    expect(parsed.instances.map((i: { profile: string; phase: string }) => `${i.profile}:${i.phase}`)).toEqual(['dev:unknown', 'k8s:unknown']);
    expect(parsed.environment.message).toMatch(/nixpkgs/);
    expect(parsed.environment.whatToDo).toContain(`Run nix-shell ${broken} in a terminal`);
    expect(suite.env.calls()).toEqual([]);
  });
});

describe('a NAME that is not a profile', () => {
  it('is refused before any nix work, listing the profiles, with exit 2 (start, stop, profile remove, profile use)', async () => {
    const nix = recordingNixShell(path.join(suite.env.root, 'nix'));
    expect((await cli(nix.env, 'profile', 'set', 'dev', '--cpu', '1', '--memory', '1')).code).toBe(0);
    for (const argv of [['stop', 'nosuchprofile'], ['start', 'nosuchprofile'], ['profile', 'remove', 'nosuchprofile'], ['profile', 'use', 'nosuchprofile']]) {
      const run = await cli(nix.env, ...argv);
      expect({ argv, code: run.code, stderr: run.stderr }).toEqual({
        argv,
        code: 2,
        stderr: 'colima-k8s: There is no profile "nosuchprofile". Profiles: k8s, dev. Create it with: colima-k8s profile set nosuchprofile (colima-k8s profile list shows them all).\n',
      });
    }
    expect(nix.calls()).toEqual([]);
    expect(suite.env.calls()).toEqual([]);
    // The recorder is the nix-shell in use: a command that needs nix reaches it.
    expect((await cli(nix.env, 'stop', 'dev')).code).toBe(1);
    expect(nix.calls()).toEqual(['["--version"]']);
  });
});

describe('validation messages', () => {
  it('say the value and the allowed range in plain words, exit 2', async () => {
    const cpus = await cli({}, 'profile', 'set', 'dev', '--cpu', '64');
    expect(cpus).toMatchObject({ code: 2, stdout: '', stderr: 'colima-k8s: CPUs: 64 is more than this machine has (8); use 1–8.\n' });
    const memory = await cli({}, 'profile', 'set', 'dev', '--memory', '0.1');
    expect(memory).toMatchObject({ code: 2, stderr: 'colima-k8s: Memory: 0.1 GiB is below the minimum of 1 GiB.\n' });
    const both = await cli({}, 'profile', 'set', 'dev', '--cpu', '0', '--disk', '5000');
    expect(both).toMatchObject({ code: 2, stderr: 'colima-k8s: CPUs: 0 is below the minimum of 1; use 1–8. Disk: 5000 GiB is more than the maximum of 4096 GiB; use 10–4096 GiB.\n' });
    expect(suite.env.calls()).toEqual([]);
  });
});

describe('a failed start', () => {
  it('exits 1 and prints the path of its log right after the error', async () => {
    expect((await cli({}, 'profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    suite.env.setFaults({ startFailsAt: 'creating and starting' });
    const run = await cli({}, 'start', 'dev');
    expect(run.code).toBe(1);
    const [error, logLine] = run.stderrLines.slice(-2);
    expect(error).toMatch(/^colima-k8s: /);
    expect(logLine).toMatch(/^See the log of this run: .*\/logs\/cli\/[^/]+-cli-start-dev\.log$/);
    const file = logLine!.slice('See the log of this run: '.length);
    expect(file.startsWith(path.join(suite.env.appHome, 'logs', 'cli') + path.sep)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/"start","--profile","dev"/);
    expect((await cli({}, 'down')).code).toBe(0);
  });
});

describe('a profile set aside as unusable', () => {
  it('is named on every run, and `profile remove NAME` removes it from the file while the others stay', async () => {
    expect((await cli({}, 'profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    const file = path.join(suite.env.appHome, 'settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8')) as { profiles: Record<string, unknown>[] };
    writeFileSync(file, JSON.stringify({ ...settings, profiles: [...settings.profiles, { ...settings.profiles[0], name: 'big', cpus: 'lots' }] }));
    const before = readFileSync(file, 'utf8');
    for (let run = 0; run < 2; run++) {
      const list = await cli({}, 'profile', 'list');
      expect(list.code).toBe(0);
      expect(list.stderr).toMatch(/warning: Profile "big" was set aside: CPUs: /);
      expect(list.stdout).toMatch(/\bdev\b/);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    const removed = await cli({}, 'profile', 'remove', 'big');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`Removed the set-aside profile big from ${file}.\n`);
    const after = await cli({}, 'profile', 'list', '--json');
    expect(after.stderr).toBe('');
    expect((JSON.parse(after.stdout) as { profiles: { name: string }[] }).profiles.map((p) => p.name)).toContain('dev');
  });
});
