// The CLI on the core: parse, create the core services for the app home, run
// one command. Exit 0 on success; otherwise non-zero and ONE line on stderr
// (input.ts: 2 for what the user typed, 130 when interrupted, 1 for a failed
// operation, which is followed by the path of the run's log when it wrote one).
import { userMessage } from '../core/errors.js';
import { appPaths, resolveAppHome, resolveShellNix, shippedShellNix } from '../core/paths.js';
import { createCoreServices, type CoreServices, type CoreServicesOptions } from '../core/services.js';
import { parseCommand, USAGE, UsageError, type Command } from './args.js';
import { cliRunLogger, type CliRunLogger } from './cli-log.js';
import { EXIT_FAILED, EXIT_INPUT, exitCodeFor } from './input.js';
import { runInstanceCommand } from './instance-commands.js';
import type { CliIo } from './io.js';
import { runMaintenanceCommand } from './maintenance-commands.js';
import { oneLine } from './output.js';
import { runClusterCommand } from './cluster-commands.js';
import { runProfileCommand } from './profile-commands.js';
import { runToolchainCommand } from './toolchain-command.js';

export type { CliIo } from './io.js';

/** Options a test may add to the services the CLI creates (e.g. shorter timeouts). */
export type ServiceOverrides = Partial<Pick<CoreServicesOptions, 'timeouts' | 'host' | 'runner'>>;

export async function runCli(argv: readonly string[], io: CliIo, overrides: ServiceOverrides = {}): Promise<number> {
  // Parses its own arguments and needs no core services (toolchain-command.ts).
  if (argv[0] === 'toolchain') return runToolchainCommand(argv.slice(1), io);
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`colima-k8s: ${oneLine(e.message)} Run colima-k8s --help for usage.\n`);
    return EXIT_INPUT;
  }
  if (command.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout(`colima-k8s ${io.version}\n`);
    return 0;
  }
  const home = resolveAppHome(io.env);
  const logger = cliRunLogger(appPaths(home).logsDir, logName(command));
  let code: number;
  try {
    const services = createServices(io, overrides, home, logger);
    if (services.store.recovery) io.stderr(`colima-k8s: warning: ${oneLine(services.store.recovery.message)}\n`);
    code = await dispatch(command, services, io);
  } catch (e) {
    io.stderr(`colima-k8s: ${oneLine(userMessage(e))}\n`);
    code = exitCodeFor(e);
  }
  // Right after the error: the whole story of a failed operation (colima's output, the commands run).
  // Not after the doctor's report, whose exit 1 means it found an error, which the report explains.
  const file = logger.file();
  if (code === EXIT_FAILED && command.kind !== 'doctor' && file !== undefined) io.stderr(`See the log of this run: ${oneLine(file)}\n`);
  return code;
}

/** What the run's log file is named after: the command, and the profile it names. */
function logName(command: Exclude<Command, { kind: 'help' | 'version' }>): string {
  const name = 'name' in command ? command.name : undefined;
  return name === undefined ? command.kind : `${command.kind} ${name}`;
}

function createServices(io: CliIo, overrides: ServiceOverrides, home: string, logger: CliRunLogger): CoreServices {
  const shellNix = resolveShellNix(io.env, shippedShellNix({ bundleDir: io.bundleDir }));
  return createCoreServices({
    home,
    shellNix,
    env: () => io.env,
    // COLIMA_K8S_NIX_SHELL overrides where nix-shell is found (the locator reads it from this env).
    locate: { env: io.env },
    logger,
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
    case 'verify':
      return runClusterCommand(command, services, io);
  }
}
