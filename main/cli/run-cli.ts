// The CLI on the core: parse, create the core services for the app home, run
// one command. Exit 0 on success; otherwise non-zero and ONE line on stderr
// (2 for a usage error, 130 when interrupted, 1 for everything else).
import { userMessage } from '../core/errors.js';
import { appPaths, resolveAppHome, resolveShellNix, shippedShellNix } from '../core/paths.js';
import { createCoreServices, type CoreServices, type CoreServicesOptions } from '../core/services.js';
import { parseCommand, USAGE, UsageError, type Command } from './args.js';
import { cliRunLogger } from './cli-log.js';
import { runInstanceCommand } from './instance-commands.js';
import type { CliIo } from './io.js';
import { runMaintenanceCommand } from './maintenance-commands.js';
import { oneLine } from './output.js';
import { runProfileCommand } from './profile-commands.js';

export type { CliIo } from './io.js';

/** Options a test may add to the services the CLI creates (e.g. shorter timeouts). */
export type ServiceOverrides = Partial<Pick<CoreServicesOptions, 'timeouts' | 'host' | 'runner'>>;

export async function runCli(argv: readonly string[], io: CliIo, overrides: ServiceOverrides = {}): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`colima-k8s: ${oneLine(e.message)} Run colima-k8s --help for usage.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout(`colima-k8s ${io.version}\n`);
    return 0;
  }
  try {
    const services = createServices(io, overrides, logName(command));
    if (services.store.recovery) io.stderr(`colima-k8s: warning: ${oneLine(services.store.recovery.message)}\n`);
    return await dispatch(command, services, io);
  } catch (e) {
    io.stderr(`colima-k8s: ${oneLine(userMessage(e))}\n`);
    return 1;
  }
}

/** What the run's log file is named after: the command, and the profile it names. */
function logName(command: Exclude<Command, { kind: 'help' | 'version' }>): string {
  const name = 'name' in command ? command.name : undefined;
  return name === undefined ? command.kind : `${command.kind} ${name}`;
}

function createServices(io: CliIo, overrides: ServiceOverrides, operation: string): CoreServices {
  const home = resolveAppHome(io.env);
  const shellNix = resolveShellNix(io.env, shippedShellNix({ bundleDir: io.bundleDir }));
  return createCoreServices({
    home,
    shellNix,
    env: () => io.env,
    // COLIMA_K8S_NIX_SHELL overrides where nix-shell is found (the locator reads it from this env).
    locate: { env: io.env },
    logger: cliRunLogger(appPaths(home).logsDir, operation),
    ...overrides,
  });
}

function dispatch(command: Exclude<Command, { kind: 'help' | 'version' }>, services: CoreServices, io: CliIo): Promise<number> {
  switch (command.kind) {
    case 'profile-list':
    case 'profile-set':
    case 'profile-remove':
    case 'profile-use':
      return runProfileCommand(command, services, io);
    case 'start':
    case 'stop':
    case 'status':
    case 'down':
      return runInstanceCommand(command, services, io);
    case 'doctor':
    case 'gc':
      return runMaintenanceCommand(command, services, io);
  }
}
