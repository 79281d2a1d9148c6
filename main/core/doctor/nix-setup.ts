// The nix check's findings about how nix is set up rather than whether it runs:
// a COLIMA_K8S_NIX_SHELL that points nowhere (the app then searches nowhere
// else, so "install Nix" would be the wrong advice), and a nix without
// <nixpkgs> (nix-shell works, but a shell.nix that imports <nixpkgs> cannot
// evaluate: nix-env.md §5, §9 item 2).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isExecutableFile } from '../executables.js';
import { shellCommand } from '../maintenance/shell-quote.js';
import { NIX_SHELL_VARIABLE } from '../nix/locate-nix.js';
import { runCommand } from '../run.js';
import { finding, type DoctorCheck, type DoctorDeps, type Finding } from './types.js';

/** A stable release channel; `nixpkgs` is the name `<nixpkgs>` looks up. */
export const ADD_NIXPKGS_CHANNEL = 'nix-channel --add https://nixos.org/channels/nixos-24.11 nixpkgs && nix-channel --update';

/** What is wrong with the path the variable names, in plain words. */
function whatIsThere(value: string): string {
  const file = path.resolve(value);
  if (!existsSync(file)) return 'nothing exists at that path';
  if (statSync(file).isDirectory()) {
    return isExecutableFile(path.join(file, 'nix-shell')) ? 'the nix-shell in that folder does not work' : 'that folder holds no nix-shell';
  }
  if (!isExecutableFile(file)) return 'that file is not an executable program';
  return 'that program does not answer `nix-shell --version`, or nix-instantiate and nix-store are not next to it';
}

/** COLIMA_K8S_NIX_SHELL names something that is not a working nix-shell. */
export function badNixShellVariable(check: DoctorCheck, value: string): Finding {
  return finding(check, {
    id: 'nix.bad-setting',
    severity: 'error',
    title: `${NIX_SHELL_VARIABLE} does not point to a working nix-shell`,
    explanation:
      `${NIX_SHELL_VARIABLE} is set to ${JSON.stringify(value)}, but ${whatIsThere(value)}. While it is set, the app uses only that path ` +
      `and does not look for Nix anywhere else, so nothing can start. Set it to the full path of nix-shell ` +
      `(e.g. /nix/var/nix/profiles/default/bin/nix-shell), or unset it (also where your shell profile or the app's launcher sets it) ` +
      'so the app finds Nix by itself.',
    fix: `unset ${NIX_SHELL_VARIABLE}`,
  });
}

/** True when the shell.nix named by COLIMA_K8S_SHELL_NIX imports <nixpkgs> (the shipped one pins its own). */
function ownShellNixNeedsNixpkgs(env: DoctorDeps['env']): string | undefined {
  const file = env.COLIMA_K8S_SHELL_NIX;
  if (!file) return undefined;
  try {
    const target = statSync(file).isDirectory() ? path.join(file, 'shell.nix') : file;
    return readFileSync(target, 'utf8').includes('<nixpkgs>') ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Asks nix for `<nixpkgs>`; a finding when it is not in the search path. */
export async function nixpkgsFinding(check: DoctorCheck, deps: DoctorDeps, nixShell: string, signal: AbortSignal): Promise<Finding | undefined> {
  const nixInstantiate = path.join(path.dirname(nixShell), 'nix-instantiate');
  if (!isExecutableFile(nixInstantiate)) return undefined;
  const probe = [nixInstantiate, '--find-file', 'nixpkgs'];
  const run = deps.runCommand ?? runCommand;
  const r = await run(probe[0]!, probe.slice(1), { env: deps.env, timeoutMs: 10_000, signal, logger: deps.logger });
  if (r.exitCode === 0 || !/not found in the Nix search path|was not found/i.test(r.stderr)) return undefined;
  const needs = ownShellNixNeedsNixpkgs(deps.env);
  const nixPath = deps.env.NIX_PATH;
  return finding(check, {
    id: 'nix.no-nixpkgs',
    severity: needs ? 'error' : 'warning',
    title: 'Nix works, but <nixpkgs> is not found',
    explanation:
      `nix-shell runs, but \`${shellCommand(probe)}\` says: ${lastLine(r.stderr)}. ` +
      (nixPath ? `NIX_PATH is ${JSON.stringify(nixPath)} and names no nixpkgs. ` : 'NIX_PATH is not set and there is no nixpkgs channel. ') +
      (needs
        ? `Your shell.nix (${needs}) imports <nixpkgs>, so it cannot evaluate and no instance can start. `
        : "The app's shipped shell.nix pins its own nixpkgs and does not need it, but a shell.nix that imports <nixpkgs> " +
          '(your own, or `nix-shell -p …` by hand) fails, and nix-shell falls back to the bash on your PATH. ') +
      'Add a nixpkgs channel (the command below), or set NIX_PATH=nixpkgs=<a nixpkgs checkout or tarball URL> where the app is started, ' +
      'or use a shell.nix that pins nixpkgs (like the shipped one).',
    fix: ADD_NIXPKGS_CHANNEL,
  });
}

function lastLine(stderr: string): string {
  return stderr.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('warning:')).slice(-1)[0] ?? 'no message';
}
