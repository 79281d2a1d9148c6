// `colima-k8s toolchain` status, update and rollback, and the minimum colima,
// with the REAL nix tools, offline: two local fake-nixpkgs tarballs with
// different versions (test/fixtures/nix/pinned-nixpkgs.ts) and a file:// JSON
// "newest revision" source.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { childBaseEnv } from '../../../main/core/nix/environment.js';
import { NixToolRunner } from '../../../main/core/nix/nix-tool-runner.js';
import type { CommandResult } from '../../../main/core/run.js';
import { assertSupportedColima, colimaVersionProblem, compareVersions, parseColimaVersion, supportedColimaGate } from '../../../main/core/toolchain/colima-version.js';
import { pinFiles, readPinFile } from '../../../main/core/toolchain/pin.js';
import { describeStatus, toolchainStatus } from '../../../main/core/toolchain/status.js';
import { describeChange, rollbackPin, updatePin, urlRevisionSource } from '../../../main/core/toolchain/update.js';
import { runToolchainCommand } from '../../../main/cli/toolchain-command.js';
import { caught } from '../../fixtures/caught.js';
import { baseEnv, realNix, tempDirs } from '../../fixtures/nix/harness.js';
import { fakeNixpkgsTarball, pinnedProject } from '../../fixtures/nix/pinned-nixpkgs.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

const REV_NEW = 'b'.repeat(40);

/** A pinned project on colima 0.9.1, a newer tarball (colima 0.10.3) and a source naming it. */
async function setup() {
  const dir = tmp.make('toolchain');
  const old = await fakeNixpkgsTarball(dir, { colima: '0.9.1', kubectl: '1.33.0' }, { date: '2025-11-01' });
  const shellNix = pinnedProject(dir, old);
  const newer = await fakeNixpkgsTarball(dir, { colima: '0.10.3', kubectl: '1.34.1' }, { revision: REV_NEW });
  const sourceFile = path.join(dir, 'nixos-25.05.json');
  writeFileSync(sourceFile, JSON.stringify({ revision: REV_NEW, date: '2026-01-02', url: newer.url }));
  const sourceUrl = pathToFileURL(path.join(dir, '{branch}.json')).href.replace('%7Bbranch%7D', '{branch}');
  const nix = await realNix();
  const call = { nix, env: childBaseEnv(baseEnv(), nix), timeoutMs: 120_000 };
  return { dir, old, newer, shellNix, sourceUrl, call, files: pinFiles(shellNix) };
}

function io(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { env: { ...process.env, ...env }, stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), bundleDir: process.cwd(), version: 'test' } };
}

describe('toolchain status, update and rollback', () => {
  it('status names the pinned revision, its date and the colima, lima and kubectl it provides', async () => {
    const { shellNix, old, call } = await setup();
    const s = await toolchainStatus(shellNix, { ...call, now: new Date('2025-12-01T00:00:00Z') });
    expect(s.pinned).toBe(true);
    expect(s.versions).toEqual({ colima: '0.9.1', lima: '1.0.0', kubectl: '1.33.0' });
    const text = describeStatus(s).join('\n');
    expect(text).toContain(`nixpkgs: nixos-25.05 ${old.revision} (2025-11-01, 30 days old)`);
    expect(text).toContain('colima: 0.9.1');
  });

  it('update moves the pin to the newest revision and prints both versions; rollback restores the old pin', async () => {
    const { shellNix, old, newer, sourceUrl, call, files } = await setup();
    const change = await updatePin(shellNix, { ...call, source: urlRevisionSource(sourceUrl) });
    const text = describeChange(change).join('\n');
    expect(text).toContain(`nixpkgs nixos-25.05: ${old.revision.slice(0, 12)} (2025-11-01) -> ${REV_NEW.slice(0, 12)} (2026-01-02)`);
    expect(text).toContain('colima: 0.9.1 -> 0.10.3');
    expect(text).toContain('kubectl: 1.33.0 -> 1.34.1');
    expect(text).toContain('lima: 1.0.0 (unchanged)');
    // The hash was computed from the download, not taken from the source.
    expect(readPinFile(files.pin)).toEqual({ branch: 'nixos-25.05', revision: REV_NEW, date: '2026-01-02', url: newer.url, sha256: newer.sha256 });
    expect(readPinFile(files.previous)).toEqual(old);

    // Again: nothing newer.
    const again = await updatePin(shellNix, { ...call, source: urlRevisionSource(sourceUrl) });
    expect(again.unchanged).toBe(true);

    const back = rollbackPin(shellNix);
    expect(back.to).toEqual(old);
    expect(readPinFile(files.pin)).toEqual(old);
  });

  it('a failing "newest revision" source or tarball download leaves the old pin untouched, with a clear message', async () => {
    const { shellNix, dir, call, files } = await setup();
    const before = readFileSync(files.pin, 'utf8');
    const offline = await caught(updatePin(shellNix, { ...call, source: urlRevisionSource(pathToFileURL(path.join(dir, 'missing.json')).href) }));
    expect((offline as Error).message).toMatch(/Could not read the newest nixos-25\.05 revision from file:.*offline\?\)\. The pin was not changed\./);
    writeFileSync(path.join(dir, 'gone.json'), JSON.stringify({ revision: REV_NEW, url: pathToFileURL(path.join(dir, 'gone.tar.gz')).href }));
    const download = await caught(updatePin(shellNix, { ...call, source: urlRevisionSource(pathToFileURL(path.join(dir, 'gone.json')).href) }));
    expect((download as Error).message).toMatch(/^Downloading file:.*gone\.tar\.gz failed .*The pin was not changed\.$/);
    expect(readFileSync(files.pin, 'utf8')).toBe(before);
    expect(existsSync(files.previous)).toBe(false);
  });

  it('rollback without a previous pin says so', async () => {
    const { shellNix } = await setup();
    const e = await caught(Promise.resolve().then(() => rollbackPin(shellNix)));
    expect(isAppError(e, 'NOT_FOUND')).toBe(true);
    expect((e as Error).message).toContain('There is no previous nixpkgs pin to roll back to');
  });

  it('the CLI: colima-k8s toolchain update | rollback | status, on COLIMA_K8S_SHELL_NIX', async () => {
    const { shellNix, sourceUrl, old } = await setup();
    const env = { COLIMA_K8S_SHELL_NIX: shellNix, COLIMA_K8S_NIXPKGS_REVISION_URL: sourceUrl };
    const update = io(env);
    expect(await runToolchainCommand(['update'], update.io)).toBe(0);
    expect(update.out.join('')).toContain('colima: 0.9.1 -> 0.10.3');
    const status = io(env);
    expect(await runToolchainCommand(['status', '--json'], status.io)).toBe(0);
    expect(JSON.parse(status.out.join('')).versions.colima).toBe('0.10.3');
    const rollback = io(env);
    expect(await runToolchainCommand(['rollback'], rollback.io)).toBe(0);
    expect(rollback.out.join('')).toContain(`-> ${old.revision.slice(0, 12)}`);
    const bad = io(env);
    expect(await runToolchainCommand(['upgrade'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('Usage: colima-k8s toolchain');
  });
});

describe('the minimum colima', () => {
  it('parses nixpkgs and GitHub version lines and compares numerically', () => {
    expect(parseColimaVersion('colima version 0.10.1\ngit commit: abc\n')).toBe('0.10.1');
    expect(parseColimaVersion('colima version v0.10.3-18-g490420d\n')).toBe('0.10.3');
    expect(parseColimaVersion('colima version HEAD-490420d\n')).toBeUndefined();
    expect(compareVersions('0.10.0', '0.9.0')).toBeGreaterThan(0);
    expect(compareVersions('0.8.1', '0.9.0')).toBeLessThan(0);
    expect(colimaVersionProblem('0.9.0')).toBeUndefined();
    expect(colimaVersionProblem(undefined)).toBeUndefined();
    expect(colimaVersionProblem('0.8.0')).toMatch(/^colima 0\.8\.0 is too old: the app needs colima 0\.9\.0 or newer \(`colima status --json` needs 0\.8\.1; `colima delete --data`.* needs 0\.9\.0\)/);
  });

  it('refuses the colima of an evaluated environment below 0.9.0, accepts 0.9.1, and checks once per environment', async () => {
    const dir = tmp.make('min-colima');
    const pin = await fakeNixpkgsTarball(dir, { colima: '0.8.1' });
    const shellNix = pinnedProject(dir, pin);
    const runner = new NixToolRunner({ shellNix, cacheDir: path.join(dir, 'cache'), nix: await realNix(), baseEnv: () => baseEnv() });
    const e = await caught(assertSupportedColima(runner));
    expect(isAppError(e, 'CONFLICT')).toBe(true);
    expect((e as Error).message).toContain('colima 0.8.1 is too old: the app needs colima 0.9.0 or newer');

    let calls = 0;
    const fake = { run: async (): Promise<CommandResult> => (calls++, { file: 'colima', args: ['version'], exitCode: 0, signal: null, stdout: 'colima version 0.9.1\n', stderr: '', timedOut: false, cancelled: false, durationMs: 1 }) };
    const gate = supportedColimaGate(fake, () => 'key-1');
    await gate();
    await gate();
    expect(calls).toBe(1);
  });
});
