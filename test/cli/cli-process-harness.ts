// The bundled CLI run as its own process on an integration env (the real
// nix-shell and the simulators), for tests with more than one process or with
// signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IntegrationEnv } from '../fixtures/integration-env.js';

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
