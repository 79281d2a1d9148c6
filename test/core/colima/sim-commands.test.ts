// The colima simulator reproduces reference/colima-cli.md §13 for piped stdio:
// status, list, usage errors, nerdctl, files and environment.
import { chmodSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseColimaLogLine } from '../../../main/core/colima/parse-log.js';
import { runCommand, type CommandResult } from '../../../main/core/run.js';
import { createSimHome, logLines, simBinDir, waitFor, type SimHome } from '../../fixtures/sim-control.js';

let sim: SimHome;
const colima = (...args: string[]): Promise<CommandResult> => sim.runner.run('colima', args);

beforeEach(() => {
  sim = createSimHome();
});
afterEach(() => sim.cleanup());

describe('status and list', () => {
  it('status: fatal + exit 1 + empty stdout when not running; text mode is on stderr', async () => {
    const stopped = await colima('status', '--json', 'dev');
    expect([stopped.exitCode, stopped.stdout, logLines(stopped)]).toEqual([1, '', ['level=fatal msg="colima [profile=dev] is not running"']]);
    await colima('start', 'dev', '-r', 'containerd');
    const text = await colima('status', 'dev');
    expect(text.stdout).toBe('');
    expect(logLines(text).slice(0, 4)).toEqual([
      `level=info msg="colima [profile=dev] is running using QEMU"`,
      expect.stringMatching(/^level=info msg="arch: (x86_64|aarch64)"$/),
      'level=info msg="runtime: containerd"',
      'level=info msg="mountType: sshfs"',
    ]);
  });

  it('list: NDJSON empty = no output; text table + warning; filters by COLIMA_PROFILE and -p', async () => {
    expect((await colima('list', '--json')).stdout).toBe('');
    const empty = await colima('list');
    expect(empty.stdout.trimEnd()).toBe('PROFILE    STATUS    ARCH    CPUS    MEMORY    DISK    RUNTIME    ADDRESS');
    expect(logLines(empty)).toEqual(['level=warning msg="No instance found. Run `colima start` to create an instance."']);

    await colima('start', 'a', '-r', 'containerd');
    await colima('start', 'b', '-r', 'containerd', '--memory', '1.5');
    expect((await colima('list', '--json')).stdout.trim().split('\n')).toHaveLength(2);
    expect(JSON.parse((await colima('list', '--json', 'b')).stdout)).toMatchObject({ name: 'b', memory: 1.5 * 2 ** 30, runtime: 'containerd' });

    // COLIMA_PROFILE in colima's own environment silently filters (§6, §14.5).
    const withEnv = { ...sim.runner.env, COLIMA_PROFILE: 'b' };
    const r = await runCommand(path.join(simBinDir(), 'colima'), ['list', '--json'], { env: withEnv });
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).name)).toEqual(['b']);
    const missing = await runCommand(path.join(simBinDir(), 'colima'), ['list', '--json'], { env: { ...withEnv, COLIMA_PROFILE: 'zzz' } });
    expect([missing.exitCode, missing.stdout, logLines(missing)]).toEqual([1, '', ['level=fatal msg="error retrieving instances: exit status 1"']]);
  });
});

describe('usage errors (colima-cli §0)', () => {
  it('unknown flag: Error + usage on stderr, then the fatal line, exit 1', async () => {
    const r = await colima('start', '--bogus');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('Error: unknown flag: --bogus\nUsage:\n  colima start [profile] [flags]\n')).toBe(true);
    expect(logLines(r).at(-1)).toBe('level=fatal msg="unknown flag: --bogus"');
  });

  it('unknown command, too many args, and nerdctl flags without `--`', async () => {
    const cmd = await colima('frobnicate');
    expect(cmd.stderr.split('\n').slice(0, 2)).toEqual(['Error: unknown command "frobnicate" for "colima"', "Run 'colima --help' for usage."]);
    expect(logLines(cmd).at(-1)).toBe('level=fatal msg="unknown command \\"frobnicate\\" for \\"colima\\""');
    const many = await colima('stop', 'a', 'b');
    expect(logLines(many).at(-1)).toBe('level=fatal msg="accepts at most 1 arg(s), received 2"');
    const nerd = await colima('nerdctl', '-p', 'x', '--namespace', 'k8s.io', 'pull', 'nginx');
    expect([nerd.exitCode, logLines(nerd).at(-1)]).toEqual([1, 'level=fatal msg="unknown flag: --namespace"']);
    const badInt = await colima('start', '--cpus', 'four');
    expect(logLines(badInt).at(-1)).toBe(
      'level=fatal msg="invalid argument \\"four\\" for \\"-c, --cpus\\" flag: strconv.ParseInt: parsing \\"four\\": invalid syntax"',
    );
  });
});

describe('nerdctl (colima-cli §8)', () => {
  it('records pulls per namespace on the data disk; errors when stopped or not containerd', async () => {
    const stopped = await colima('nerdctl', '-p', 'c', '--', 'pull', 'nginx');
    expect(logLines(stopped)).toEqual(['level=fatal msg="colima [profile=c] is not running"']);

    await colima('start', '-p', 'c', '-r', 'containerd');
    await colima('nerdctl', '-p', 'c', '--', 'pull', 'nginx');
    await colima('nerdctl', '-p', 'c', '--', '--namespace', 'k8s.io', 'pull', 'ghcr.io/acme/app:1');
    const disk = JSON.parse(readFileSync(path.join(sim.base, '_lima', '_disks', 'colima-c', 'sim-disk.json'), 'utf8'));
    expect(disk.images).toEqual({ default: ['docker.io/library/nginx:latest'], 'k8s.io': ['ghcr.io/acme/app:1'] });

    // A docker runtime needs a docker CLI on PATH to start at all (§2.5).
    const bin = path.join(sim.home, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(bin, 'docker'), 0o755);
    const withDocker = createSimHome({ PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    try {
      expect((await withDocker.runner.run('colima', ['start', '-p', 'd'])).exitCode).toBe(0);
      const r = await withDocker.runner.run('colima', ['nerdctl', '-p', 'd', '--', 'pull', 'nginx']);
      expect([r.exitCode, logLines(r)]).toEqual([1, ['level=fatal msg="nerdctl only supports containerd runtime"']]);
    } finally {
      withDocker.cleanup();
    }
  });
});

describe('files and environment (colima-cli §1)', () => {
  it('uses COLIMA_HOME only when that folder exists', async () => {
    const missing = path.join(sim.home, 'nope');
    const a = createSimHome({ COLIMA_HOME: missing });
    try {
      await a.runner.run('colima', ['start', '-r', 'containerd']);
      expect(existsSync(path.join(a.home, '.config', 'colima', 'default', 'colima.yaml'))).toBe(true);
      expect(existsSync(missing)).toBe(false);
    } finally {
      a.cleanup();
    }
    const home = path.join(sim.home, 'colima-home');
    mkdirSync(home);
    const b = createSimHome({ COLIMA_HOME: home });
    try {
      await b.runner.run('colima', ['start', '-r', 'containerd']);
      expect(existsSync(path.join(home, 'default', 'colima.yaml'))).toBe(true);
      expect(existsSync(path.join(home, '_lima', 'colima', 'sim-state.json'))).toBe(true);
    } finally {
      b.cleanup();
    }
  });

  it('lets a watcher on $BASE/_lima see every state change', async () => {
    await colima('start', '-p', 'w', '-r', 'containerd');
    const events: string[] = [];
    const watcher = watch(path.join(sim.base, '_lima'), (_event, name) => events.push(String(name)));
    try {
      await colima('stop', '-p', 'w');
      await waitFor(() => events.length > 0);
    } finally {
      watcher.close();
    }
    expect(events.length).toBeGreaterThan(0);
  });

  it('prints TTY lines that parse back to the same message (format of §0)', async () => {
    const { formatLine } = (await import('../../fixtures/sim/sim-log.mjs' as string)) as {
      formatLine: (level: string, msg: string, fields: Record<string, string>, tty: boolean) => string;
    };
    const tty = formatLine('info', 'Switched to context "colima".', { context: 'kubernetes' }, true).replace(/\n$/, '');
    expect(tty).toMatch(/^\x1b\[36mINFO\x1b\[0m\[\d{4}\] Switched to context "colima"\. {17}\x1b\[36mcontext\x1b\[0m=kubernetes$/);
    expect(parseColimaLogLine(tty)).toEqual({ level: 'info', msg: 'Switched to context "colima".', context: 'kubernetes' });
    const fatal = formatLine('fatal', 'colima is not running', {}, true).replace(/\n$/, '');
    expect(parseColimaLogLine(fatal)).toEqual({ level: 'fatal', msg: 'colima is not running' });
  });
});
