// Nix missing or unusable. Finding nix-shell is not enough: a multi-user
// install whose daemon is not running (or a GUI app that inherited
// NIX_REMOTE=daemon) finds the binaries and then fails on the first store
// access (nix-env.md §1, §5). A read-only store query tells the two apart.
import path from 'node:path';
import { isAppError, userMessage } from '../errors.js';
import { NIX_SHELL_VARIABLE } from '../nix/locate-nix.js';
import { shellCommand } from '../maintenance/shell-quote.js';
import { runCommand } from '../run.js';
import { isExecutableFile } from '../executables.js';
import { badNixShellVariable, nixpkgsFinding } from './nix-setup.js';
import { finding, type DoctorCheck, type Finding } from './types.js';

/** The official installer, multi-user (as in nix/locate-nix.ts NIX_INSTALL_HELP). */
export const NIX_INSTALL_COMMAND = "sh <(curl --proto '=https' --tlsv1.2 -L https://nixos.org/nix/install) --daemon";

// An always-invalid path (nix32 digits only): asking about it needs the store
// (or the daemon) but reads and writes nothing.
const PROBE_NAME = '00000000000000000000000000000000-colima-k8s-doctor-probe';

export const nixCheck: DoctorCheck = {
  id: 'nix',
  category: 'nix',
  title: 'Nix is installed and usable',
  async run(deps, signal) {
    let nixShell: string;
    try {
      nixShell = await deps.locateNixShell(signal);
    } catch (e) {
      // A COLIMA_K8S_NIX_SHELL that points nowhere is the variable's fault, not a missing Nix.
      const setting = deps.env[NIX_SHELL_VARIABLE];
      if (setting && isAppError(e, 'NIX_NOT_FOUND') && e.details.field === NIX_SHELL_VARIABLE) return [badNixShellVariable(nixCheck, setting)];
      return [
        finding(nixCheck, {
          id: 'nix.missing',
          severity: 'error',
          title: 'Nix was not found',
          explanation:
            `${userMessage(e)} colima and kubectl run inside a nix-shell environment, so no instance can start ` +
            'until Nix is installed. After installing, open a new terminal (or log out and in) so the app sees it.',
          fix: NIX_INSTALL_COMMAND,
        }),
      ];
    }

    const nixStore = path.join(path.dirname(nixShell), 'nix-store');
    if (!isExecutableFile(nixStore)) {
      return [
        finding(nixCheck, {
          id: 'nix.incomplete',
          severity: 'warning',
          title: 'nix-store is missing next to nix-shell',
          explanation:
            `Found ${nixShell}, but not ${nixStore}. Garbage collection and GC roots need the whole Nix ` +
            'installation from one folder; this looks like a partial or broken install.',
          fix: NIX_INSTALL_COMMAND,
        }),
      ];
    }

    const storeDir = deps.env.NIX_STORE_DIR || '/nix/store';
    const probe = [nixStore, '--check-validity', '--print-invalid', `${storeDir}/${PROBE_NAME}`];
    const run = deps.runCommand ?? runCommand;
    const r = await run(probe[0]!, probe.slice(1), { env: deps.env, timeoutMs: 20_000, signal, logger: deps.logger });
    if (r.exitCode !== 0) return [storeUnusable(r.stderr, r.timedOut, deps.platform, probe)];
    const noNixpkgs = await nixpkgsFinding(nixCheck, deps, nixShell, signal);
    return noNixpkgs ? [noNixpkgs] : [];
  },
};

function storeUnusable(stderr: string, timedOut: boolean, platform: NodeJS.Platform, probe: readonly string[]): Finding {
  const tail = stderr.split('\n').filter((l) => l.trim() && !l.startsWith('warning:')).slice(-3).join(' ');
  const daemon = /daemon-socket|cannot connect to socket|nix-daemon/i.test(stderr);
  const fix = !daemon
    ? shellCommand(probe)
    : platform === 'darwin'
      ? 'sudo launchctl kickstart -k system/org.nixos.nix-daemon'
      : 'sudo systemctl restart nix-daemon';
  return finding(nixCheck, {
    id: daemon ? 'nix.daemon-unreachable' : 'nix.store-unusable',
    severity: 'error',
    title: daemon ? 'The Nix daemon is not running' : 'Nix is installed but cannot use its store',
    explanation:
      (timedOut ? 'A read-only query of the Nix store did not answer in time. ' : `A read-only query of the Nix store failed: ${tail || 'no message'}. `) +
      (daemon
        ? 'This is a multi-user install and its daemon is not reachable, so every nix-shell call will fail. Start the daemon.'
        : 'Run the command below to see the full error; a broken /nix/var/nix/db or settings in nix.conf are the usual causes.'),
    fix,
  });
}
