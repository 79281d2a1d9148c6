// Entry point of the `colima-k8s` CLI (bundled to dist/cli.cjs). Wires the
// process (argv, env, streams, signals) to runCli and sets the exit code.
import pkg from '../package.json' with { type: 'json' };
import { runCli } from './cli/run-cli.js';

let firstSignalAt: number | undefined;
const interruptHandlers = new Set<() => void>();
const onSignal = (): void => {
  const now = Date.now();
  // electron-store's `atomically` (when-exit) re-raises every SIGINT/SIGTERM it
  // sees once, right away: a repeat within a second is that echo, not the user.
  if (firstSignalAt !== undefined && now - firstSignalAt < 1_000) return;
  // A second interrupt means "now": leave, the ledger already records what exists.
  if (firstSignalAt !== undefined || interruptHandlers.size === 0) process.exit(130);
  firstSignalAt = now;
  for (const handler of interruptHandlers) handler();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

void runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  bundleDir: __dirname,
  version: pkg.version,
  onInterrupt: (handler) => {
    interruptHandlers.add(handler);
    return () => void interruptHandlers.delete(handler);
  },
}).then(
  (code) => {
    process.exitCode = code;
    // Normally the process ends by itself; never let a stray handle keep a finished CLI alive.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`colima-k8s: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
