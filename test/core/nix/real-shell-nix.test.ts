// The app's REAL root shell.nix, unchanged, evaluated with the fake <nixpkgs>
// (nix-env.md §2): colima, kubectl and the `docker` wrapper must be on the
// captured PATH, and `docker pull x` must run `colima nerdctl --profile <p> -- pull x`.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentRoots } from '../../../main/core/nix/cache-store.js';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { NixToolRunner } from '../../../main/core/nix/nix-tool-runner.js';
import { FAKE_NIXPKGS, baseEnv, realNix, tempDirs } from '../../fixtures/nix/harness.js';

const APP_SHELL_NIX = path.resolve(process.cwd(), 'shell.nix');
const tmp = tempDirs();
afterEach(() => tmp.cleanup());

/** A FAKE_NIXPKGS_BIN folder whose colima prints every argument in brackets. */
function simulators(dir: string): string {
  const bin = path.join(dir, 'sim');
  const colima = path.join(bin, 'colima');
  mkdirSync(bin, { recursive: true });
  writeFileSync(colima, `#!/bin/sh\nprintf 'sim-colima:'; for a in "$@"; do printf ' [%s]' "$a"; done; echo\n`);
  chmodSync(colima, 0o755);
  return bin;
}

/**
 * The app's shell.nix with the fake <nixpkgs> and the real nix, its cache in
 * `dir`. The shell.nix pins nixpkgs (a download): `--arg pkgs` is the
 * documented override that uses <nixpkgs> instead (pinned-nixpkgs.test.ts
 * covers the pin itself, offline).
 */
async function appShellWithFakeNixpkgs(dir: string) {
  return {
    shellNix: APP_SHELL_NIX,
    cacheDir: path.join(dir, 'cache'),
    includePaths: [`nixpkgs=${FAKE_NIXPKGS}`],
    extraArgs: ['--arg', 'pkgs', 'import <nixpkgs> { }'],
    nix: await realNix(),
  };
}

describe("the app's shell.nix with the fake <nixpkgs>", () => {
  it('puts colima, kubectl and the docker wrapper on the captured PATH', async () => {
    const dir = tmp.make('real');
    const env = await resolveNixEnvironment({ ...(await appShellWithFakeNixpkgs(dir)), baseEnv: baseEnv() });
    expect(env.which('colima')).toMatch(/^\/nix\/store\/[a-z0-9]{32}-colima\/bin\/colima$/);
    expect(env.which('kubectl')).toMatch(/^\/nix\/store\/[a-z0-9]{32}-kubectl\/bin\/kubectl$/);
    expect(env.which('docker')).toMatch(/^\/nix\/store\/[a-z0-9]{32}-docker\/bin\/docker$/);
    expect(existsSync(env.which('docker')!)).toBe(true);
  });

  it('without NIX_BUILD_SHELL, also roots the bash nix-shell took from <nixpkgs> (not an input of the shell)', async () => {
    const dir = tmp.make('real');
    const env = await resolveNixEnvironment({ ...(await appShellWithFakeNixpkgs(dir)), baseEnv: { ...baseEnv(), NIX_BUILD_SHELL: undefined } });
    const bashDir = env.diff.pathPrefix[0] ?? '';
    expect(bashDir).toMatch(/^\/nix\/store\/[a-z0-9]{32}-host-bash\/bin$/);
    expect(currentRoots(env).map((r) => r.target)).toContain(path.dirname(bashDir));
  });

  it('`docker pull x` runs `colima nerdctl --profile default -- pull x` with the arguments intact', async () => {
    const dir = tmp.make('real');
    const sim = simulators(dir);
    const runner = new NixToolRunner({ ...(await appShellWithFakeNixpkgs(dir)), baseEnv: () => baseEnv({ FAKE_NIXPKGS_BIN: sim }) });
    const pull = await runner.run('docker', ['pull', 'x']);
    expect(pull.stdout).toBe('sim-colima: [nerdctl] [--profile] [default] [--] [pull] [x]\n');

    const pwned = path.join(dir, 'pwned');
    const odd = await runner.run('docker', ['pull', `a b; touch ${pwned}`, `$(touch ${pwned})`]);
    expect(odd.stdout).toBe(`sim-colima: [nerdctl] [--profile] [default] [--] [pull] [a b; touch ${pwned}] [$(touch ${pwned})]\n`);
    expect(existsSync(pwned)).toBe(false);

    // kubectl has no simulator here: the fake package prints its name and arguments.
    const kubectl = await runner.run('kubectl', ['config', 'current-context']);
    expect(kubectl.stdout).toBe('kubectl (fake-nixpkgs) config current-context\n');
  });
});
