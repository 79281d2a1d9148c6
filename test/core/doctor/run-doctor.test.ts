import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { doctorExitCode, formatDoctorJson, formatDoctorText, runDoctor } from '../../../main/core/doctor/index.js';
import { finding, skip, type DoctorCheck } from '../../../main/core/doctor/types.js';
import { AppError } from '../../../main/core/errors.js';
import { memoryLogger } from '../../../main/core/log.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { nixCheck } from '../../../main/core/doctor/check-nix.js';
import { foreignInstancesCheck } from '../../../main/core/doctor/check-foreign-instances.js';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { locateNix } from '../../../main/core/nix/locate-nix.js';
import { realNix } from '../../fixtures/nix/harness.js';
import { fakeHost, type FakeHost } from './fake-host.js';

const GiB = 2 ** 30;

describe('running the doctor', () => {
  let host: FakeHost;
  beforeEach(() => (host = fakeHost()));
  afterEach(() => host.cleanup());

  it('runs the checks in parallel: two checks that each wait for the other both finish', async () => {
    let release!: () => void;
    const bothStarted = new Promise<void>((r) => (release = r));
    let started = 0;
    const waiter = (id: string): DoctorCheck => ({
      id,
      category: 'doctor',
      title: id,
      async run() {
        if (++started === 2) release();
        await bothStarted; // sequential execution would never get here for the first check
        return [];
      },
    });
    const report = await runDoctor(host.deps(), { checks: [waiter('a'), waiter('b')], timeoutMs: 5_000 });
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['a', 'passed'],
      ['b', 'passed'],
    ]);
  });

  it('turns a throwing check and a hanging check into error findings, aborts the hanging one, and still reports the rest', async () => {
    let hungSignal: AbortSignal | undefined;
    const logger = memoryLogger();
    const checks: DoctorCheck[] = [
      { id: 'boom', category: 'nix', title: 'Throws', run: async () => Promise.reject(new AppError('NIX_NOT_FOUND', 'No nix here.')) },
      {
        id: 'hang',
        category: 'tools',
        title: 'Hangs',
        run: (_deps, signal) => {
          hungSignal = signal;
          return new Promise(() => {});
        },
      },
      { id: 'skip', category: 'resources', title: 'Skips', run: async () => skip('no profile') },
      {
        id: 'note',
        category: 'environment',
        title: 'Notes',
        run: async function (this: void) {
          return [finding({ id: 'note', category: 'environment' }, { id: 'note.x', severity: 'info', title: 'A note', explanation: 'E.', fix: 'true' })];
        },
      },
    ];
    const report = await runDoctor(host.deps({ logger }), { checks, timeoutMs: 200, now: () => new Date('2026-08-21T10:00:00Z') });
    expect(hungSignal?.aborted).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status, c.note])).toEqual([
      ['boom', 'failed', undefined],
      ['hang', 'timed-out', undefined],
      ['skip', 'skipped', 'no profile'],
      ['note', 'findings', undefined],
    ]);
    expect(report.findings).toEqual([
      {
        id: 'doctor.failed.boom',
        checkId: 'boom',
        category: 'doctor',
        severity: 'error',
        title: 'The check "Throws" could not run',
        explanation: 'No nix here.',
        fix: expect.stringContaining('nixos.org/nix/install'),
      },
      {
        id: 'doctor.timed-out.hang',
        checkId: 'hang',
        category: 'doctor',
        severity: 'error',
        title: 'The check "Hangs" timed out',
        explanation: 'It did not finish in 0 s and was stopped, so it says nothing about this machine.',
        fix: expect.not.stringMatching(/colima-k8s doctor/),
      },
      { id: 'note.x', checkId: 'note', category: 'environment', severity: 'info', title: 'A note', explanation: 'E.', fix: 'true' },
    ]);
    expect(report).toMatchObject({ formatVersion: 1, generatedAt: '2026-08-21T10:00:00.000Z', platform: 'linux', counts: { error: 2, warning: 0, info: 1 } });
    expect(doctorExitCode(report)).toBe(1);
    expect(logger.lines.some((l) => l.includes('check hang timed out'))).toBe(true);
  });

  it('diagnoses a constructed machine end to end and prints it as text and JSON', async () => {
    // A Homebrew-style colima on PATH, a stale ~/.config/colima beside ~/.colima,
    // a colima started by hand, COLIMA_PROFILE set, and a full disk.
    const usrLocal = host.dir('usr-local/bin');
    host.exe('usr-local/bin/colima');
    host.file('~/.colima/k8s/colima.yaml');
    host.file('~/.config/colima/default/colima.yaml');
    const deps = host.deps({
      env: { HOME: host.home, PATH: usrLocal, COLIMA_PROFILE: 'dev', NIX_STORE_DIR: host.store },
      locateNixShell: async () => {
        throw new AppError('NIX_NOT_FOUND', 'Nix was not found.');
      },
      listInstances: async () => [{ name: 'dev', status: 'Running', cpus: 2, memoryBytes: 2 * GiB }],
      ledgerProfiles: () => [],
      appProfileNames: () => ['k8s'],
      activeProfile: () => DEFAULT_PROFILE,
      hostCapacity: async () => ({ cpus: 8, totalMemoryBytes: 32 * GiB, freeMemoryBytes: 16 * GiB, freeDiskBytes: 1 * GiB }),
    });
    const report = await runDoctor(deps);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['nix', 'findings'],
      ['nixpkgs-pin', 'skipped'],
      ['global-tools', 'findings'],
      ['colima-config', 'findings'],
      ['foreign-instances', 'findings'],
      ['env-overrides', 'findings'],
      ['resources', 'findings'],
      ['kvm', 'passed'],
    ]);
    expect(report.findings.map((f) => [f.severity, f.id])).toEqual([
      ['error', 'nix.missing'],
      ['error', 'resources.disk'],
      ['warning', `global-tools.colima.${path.join(usrLocal, 'colima')}`],
      ['warning', `colima-config.stale.${path.join(host.home, '.config', 'colima')}`],
      ['warning', 'foreign-instances.dev'],
      ['info', 'env-overrides.COLIMA_PROFILE'],
    ]);

    const text = formatDoctorText(report);
    expect(text.split('\n')[0]).toBe('colima-k8s doctor: 2 errors, 3 warnings, 1 note from 8 checks.');
    expect(text).toContain('ERROR   Nix was not found  [nix]\n    Nix was not found. colima and kubectl run inside a nix-shell environment');
    expect(text).toContain("    Fix: sh <(curl --proto '=https' --tlsv1.2 -L https://nixos.org/nix/install) --daemon\n");
    expect(text).toContain('WARNING colima profile "dev" is running, but the app did not start it  [instances]');
    expect(text).toContain('  findings  foreign-instances  No colima instance runs that the app did not start');
    // Explanations are wrapped (titles and fixes hold paths and commands, never broken).
    const explanationLines = text.split('\n').filter((l) => l.startsWith('    ') && !l.startsWith('    Fix: '));
    expect(explanationLines.length).toBeGreaterThan(6);
    for (const line of explanationLines) expect(line.length).toBeLessThanOrEqual(100);

    const json = JSON.parse(formatDoctorJson(report)) as unknown;
    expect(json).toEqual(JSON.parse(JSON.stringify(report)));
    expect(doctorExitCode(report)).toBe(1);
  });

  it('says everything is fine when nothing is found', async () => {
    const report = await runDoctor(host.deps(), { checks: [{ id: 'ok', category: 'nix', title: 'Fine', run: async () => [] }] });
    expect(formatDoctorText(report)).toBe(
      ['colima-k8s doctor: 0 errors, 0 warnings, 0 notes from 1 check.', '', 'Checks:', '  passed    ok  Fine', '', 'Everything looks fine.', ''].join('\n'),
    );
    expect(doctorExitCode(report)).toBe(0);
  });

  describe('first contact: nix installed but no <nixpkgs>, or a COLIMA_K8S_NIX_SHELL that points nowhere', () => {
    it('reports no <nixpkgs> from the nix check, and a check that failed on it gets the same fix, never `colima-k8s doctor`', async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: host.home };
      delete env.NIX_PATH;
      const shellNix = host.file('mine/shell.nix', 'with import <nixpkgs> {}; mkShell { }\n');
      env.COLIMA_K8S_SHELL_NIX = shellNix;
      const nix = await realNix();
      const deps = host.deps({
        env,
        locateNixShell: async () => nix.nixShell,
        // `colima list` runs in the environment of shell.nix, which cannot evaluate here (the real failure).
        listInstances: async () => {
          await resolveNixEnvironment({ shellNix, cacheDir: host.dir('cache'), nix, baseEnv: env });
          return [];
        },
        ledgerProfiles: () => [],
        appProfileNames: () => ['k8s'],
      });
      const report = await runDoctor(deps, { checks: [nixCheck, foreignInstancesCheck], timeoutMs: 60_000 });
      expect(report.checks.map((c) => [c.id, c.status])).toEqual([
        ['nix', 'findings'],
        ['foreign-instances', 'failed'],
      ]);
      const [noNixpkgs, failed] = report.findings;
      expect(noNixpkgs).toMatchObject({ id: 'nix.no-nixpkgs', severity: 'error', fix: expect.stringContaining('nix-channel --add https://nixos.org/channels/nixos-24.11 nixpkgs') });
      expect(failed).toMatchObject({ id: 'doctor.failed.foreign-instances', fix: noNixpkgs!.fix });
      expect(report.findings.filter((f) => /colima-k8s doctor/.test(f.fix))).toEqual([]);
    });

    it('with COLIMA_K8S_NIX_SHELL=/nowhere/nix-shell names the variable everywhere and says to unset it', async () => {
      const env = { ...process.env, HOME: host.home, COLIMA_K8S_NIX_SHELL: '/nowhere/nix-shell' };
      const locate = async (signal?: AbortSignal): Promise<string> => (await locateNix({ env, loginShell: false, ...(signal ? { signal } : {}) })).nixShell;
      const deps = host.deps({
        env,
        locateNixShell: locate,
        listInstances: async () => {
          await locate();
          return [];
        },
        ledgerProfiles: () => [],
        appProfileNames: () => ['k8s'],
      });
      const report = await runDoctor(deps, { checks: [nixCheck, foreignInstancesCheck], timeoutMs: 60_000 });
      expect(report.findings.map((f) => [f.id, f.fix])).toEqual([
        ['nix.bad-setting', 'unset COLIMA_K8S_NIX_SHELL'],
        ['doctor.failed.foreign-instances', 'unset COLIMA_K8S_NIX_SHELL'],
      ]);
      expect(report.findings[0]!.explanation).toContain('COLIMA_K8S_NIX_SHELL is set to "/nowhere/nix-shell"');
      expect(formatDoctorText(report)).not.toMatch(/Nix was not found|nixos\.org\/nix\/install/);
    });
  });
});
