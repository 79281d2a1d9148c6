// The bundled CLI run as its own process on an integration env (the real
// nix-shell and the simulators), for tests with more than one process or with
// signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createIntegrationEnv, simulatorShellNix, type IntegrationEnv } from '../fixtures/integration-env.js';
import { bundleCli } from './cli-bundle.js';

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Launched {
  readonly child: ChildProcess;
  readonly done: Promise<Finished>;
  stderrSoFar(): string;
}

export function launchCli(bundle: string, env: IntegrationEnv, args: readonly string[]): Launched {
  const child = spawn(process.execPath, [bundle, ...args], { env: env.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

/** What useCliProcessSuite hands a test file; read it inside tests and hooks only. */
export interface CliProcessSuite {
  /** The CLI bundled once for the file. */
  readonly bundle: string;
  /** The current test's integration env, on the file's simulator shell.nix. */
  readonly env: IntegrationEnv;
  /** The bundled CLI started with `args` on the current test's env. */
  launch(args: readonly string[]): Launched;
}

/**
 * Registers the hooks of a file that runs the bundled CLI as processes: once
 * for the file, the CLI bundled and a simulator shell.nix written (in a temp
 * folder named after `shellTag`), both removed at the end; for each test a
 * fresh integration env on that shell.nix, removed after the test. An
 * afterEach the file registers itself runs before that removal.
 */
export function useCliProcessSuite(shellTag: string): CliProcessSuite {
  let bundle: string | undefined;
  let shellDir: string | undefined;
  let env: IntegrationEnv | undefined;
  beforeAll(async () => {
    bundle = await bundleCli();
    shellDir = simulatorShellNix(path.join(os.tmpdir(), `ck8s-${shellTag}-shell-${process.pid}`));
  }, 120_000);
  afterAll(() => {
    rmSync(path.dirname(path.dirname(bundle!)), { recursive: true, force: true });
    rmSync(path.dirname(shellDir!), { recursive: true, force: true });
  });
  beforeEach(() => {
    env = createIntegrationEnv({ shellNix: shellDir! });
  });
  afterEach(() => {
    env!.cleanup();
    env = undefined;
  });
  const outsideATest = (what: string): Error => new Error(`useCliProcessSuite: ${what} exists only while the file's tests run (read it inside it() or a hook)`);
  const suite: CliProcessSuite = {
    get bundle() {
      if (!bundle) throw outsideATest('bundle');
      return bundle;
    },
    get env() {
      if (!env) throw outsideATest('env');
      return env;
    },
    launch: (args) => launchCli(suite.bundle, suite.env, args),
  };
  return suite;
}

export interface LedgerEntryJson {
  readonly profile: string;
  readonly pid: number;
  readonly owner?: string;
  readonly state?: string;
  readonly startProcess?: { readonly pgid: number; readonly identity?: string };
  readonly teardownBy?: number;
}

export function ledgerEntries(env: IntegrationEnv): LedgerEntryJson[] {
  const file = path.join(env.appHome, 'ledger.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { instances: LedgerEntryJson[] }).instances : [];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The simulator's invocations of `colima <command>` (pid = its process group: runCommand spawns detached). */
export function colimaRuns(env: IntegrationEnv, command: string): { readonly pid: number; readonly argv: readonly string[] }[] {
  return env.calls().filter((c) => c.program === 'colima' && c.argv[0] === command);
}

export async function listedByHand(env: IntegrationEnv): Promise<string[]> {
  const r = await env.runColimaByHand(['list', '--json']);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const i = JSON.parse(l) as { name: string; status: string };
      return `${i.name}:${i.status}`;
    });
}
