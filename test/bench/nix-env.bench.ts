// `npm run bench` section: what running a tool through the nix environment
// costs. The same fake `colima version` three ways, interleaved so machine
// noise hits all three alike (nix-env.md §3 measured 1.6–2.7 ms cached vs
// 24–31 ms per nix-shell call):
//   cached  – NixToolRunner: captured env + absolute path (what the app does)
//   per-call nix-shell – `nix-shell shell.nix --run 'exec colima version'`
//   bare    – the fake script spawned directly, no nix at all
// Fixtures are found from process.cwd() (the repo root): this file is bundled.
import { cpSync, mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NixToolRunner } from '../../main/core/nix/nix-tool-runner.js';
import { locateNix } from '../../main/core/nix/locate-nix.js';
import { assertSucceeded, runCommand } from '../../main/core/run.js';
import type { BenchReport } from './main.js';

const SECTION = 'nix environment';
const RUNS = 40;

export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ck8s-bench-nix-'));
  try {
    const env = nixTestEnv(dir);
    const fixtures = path.resolve(process.cwd(), 'test', 'fixtures', 'nix');
    const shellNix = path.join(dir, 'shell.nix');
    cpSync(path.join(fixtures, 'hermetic-shell.nix'), shellNix);
    cpSync(path.join(fixtures, 'bin'), path.join(dir, 'bin'), { recursive: true });
    const bareColima = path.join(dir, 'bin', 'colima');

    const nix = await locateNix({ env, loginShell: false });
    const options = { shellNix, cacheDir: path.join(dir, 'cache'), nix, baseEnv: () => env };

    let t = performance.now();
    await new NixToolRunner(options).environment();
    report.figure(SECTION, 'first capture (evaluate, build, root, dump)', performance.now() - t, 'ms');
    t = performance.now();
    const runner = new NixToolRunner(options);
    await runner.environment();
    report.figure(SECTION, 'start-up: resolve from cache (key + checks)', performance.now() - t, 'ms');

    const ways = {
      cached: async () => assertSucceeded(await runner.run('colima', ['version']), 'cached'),
      nixShell: async () => assertSucceeded(await runCommand(nix.nixShell, [shellNix, '--run', 'exec colima version'], { env }), 'nix-shell --run'),
      bare: async () => assertSucceeded(await runCommand(bareColima, ['version'], { env }), 'bare'),
    };
    const times: Record<keyof typeof ways, number[]> = { cached: [], nixShell: [], bare: [] };
    for (const way of Object.values(ways)) await way(); // warm-up
    for (let i = 0; i < RUNS; i++) {
      for (const [name, way] of Object.entries(ways) as [keyof typeof ways, () => Promise<unknown>][]) {
        const start = performance.now();
        await way();
        times[name].push(performance.now() - start);
      }
    }
    const cached = median(times.cached);
    const bare = median(times.bare);
    report.figure(SECTION, `colima version, cached env (median of ${RUNS})`, cached, 'ms');
    report.figure(SECTION, `colima version, nix-shell --run (median of ${RUNS})`, median(times.nixShell), 'ms');
    report.figure(SECTION, `colima version, bare spawn, no nix (median of ${RUNS})`, bare, 'ms');
    report.figure(SECTION, 'ratio cached / bare (target <= 1.1)', cached / bare, 'x');
    report.note(SECTION, `hermetic shell.nix (no nixpkgs): real nixpkgs makes nix-shell --run cost seconds, the cached env does not change`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Debian's nix-shell offline as root, as test/global-setup.ts sets it up (nix-env.md §8). */
function nixTestEnv(dir: string): Record<string, string | undefined> {
  const bashDir = path.join(dir, 'nix-bash');
  mkdirSync(bashDir);
  symlinkSync('/bin/bash', path.join(bashDir, 'bash'));
  const env: Record<string, string | undefined> = {
    ...process.env,
    NIX_CONFIG: ['build-users-group =', 'sandbox = false', 'substituters =', 'experimental-features = nix-command', ''].join('\n'),
    NIX_BUILD_SHELL: path.join(bashDir, 'bash'),
  };
  delete env.NIX_REMOTE;
  return env;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
