// `colima-k8s doctor [--json]` and `colima-k8s gc` on the doctor and
// maintenance cores (issue 6), with the same services as the other commands.
import os from 'node:os';
import { runDoctor, formatDoctorJson, formatDoctorText, doctorExitCode } from '../core/doctor/index.js';
import { collectAppNixGarbage } from '../core/maintenance/app-gc.js';
import { formatGcReport } from '../core/maintenance/gc.js';
import { AppError } from '../core/errors.js';
import { locateNix } from '../core/nix/locate-nix.js';
import type { CoreServices } from '../core/services.js';
import type { Command } from './args.js';
import { watchInterrupt } from './interrupt.js';
import type { CliIo } from './io.js';

export async function runMaintenanceCommand(command: Extract<Command, { kind: 'doctor' | 'gc' }>, services: CoreServices, io: CliIo): Promise<number> {
  // Ctrl-C kills what runs (nix-store --gc, nix-shell, the doctor's probes) before the CLI exits.
  const interrupt = watchInterrupt(io, () => io.stderr(`interrupted: cancelling ${command.kind}\n`));
  try {
    return await runMaintenance(command, services, io, interrupt.signal);
  } catch (e) {
    if (!interrupt.signal.aborted) throw e;
    io.stderr(`colima-k8s: interrupted: ${command.kind} was cancelled.\n`);
    return 130;
  } finally {
    interrupt.dispose();
  }
}

async function runMaintenance(command: Extract<Command, { kind: 'doctor' | 'gc' }>, services: CoreServices, io: CliIo, signal: AbortSignal): Promise<number> {
  const { nixRunner, store, ledger, colima, logger, paths } = services;
  if (command.kind === 'gc') {
    if (!nixRunner) throw new AppError('NOT_FOUND', 'colima-k8s gc needs the nix environment, which this setup does not use.');
    io.stderr('Collecting nix garbage; the environment colima-k8s uses is kept ...\n');
    const report = await collectAppNixGarbage({ nixRunner, cacheDir: paths.nixCacheDir, env: io.env, logger, signal });
    if (signal.aborted) throw new AppError('CANCELLED', 'gc was cancelled.');
    io.stdout(formatGcReport(report) + '\n');
    return 0;
  }
  const report = await runDoctor({
    env: io.env,
    platform: process.platform,
    homeDir: io.env.HOME || os.homedir(),
    shellNix: services.shellNix,
    locateNixShell: async (signal) => (await locateNix({ env: io.env, signal, logger })).nixShell,
    // Resolving is part of the check: a broken shell.nix shows as a finding, not a crash.
    environmentPath: async () => {
      try {
        return (await nixRunner?.environment({ signal }))?.env().PATH;
      } catch {
        return undefined;
      }
    },
    listInstances: () => colima.list(),
    ledgerProfiles: () => ledger.list().map((e) => e.profile),
    appProfileNames: () => store.list().map((p) => p.name),
    activeProfile: () => store.get(store.activeProfile()),
    logger,
  }, { signal });
  if (signal.aborted) throw new AppError('CANCELLED', 'doctor was cancelled.');
  io.stdout(command.json ? formatDoctorJson(report) + '\n' : formatDoctorText(report));
  return doctorExitCode(report);
}
