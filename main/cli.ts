// Entry point of the `colima-k8s` CLI (bundled to dist/cli.cjs). Wires the
// process (argv, env, streams, signals) to runCli and sets the exit code.
//
// Ctrl-C (SIGINT) and SIGTERM: colima, kubectl and nix-shell run in process
// groups of their own (run.ts), so the terminal's SIGINT never reaches them
// and exiting at once would leave them running. A command that runs
// processes registers a handler that cancels its work (its colima commands
// are killed); the CLI then waits for the command to finish, at most the
// handler's grace (5 s unless it asks for more), and on leaving kills every
// process group it started that is still there. A second interrupt leaves at
// once, killing them too.
import pkg from '../package.json' with { type: 'json' };
import { killAllProcessGroups } from './core/run.js';
import { runCli } from './cli/run-cli.js';
import { DEFAULT_INTERRUPT_GRACE_MS } from './cli/io.js';

let firstSignalAt: number | undefined;
const interruptHandlers = new Map<() => void, number>();

/** Leaves now: nothing this process started may outlive it. */
function leave(code: number): never {
  killAllProcessGroups('SIGKILL');
  process.exit(code);
}

const onSignal = (): void => {
  const now = Date.now();
  // electron-store's `atomically` (when-exit) re-raises every SIGINT/SIGTERM it
  // sees once, right away: a repeat within a second is that echo, not the user.
  if (firstSignalAt !== undefined && now - firstSignalAt < 1_000) return;
  // A second interrupt means "now": leave, the ledger already records what exists.
  if (firstSignalAt !== undefined || interruptHandlers.size === 0) leave(130);
  firstSignalAt = now;
  const graceMs = Math.max(...interruptHandlers.values());
  for (const handler of [...interruptHandlers.keys()]) handler();
  // Bounded: a command that does not finish in time is left, its processes killed.
  setTimeout(() => {
    process.stderr.write(`colima-k8s: interrupted: still busy after ${Math.round(graceMs / 1000)} s; killing what it runs and leaving.\n`);
    leave(130);
  }, graceMs).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// After an interrupt, members of a cancelled group may still be waiting for the SIGKILL run.ts sends after its grace.
process.on('exit', () => {
  if (firstSignalAt !== undefined) killAllProcessGroups('SIGKILL');
});

void runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  bundleDir: __dirname,
  version: pkg.version,
  onInterrupt: (handler, options) => {
    interruptHandlers.set(handler, options?.graceMs ?? DEFAULT_INTERRUPT_GRACE_MS);
    return () => void interruptHandlers.delete(handler);
  },
}).then(
  (code) => {
    process.exitCode = code;
    // Normally the process ends by itself; never let a stray handle keep a finished CLI alive.
    setTimeout(() => leave(code), 2_000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`colima-k8s: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    leave(1);
  },
);
