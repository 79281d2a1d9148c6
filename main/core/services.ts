// Creates the core services for one app home: the ONE place the CLI and the
// Electron main wire the core (settings store, ledger, nix tool runner, colima
// and kubectl clients, lifecycle controller). Nothing runs until a method is
// called: the nix environment is resolved on the first colima/kubectl command.
import { createColimaClient } from './colima/client.js';
import type { ColimaClient, KubectlClient, KubectlClusterClient } from './colima/client-api.js';
import { createKubectlClient } from './colima/kubectl.js';
import { readHostResources, type HostResources } from './host.js';
import { Ledger } from './ledger/ledger.js';
import { LifecycleController, type ControllerOptions } from './lifecycle/controller.js';
import type { LifecycleTimeouts } from './timeouts.js';
import { nullLogger, type Logger } from './log.js';
import type { LocateNixOptions } from './nix/locate-nix.js';
import type { NixInvocation } from './nix/invocation.js';
import { NixToolRunner } from './nix/nix-tool-runner.js';
import { supportedColimaGate } from './toolchain/colima-version.js';
import { runtimeAwareRunner, runtimeInvocation, type Runtime } from './toolchain/runtime.js';
import { appPaths, type AppPaths } from './paths.js';
import { openProfileStore, type SettingsStore } from './profiles/store.js';
import type { ToolRunner } from './tool-runner.js';

export interface CoreServicesOptions {
  /** The app home (absolute): settings, ledger, nix cache and logs live here. */
  readonly home: string;
  /** The shell.nix every colima/kubectl command runs in. */
  readonly shellNix: string;
  /** The caller's environment, read at each command (default process.env). */
  readonly env?: () => NodeJS.ProcessEnv;
  /** Where to find nix-shell (default: COLIMA_K8S_NIX_SHELL, PATH, the usual places). */
  readonly locate?: LocateNixOptions;
  /** How shell.nix is evaluated (--pure, -I ...). */
  readonly nixInvocation?: NixInvocation;
  readonly host?: HostResources;
  readonly timeouts?: Partial<LifecycleTimeouts>;
  /** Everything that belongs to no start, stop or teardown (and those too without operationLogger). */
  readonly logger?: Logger;
  /** The log of each start, stop and teardown the controller runs (the tray: one file per operation). */
  readonly operationLogger?: ControllerOptions['operationLogger'];
  /** Replaces the nix runner (tests that run the simulators directly). */
  readonly runner?: ToolRunner;
}

export interface CoreServices {
  readonly paths: AppPaths;
  readonly host: HostResources;
  readonly store: SettingsStore;
  readonly ledger: Ledger;
  /** The nix runner (undefined when a runner was passed in). */
  readonly nixRunner: NixToolRunner | undefined;
  /** The shell.nix every colima/kubectl command runs in. */
  readonly shellNix: string;
  readonly colima: ColimaClient;
  readonly kubectl: KubectlClient & KubectlClusterClient;
  readonly controller: LifecycleController;
  readonly logger: Logger;
}

export function createCoreServices(options: CoreServicesOptions): CoreServices {
  const logger = options.logger ?? nullLogger;
  const paths = appPaths(options.home);
  const host = options.host ?? readHostResources();
  const store = openProfileStore({ home: paths.settingsDir, host, logger });
  const ledger = new Ledger(paths.ledgerFile);
  const nixRunnerFor = (runtime: Runtime): NixToolRunner =>
    new NixToolRunner(
      runtimeInvocation(
        {
          shellNix: options.shellNix,
          cacheDir: paths.nixCacheDir,
          logger,
          ...(options.locate ? { locate: options.locate } : {}),
          ...(options.env ? { baseEnv: options.env } : {}),
          ...options.nixInvocation,
        },
        runtime,
      ),
    );
  const nixRunner = options.runner === undefined ? nixRunnerFor('containerd') : undefined;
  // A docker-runtime profile's colima commands run where the real docker CLI is (toolchain/runtime.ts).
  const runner: ToolRunner =
    options.runner ?? runtimeAwareRunner(nixRunner!, () => nixRunnerFor('docker'), (profile) => store.get(profile)?.runtime);
  const colima = createColimaClient(runner, { logger });
  const kubectl = createKubectlClient(runner, { logger });
  const controller = new LifecycleController({
    store,
    ledger,
    colima,
    kubectl,
    logger,
    ...(options.operationLogger ? { operationLogger: options.operationLogger } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(nixRunner ? { environment: nixRunner } : {}),
    // Once per evaluated environment: a colima too old for the flags the app sends is refused before a start.
    ...(nixRunner ? { checkToolchain: supportedColimaGate(nixRunner, () => nixRunner.current()?.key) } : {}),
  });
  return { paths, host, store, ledger, nixRunner, colima, kubectl, controller, logger, shellNix: options.shellNix };
}
