// The tray's "Update toolchain…" and "Roll back toolchain" over the core, as
// `colima-k8s toolchain update|rollback` runs them (cli/toolchain-command.ts):
// updatePin on the app's shell.nix, nix located as the terminal's is, the
// newest revision from COLIMA_K8S_NIXPKGS_REVISION_URL (`{branch}`) and the
// tarball from COLIMA_K8S_NIXPKGS_TARBALL_URL (`{revision}`) when set.
import type { Logger } from '../../core/log.js';
import { childBaseEnv, locateNix, type LocateNixOptions } from '../../core/nix/index.js';
import type { NixpkgsPin } from '../../core/toolchain/pin.js';
import { DEFAULT_REVISION_URL, DEFAULT_TARBALL_URL, rollbackPin, updatePin, urlRevisionSource, type PinChange } from '../../core/toolchain/update.js';

/** Downloads of a nixpkgs tarball may be slow (the CLI's limit). */
export const TOOLCHAIN_TIMEOUT_MS = 15 * 60_000;

export interface ToolchainPort {
  /** The shell.nix whose nix/nixpkgs-pin.json is moved. */
  readonly shellNix: string;
  /** updatePin; a failure or an abort leaves the pin untouched. */
  update(options: { readonly logger: Logger; readonly signal: AbortSignal }): Promise<PinChange>;
  /** rollbackPin: the previous pin becomes current. */
  rollback(): { readonly from: NixpkgsPin; readonly to: NixpkgsPin };
}

export interface ToolchainPortOptions {
  readonly shellNix: string;
  readonly env: NodeJS.ProcessEnv;
  readonly locate?: LocateNixOptions;
  readonly timeoutMs?: number;
}

export function createToolchainPort(o: ToolchainPortOptions): ToolchainPort {
  return {
    shellNix: o.shellNix,
    async update({ logger, signal }) {
      const nix = await locateNix({ ...o.locate, env: o.locate?.env ?? o.env, logger });
      const env = childBaseEnv(o.env, nix, o.locate);
      const source = urlRevisionSource(o.env.COLIMA_K8S_NIXPKGS_REVISION_URL || DEFAULT_REVISION_URL, o.env.COLIMA_K8S_NIXPKGS_TARBALL_URL || DEFAULT_TARBALL_URL);
      logger.log('info', `toolchain update: ${o.shellNix}`);
      return updatePin(o.shellNix, { nix, env, timeoutMs: o.timeoutMs ?? TOOLCHAIN_TIMEOUT_MS, signal, logger, source });
    },
    rollback: () => rollbackPin(o.shellNix),
  };
}
