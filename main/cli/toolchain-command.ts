// `colima-k8s toolchain [status|update|rollback]`: the nixpkgs pin of the
// shell.nix in use (COLIMA_K8S_SHELL_NIX, else the shipped one). Where the
// newest revision comes from: COLIMA_K8S_NIXPKGS_REVISION_URL (`{branch}`;
// plain text or JSON), the tarball: COLIMA_K8S_NIXPKGS_TARBALL_URL (`{revision}`).
import { userMessage } from '../core/errors.js';
import { childBaseEnv } from '../core/nix/environment.js';
import { locateNix } from '../core/nix/locate-nix.js';
import { resolveShellNix, shippedShellNix } from '../core/paths.js';
import { describeStatus, toolchainStatus } from '../core/toolchain/status.js';
import { DEFAULT_REVISION_URL, DEFAULT_TARBALL_URL, describeChange, rollbackPin, updatePin, urlRevisionSource } from '../core/toolchain/update.js';
import type { CliIo } from './io.js';
import { oneLine } from './output.js';

export const TOOLCHAIN_USAGE = `Usage: colima-k8s toolchain [status [--json] | update | rollback]
  status    the pinned nixpkgs revision and date, and the colima, lima and kubectl it provides
  update    move the pin to the newest revision of its release branch (prints old -> new versions)
  rollback  restore the pin that the last update replaced
`;

/** Downloads of a nixpkgs tarball may be slow. */
const NIX_TIMEOUT_MS = 15 * 60_000;

export async function runToolchainCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub = 'status', ...rest] = args;
  const json = rest.includes('--json');
  const unknown = rest.filter((a) => a !== '--json' || sub !== 'status');
  if (!['status', 'update', 'rollback'].includes(sub) || unknown.length > 0) {
    io.stderr(`colima-k8s: unknown toolchain command "${[sub, ...unknown].join(' ')}".\n${TOOLCHAIN_USAGE}`);
    return 2;
  }
  const shellNix = resolveShellNix(io.env, shippedShellNix({ bundleDir: io.bundleDir }));
  try {
    if (sub === 'rollback') {
      const { from, to } = rollbackPin(shellNix);
      io.stdout(`nixpkgs ${to.branch}: ${from.revision.slice(0, 12)} -> ${to.revision.slice(0, 12)}${to.date ? ` (${to.date})` : ''} (rolled back; the next start evaluates it)\n`);
      return 0;
    }
    const nix = await locateNix({ env: io.env });
    const call = { nix, env: childBaseEnv(io.env, nix, { env: io.env }), timeoutMs: NIX_TIMEOUT_MS };
    if (sub === 'update') {
      const source = urlRevisionSource(io.env.COLIMA_K8S_NIXPKGS_REVISION_URL || DEFAULT_REVISION_URL, io.env.COLIMA_K8S_NIXPKGS_TARBALL_URL || DEFAULT_TARBALL_URL);
      const change = await updatePin(shellNix, { ...call, source });
      io.stdout(describeChange(change).join('\n') + '\n');
      return 0;
    }
    const status = await toolchainStatus(shellNix, call);
    io.stdout(json ? JSON.stringify(status, null, 2) + '\n' : describeStatus(status).join('\n') + '\n');
    return 0;
  } catch (e) {
    io.stderr(`colima-k8s: ${oneLine(userMessage(e))}\n`);
    return 1;
  }
}
