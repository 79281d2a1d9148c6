// Makes Debian's nix-shell usable offline for every test worker (nix-env.md §8):
// no build users, no sandbox, no substituters, and a folder holding only bash
// as NIX_BUILD_SHELL so /bin is not put ahead of the environment's tools.
import { mkdtempSync, symlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  delete process.env.NIX_REMOTE;
  process.env.NIX_CONFIG = ['build-users-group =', 'sandbox = false', 'substituters =', 'experimental-features = nix-command', ''].join('\n');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nix-bash-'));
  symlinkSync('/bin/bash', path.join(dir, 'bash'));
  process.env.NIX_BUILD_SHELL = path.join(dir, 'bash');
  return () => rmSync(dir, { recursive: true, force: true });
}
