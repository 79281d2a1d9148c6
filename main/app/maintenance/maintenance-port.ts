// Folder maintenance/: the tray's doctor, nix GC and terminal actions and the
// per-operation log files.
//
// The tray's doctor, GC and terminal over the app's core services: the same
// core functions `colima-k8s doctor` and `colima-k8s gc` use (issue 6), each
// given the logger of its own operation log by the tray.
import path from 'node:path';
import { doctorDepsForApp, runDoctor, type DoctorAppServices } from '../../core/doctor/index.js';
import { findOnPath } from '../../core/executables.js';
import { collectAppNixGarbage } from '../../core/maintenance/app-gc.js';
import { buildTerminalCommand, launchTerminal } from '../../core/maintenance/open-terminal.js';
import { childBaseEnv, locateNix, type LocateNixOptions } from '../../core/nix/index.js';
import type { AppPaths } from '../../core/paths.js';
import type { DoctorReport } from '../../core/doctor/index.js';
import type { Logger } from '../../core/log.js';
import type { GcReport } from '../../core/maintenance/gc.js';
import { createToolchainPort, type ToolchainPort } from './toolchain-port.js';

/**
 * The issue-6 services the tray offers, over the app's core (index.ts builds
 * them; tests pass fakes). Each gets the logger of its own operation log.
 */
export interface MaintenancePort {
  /** runDoctor over doctorDepsForApp. */
  runDoctor(logger: Logger): Promise<DoctorReport>;
  /** collectAppNixGarbage; absent where the app runs without its nix environment. */
  collectGarbage?(options: { readonly logger: Logger; readonly signal: AbortSignal }): Promise<GcReport>;
  /** buildTerminalCommand + launchTerminal with the app's nix-shell and shell.nix. */
  openTerminal?(logger: Logger): Promise<void>;
  /** "Update toolchain…" / "Roll back toolchain" on the app's shell.nix; absent without the nix environment, as the GC. */
  readonly toolchain?: ToolchainPort;
}

export interface MaintenanceServices extends DoctorAppServices {
  readonly paths: Pick<AppPaths, 'home' | 'nixCacheDir'>;
}

export interface MaintenancePortOptions {
  /** The shell.nix the app's environment comes from (the terminal opens nix-shell on it). */
  readonly shellNix: string;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
  /** How nix is found (the same options the services use). */
  readonly locate?: LocateNixOptions;
}

export function createMaintenancePort(services: MaintenanceServices, o: MaintenancePortOptions): MaintenancePort {
  const { nixRunner } = services;
  return {
    runDoctor: (logger) =>
      runDoctor(doctorDepsForApp(services, { env: o.env, platform: o.platform, homeDir: o.homeDir, logger, ...(o.locate ? { locate: o.locate } : {}) })),
    // Without the nix runner (tests on a direct runner) there is no environment to keep, nor garbage of the app's.
    ...(nixRunner
      ? {
          collectGarbage: ({ logger, signal }) => collectAppNixGarbage({ nixRunner, cacheDir: services.paths.nixCacheDir, env: o.env, logger, signal }),
          toolchain: createToolchainPort({ shellNix: o.shellNix, env: o.env, ...(o.locate ? { locate: o.locate } : {}) }),
        }
      : {}),
    // Terminal.app on macOS, the default terminal on Linux (open-terminal.ts).
    ...(o.platform === 'darwin' || o.platform === 'linux'
      ? {
          openTerminal: async (logger) => {
            const nix = await locateNix({ ...o.locate, env: o.locate?.env ?? o.env, logger });
            const env = childBaseEnv(o.env, nix, o.locate);
            const command = buildTerminalCommand({
              platform: o.platform,
              nixShell: nix.nixShell,
              shellNix: o.shellNix,
              env,
              scriptDir: path.join(services.paths.home, 'terminal'),
              which: (program) => findOnPath(program, env.PATH),
              // `docker` in that shell (the nerdctl wrapper) talks to the active profile's VM.
              profile: services.store.activeProfile(),
            });
            logger.log('info', `terminal: ${[command.file, ...command.args].join(' ')}`);
            await launchTerminal(command, { env, logger });
          },
        }
      : {}),
  };
}
