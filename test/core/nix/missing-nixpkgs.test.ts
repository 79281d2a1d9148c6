// A fresh Nix install without channels (or a GUI app that lost NIX_PATH) has no
// <nixpkgs>: the app's own shell.nix pins nixpkgs, but with the user's own
// (`--arg pkgs 'import <nixpkgs> { }'`) it then fails to evaluate, and the message
// must say how to give nix one, not just "fix shell.nix". Real nix-shell here
// has no channel, so this is the real failure.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { evalFailureAdvice } from '../../../main/core/nix/run-nix.js';
import { baseEnv, realNix, tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('a nix without <nixpkgs>', () => {
  it("fails the app's shell.nix on the user's own <nixpkgs> with advice on channels, NIX_PATH or pinning", async () => {
    const dir = tmp.make('no-nixpkgs');
    const env = baseEnv();
    delete env.NIX_PATH;
    const error = await resolveNixEnvironment({
      shellNix: path.resolve(process.cwd(), 'shell.nix'),
      cacheDir: path.join(dir, 'cache'),
      nix: await realNix(),
      extraArgs: ['--arg', 'pkgs', 'import <nixpkgs> { }'],
      baseEnv: { ...env, HOME: dir },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAppError(error, 'NIX_EVAL_FAILED')).toBe(true);
    expect((error as Error).message).toContain("file 'nixpkgs' was not found");
    expect((error as Error).message).toContain('nix-channel --add https://nixos.org/channels/nixpkgs-unstable nixpkgs');
    expect((error as Error).message).toContain('NIX_PATH=nixpkgs=');
  });

  it('keeps the generic advice for other evaluation errors', () => {
    expect(evalFailureAdvice("error: undefined variable 'pkgz'")).toBe('Fix shell.nix (see the log lines), then reload the environment.');
  });
});
