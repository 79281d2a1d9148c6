// The doctor's nixpkgs-pin check: a user's unpinned shell.nix is a note, a pin
// older than a year a warning, the shipped pin (recent) nothing.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nixpkgsPinCheck, nixpkgsPinCheckWith } from '../../../main/core/doctor/check-nixpkgs-pin.js';
import type { DoctorDeps, Finding } from '../../../main/core/doctor/types.js';
import { readPin } from '../../../main/core/toolchain/pin.js';
import { tempDirs } from '../../fixtures/nix/harness.js';
import { pinnedProject } from '../../fixtures/nix/pinned-nixpkgs.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

const deps = (env: Record<string, string> = {}): DoctorDeps => ({ env, platform: 'linux', homeDir: '/home/u', locateNixShell: async () => '/usr/bin/nix-shell' });
const signal = new AbortController().signal;
const PIN = { branch: 'nixos-25.05', revision: 'a'.repeat(40), date: '2025-06-01', url: 'file:///x.tar.gz', sha256: '0'.repeat(52) };

describe('doctor: nixpkgs pin', () => {
  it("a user's shell.nix without a pin (COLIMA_K8S_SHELL_NIX) is a note", async () => {
    const dir = tmp.make('doctor-pin');
    const shellNix = path.join(dir, 'shell.nix');
    writeFileSync(shellNix, '# import <nixpkgs> in a comment does not count\n{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }\n');
    const r = (await nixpkgsPinCheck.run(deps({ COLIMA_K8S_SHELL_NIX: shellNix }), signal)) as Finding[];
    expect(r.map((f) => [f.severity, f.id])).toEqual([['info', 'nixpkgs-pin.unpinned']]);
  });

  it('a pin older than a year is a warning whose fix is toolchain update; a younger one passes', async () => {
    const dir = tmp.make('doctor-pin');
    const shellNix = pinnedProject(dir, PIN);
    const old = (await nixpkgsPinCheckWith({ shellNix, now: () => new Date('2026-06-02T12:00:00Z') }).run(deps(), signal)) as Finding[];
    expect(old.map((f) => [f.severity, f.id, f.fix])).toEqual([['warning', 'nixpkgs-pin.old', 'colima-k8s toolchain update']]);
    expect(old[0]!.title).toBe('The nixpkgs pin is 366 days old');
    expect(await nixpkgsPinCheckWith({ shellNix, now: () => new Date('2026-05-31T00:00:00Z') }).run(deps(), signal)).toEqual([]);
  });

  it('the shipped shell.nix is pinned (nixos-25.05 with a sha256), and is skipped when no shell.nix is known', async () => {
    const shipped = path.resolve('shell.nix');
    const pin = readPin(shipped)!;
    expect(pin.branch).toBe('nixos-25.05');
    expect(pin.url).toBe(`https://github.com/NixOS/nixpkgs/archive/${pin.revision}.tar.gz`);
    expect(await nixpkgsPinCheckWith({ shellNix: shipped, now: () => new Date(Date.parse(pin.date!) + 86_400_000) }).run(deps(), signal)).toEqual([]);
    expect(await nixpkgsPinCheck.run(deps(), signal)).toEqual({ skipped: 'the shell.nix in use is not known here' });
  });
});
