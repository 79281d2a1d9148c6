// `colima-k8s start|stop|status|down`: the lifecycle, through the same
// controller the tray uses. Progress goes to stderr; results to stdout.
import { kubeContextName } from '../core/colima/argv.js';
import { userMessage } from '../core/errors.js';
import type { CoreServices } from '../core/services.js';
import type { Command } from './args.js';
import { requireKnownProfile } from './input.js';
import { watchInterrupt } from './interrupt.js';
import type { CliIo } from './io.js';
import { formatStatus, oneLine, progressPrinter, statusJson } from './output.js';
import { formatGlances, runningGlances } from './cluster-commands.js';
import { environmentProblem, type EnvironmentProblem } from './status-offline.js';

/** An interrupted start cancels colima start, then stops the VM it may have brought up: a graceful stop needs more than the default grace. */
const START_INTERRUPT_GRACE_MS = 60_000;

type InstanceCommand = Extract<Command, { kind: 'start' | 'stop' | 'status' | 'down' }>;

export async function runInstanceCommand(command: InstanceCommand, services: CoreServices, io: CliIo): Promise<number> {
  const { controller, store } = services;
  switch (command.kind) {
    case 'start': {
      const name = command.name ?? store.activeProfile();
      // Before any nix work: a typo must not wait for (or fail on) nix.
      requireKnownProfile(services, name);
      const profile = store.require(name);
      const unsubscribe = controller.subscribe(progressPrinter(io.stderr, (p) => p === name));
      let interrupted = false;
      const stopWatching = io.onInterrupt?.(
        () => {
          if (interrupted) return;
          interrupted = true;
          io.stderr(`interrupted: cancelling the start of ${name} and stopping it (colima-k8s down deletes it; interrupt again to leave at once)\n`);
          controller.stop(name).catch((e: unknown) => io.stderr(`colima-k8s: ${oneLine(userMessage(e))}\n`));
        },
        { graceMs: START_INTERRUPT_GRACE_MS },
      );
      try {
        // Recorded as the CLI's: once this start completes and the CLI exits, a
        // tray launched later adopts the cluster instead of deleting it (core/ledger/ownership.ts).
        await controller.start(name, { owner: 'cli' });
      } catch (e) {
        if (interrupted) {
          await controller.stop(name).catch(() => {});
          io.stderr(`colima-k8s: the start of ${name} was cancelled.\n`);
          return 130;
        }
        throw e;
      } finally {
        stopWatching?.();
        unsubscribe();
      }
      io.stdout(profile.kubernetes ? `${name} is running; kube context: ${kubeContextName(name)}\n` : `${name} is running.\n`);
      return 0;
    }
    case 'stop': {
      const name = command.name ?? store.activeProfile();
      // A profile, or an instance the ledger still records (its profile may be gone); checked before any nix work.
      requireKnownProfile(services, name, { recorded: true });
      const unsubscribe = controller.subscribe(progressPrinter(io.stderr, (p) => p === name));
      const interrupt = watchInterrupt(io, () => io.stderr(`interrupted: cancelling the stop of ${name}\n`));
      try {
        await controller.stop(name, { signal: interrupt.signal });
      } catch (e) {
        if (!interrupt.signal.aborted) throw e;
        io.stderr(`colima-k8s: interrupted: the stop of ${name} was cancelled; its VM may still be running (colima-k8s stop ${name} again, or colima-k8s down).\n`);
        return 130;
      } finally {
        interrupt.dispose();
        unsubscribe();
      }
      io.stdout(`${name} is stopped${services.ledger.get(name) ? ' (its VM is deleted by colima-k8s down)' : ''}.\n`);
      return 0;
    }
    case 'status': {
      const interrupt = watchInterrupt(io, () => io.stderr('interrupted: cancelling the status query\n'));
      let offline: EnvironmentProblem | undefined;
      let glances: Awaited<ReturnType<typeof runningGlances>> = new Map();
      try {
        await controller.refresh({ signal: interrupt.signal });
        // Each running cluster at a glance: asked for now, on demand (never by a poll).
        glances = await runningGlances(controller.snapshot(), services, interrupt.signal);
      } catch (e) {
        if (interrupt.signal.aborted) {
          io.stderr('colima-k8s: interrupted: the status query (colima list) was cancelled.\n');
          return 130;
        }
        // Without the nix environment colima cannot run: still show the profiles and the ledger, states unknown.
        offline = environmentProblem(e, controller.snapshot().environment, io);
        if (!offline) throw e;
      } finally {
        interrupt.dispose();
      }
      const snapshot = controller.snapshot();
      io.stdout(command.json ? statusJson(snapshot, offline, glances) : formatStatus(snapshot, offline) + formatGlances(glances));
      if (offline) io.stderr(`colima-k8s: warning: the nix environment is unavailable, so the instance states are unknown. ${oneLine(offline.whatToDo)}\n`);
      return 0;
    }
    case 'down': {
      // Every ledger entry, whoever recorded it; a start still under way is taken over and ended first (core/lifecycle/orphaned-start.ts).
      const count = services.ledger.list().length;
      const unsubscribe = controller.subscribe(progressPrinter(io.stderr, () => false));
      const interrupt = watchInterrupt(io, () => io.stderr('interrupted: cancelling the teardown\n'));
      let result;
      try {
        result = await controller.teardownAll({
          ...(command.timeoutSeconds !== undefined ? { timeoutMs: command.timeoutSeconds * 1000 } : {}),
          signal: interrupt.signal,
        });
      } finally {
        interrupt.dispose();
        unsubscribe();
      }
      if (!result.ok) {
        const list = result.remaining.map((r) => `${r.profile} (${r.reason})`).join('; ');
        const what = `${result.remaining.length} instance(s) started by colima-k8s remain: ${list}`;
        if (interrupt.signal.aborted) {
          io.stderr(`colima-k8s: ${oneLine(`interrupted: the teardown was cancelled; ${what}. Run colima-k8s down again to delete them.`)}\n`);
          return 130;
        }
        io.stderr(`colima-k8s: ${oneLine(what)}\n`);
        return 1;
      }
      io.stdout(count === 0 ? 'Nothing to tear down: no instance started by colima-k8s exists.\n' : `Deleted ${count} instance(s) started by colima-k8s.\n`);
      return 0;
    }
  }
}
