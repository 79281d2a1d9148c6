// The shared set-up of the CLI tests that call runCli in-process: one hermetic
// shell.nix (the simulators as its tools) per file, a fresh integration env per
// test, and `cli(...)`, which runs one command and collects its output.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { runCli, type ServiceOverrides } from '../../main/cli/run-cli.js';
import { createIntegrationEnv, simulatorShellNix, type IntegrationEnv } from '../fixtures/integration-env.js';

/** Short step limits for the simulators. */
export const FAST_CLI_TIMEOUTS = { readyPollMs: 50, userStopMs: 1_500, stopMs: 1_500, forceStopMs: 5_000, deleteBackoffMs: 50 };

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stderrLines: string[];
}

export interface CliSuite {
  /** The current test's integration env. */
  readonly env: IntegrationEnv;
  /** Runs `colima-k8s ...argv` with the env's variables. */
  cli(...argv: string[]): Promise<CliRun>;
  /** The same, with these variables added. */
  cliWith(extraEnv: Record<string, string>, ...argv: string[]): Promise<CliRun>;
}

export function useCliSuite(overrides: ServiceOverrides = {}): CliSuite {
  let shellDir: string | undefined;
  let env: IntegrationEnv | undefined;
  beforeAll(() => {
    shellDir = simulatorShellNix(path.join(os.tmpdir(), `ck8s-cli-suite-${process.pid}-${Math.random().toString(36).slice(2)}`));
  });
  afterAll(() => {
    if (shellDir) rmSync(path.dirname(shellDir), { recursive: true, force: true });
  });
  beforeEach(() => {
    env = createIntegrationEnv({ shellNix: shellDir! });
  });
  afterEach(() => {
    env?.cleanup();
    env = undefined;
  });
  const current = (): IntegrationEnv => {
    if (!env) throw new Error('useCliSuite: env exists only while a test runs');
    return env;
  };
  const cliWith = async (extraEnv: Record<string, string>, ...argv: string[]): Promise<CliRun> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      argv,
      { env: { ...current().env, ...extraEnv }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), bundleDir: path.resolve('dist'), version: '0.0.0-test' },
      { timeouts: FAST_CLI_TIMEOUTS, ...overrides },
    );
    return { code, stdout, stderr, stderrLines: stderr.split('\n').filter(Boolean) };
  };
  return {
    get env() {
      return current();
    },
    cli: (...argv) => cliWith({}, ...argv),
    cliWith,
  };
}
