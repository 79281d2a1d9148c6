// "Collect nix garbage" through the real nix-store / nix-env / nix-collect-garbage.
// The test gets a nix store of its own (test/fixtures/nix/private-store.ts): a
// GC here cannot delete another test's unrooted paths in the shared /nix/store,
// and theirs cannot delete ours mid-test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { collectAppNixGarbage } from '../../../main/core/maintenance/app-gc.js';
import { collectNixGarbage, formatGcReport, parseGcOutput, type RunCommandFn } from '../../../main/core/maintenance/gc.js';
import {
  currentRoots,
  locateNix,
  NixToolRunner,
  pruneStaleRoots,
  resolveNixEnvironment,
  type NixEnvironment,
  type NixTools,
} from '../../../main/core/nix/index.js';
import { isAppError } from '../../../main/core/errors.js';
import { inUseMarker } from '../../../main/core/nix/in-use.js';
import { memoryLogger } from '../../../main/core/log.js';
import { assertSucceeded, runCommand } from '../../../main/core/run.js';
import { privateNixStore, type PrivateNixStore } from '../../fixtures/nix/private-store.js';

const FIXTURES = path.resolve(process.cwd(), 'test', 'fixtures', 'nix');

let store: PrivateNixStore;
/** The private store's temp folder; the test's projects and files go here too. */
let root: string;
let env: Record<string, string | undefined>;
let nix: NixTools;
let cacheDir: string;

/** A project folder holding a copy of the hermetic shell; `extraTool` makes its tools a distinct store path. */
function project(name: string, extraTool?: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(FIXTURES, 'hermetic-shell.nix'), path.join(dir, 'shell.nix'));
  cpSync(path.join(FIXTURES, 'bin'), path.join(dir, 'bin'), { recursive: true });
  if (extraTool) {
    writeFileSync(path.join(dir, 'bin', extraTool), `#!/bin/sh\necho ${randomBytes(8).toString('hex')}\n`);
    chmodSync(path.join(dir, 'bin', extraTool), 0o755);
  }
  return path.join(dir, 'shell.nix');
}

beforeAll(async () => {
  store = privateNixStore('maintenance-gc');
  root = store.root;
  env = store.env(); // with NIX_CONFIG and NIX_BUILD_SHELL from test/global-setup.ts
  nix = await locateNix({ env, loginShell: false });
  // The app home has a space in it, like ~/Library/Application Support/… on macOS.
  cacheDir = path.join(root, 'app home', 'nix');
});

afterAll(() => store.cleanup());

describe('collecting nix garbage', () => {
  it('deletes garbage and stale environments, keeps the app\'s current environment and other shell.nix groups working, and reports the space freed', async () => {
    const resolve = (shellNix: string): Promise<NixEnvironment> => resolveNixEnvironment({ shellNix, cacheDir, nix, baseEnv: env, timeoutMs: 120_000 });
    // An environment the app used before shell.nix was edited. Another running
    // process of the app (the tray) still used it when the edit was captured,
    // so that capture kept it; the tray has quit since: its roots are stale now.
    const shellNix = project('current', 'stale-only-tool');
    const stale = await resolve(shellNix);
    const staleTools = store.storePathOf(stale.which('stale-only-tool')!);
    const tray = new AbortController();
    const trayRun = runCommand('sleep', ['60'], { timeoutMs: 60_000, signal: tray.signal, onSpawn: (pid) => writeFileSync(inUseMarker(stale.dir, pid), '') });
    rmSync(path.join(path.dirname(shellNix), 'bin', 'stale-only-tool'));
    appendFileSync(shellNix, '\n# edited\n');
    const current = await resolve(shellNix);
    expect(current.key).not.toBe(stale.key);
    expect(existsSync(stale.dir)).toBe(true);
    tray.abort();
    await trayRun;
    const currentColima = current.which('colima')!;
    expect(currentColima).toBeDefined();
    expect(current.which('stale-only-tool')).toBeUndefined();
    // Another shell.nix (a tray started with another COLIMA_K8S_SHELL_NIX): must survive.
    const other = await resolve(project('other', 'other-only-tool'));
    const otherTools = store.storePathOf(other.which('other-only-tool')!);

    // Unrooted garbage: a file added to the store.
    const garbageFile = path.join(root, 'garbage.bin');
    writeFileSync(garbageFile, randomBytes(300_000));
    const added = assertSucceeded(await runCommand(nix.nixStore, ['--add', garbageFile], { env, timeoutMs: 60_000 }), 'nix-store --add');
    const garbage = added.stdout.trim();
    expect(existsSync(garbage)).toBe(true);
    expect(existsSync(staleTools)).toBe(true);

    // The stale tools also live on in an old generation of the user's profile
    // (installed, then uninstalled): only `--delete-generations old` frees them.
    for (const args of [['-i', staleTools], ['-e', 'fake-colima-tools']]) {
      assertSucceeded(await runCommand(nix.nixEnv!, args, { env, timeoutMs: 60_000 }), `nix-env ${args[0]}`);
    }

    const logger = memoryLogger();
    const report = await collectNixGarbage({
      nix,
      env,
      currentRoots: () => currentRoots(current),
      pruneStaleRoots: () => pruneStaleRoots(cacheDir, [current]),
      logger,
    });

    expect(existsSync(garbage)).toBe(false);
    expect(existsSync(staleTools)).toBe(false);
    expect(existsSync(stale.dir)).toBe(false);
    // The other group's environment: roots, store paths, and still served from cache.
    expect(existsSync(otherTools)).toBe(true);
    expect(other.isIntact()).toBe(true);
    expect((await resolve(path.join(root, 'other', 'shell.nix'))).fromCache).toBe(true);
    // The current environment: roots, store paths, and a working colima.
    const kept = currentRoots(current);
    expect(kept.length).toBeGreaterThan(1);
    for (const r of kept) expect(existsSync(r.target)).toBe(true);
    expect(current.isIntact()).toBe(true);
    const version = await runCommand(currentColima, ['version'], { env: current.env(), timeoutMs: 60_000 });
    expect(version.stdout).toContain('colima version 0.0.0-fake');

    expect(report.steps.map((s) => s.argv.map((a) => path.basename(a)))).toEqual([
      ['nix-env', '--delete-generations', 'old'],
      ['nix-store', '--gc'],
      ['nix-collect-garbage', '-d'],
    ]);
    expect(report.generationsRemoved).toBeGreaterThanOrEqual(1);
    expect(report.keptRoots).toEqual(kept.map((r) => r.link));
    expect(report.releasedRoots).toEqual([stale.dir]);
    // The garbage file (300 000 bytes = 0.29 MiB as nix prints it) and the stale tools.
    expect(report.pathsDeleted).toBeGreaterThanOrEqual(2);
    expect(report.bytesFreed).toBeGreaterThanOrEqual(0.28 * 2 ** 20);
    expect(report.steps[1]!.pathsDeleted).toBe(report.pathsDeleted - report.steps[2]!.pathsDeleted);
    expect(formatGcReport(report)).toMatch(
      new RegExp(`^Collected nix garbage: ${report.pathsDeleted} store paths deleted, \\d+\\.\\d\\d [KMG]iB freed; \\d+ old profile generations? removed; the app's environment was kept \\(${kept.length} GC roots\\); 1 stale environment released\\.$`),
    );
    expect(logger.lines.some((l) => l.includes('store paths deleted'))).toBe(true);
  });

  it('for the app: resolves the environment in use first (a fresh process, e.g. the CLI) and keeps it', async () => {
    const shellNix = project('app');
    const runnerOptions = { shellNix, cacheDir, locate: { env, loginShell: false as const }, baseEnv: () => env, timeoutMs: 120_000 };
    // The tray captured it earlier...
    await new NixToolRunner(runnerOptions).environment();
    const garbageFile = path.join(root, 'garbage-2.bin');
    writeFileSync(garbageFile, randomBytes(1000));
    const garbage = assertSucceeded(await runCommand(nix.nixStore, ['--add', garbageFile], { env, timeoutMs: 60_000 }), 'nix-store --add').stdout.trim();

    // A tray started with another shell.nix (COLIMA_K8S_SHELL_NIX) runs at the same time.
    const tray = new NixToolRunner({ ...runnerOptions, shellNix: project('tray-shell', 'tray-only-tool') });
    const trayTools = store.storePathOf((await tray.environment()).which('tray-only-tool')!);

    // ...and `colima-k8s gc` runs in a new process with a runner that has resolved nothing yet.
    const cli = new NixToolRunner(runnerOptions);
    const report = await collectAppNixGarbage({ nixRunner: cli, cacheDir, env });
    expect(existsSync(garbage)).toBe(false);
    expect(existsSync(trayTools)).toBe(true);
    expect((await tray.run('tray-only-tool', [], { timeoutMs: 60_000 })).exitCode).toBe(0);
    expect(report.keptRoots.length).toBeGreaterThan(1);
    const environment = await cli.environment();
    expect(environment.fromCache).toBe(true);
    expect(environment.isIntact()).toBe(true);
    expect((await cli.run('colima', ['version'], { timeoutMs: 60_000 })).stdout).toContain('colima version 0.0.0-fake');
  });

  it('refuses, without running anything, when the current environment is no longer protected', async () => {
    const calls: string[] = [];
    const run: RunCommandFn = async (file, args) => {
      calls.push([file, ...args].join(' '));
      throw new Error('must not run');
    };
    const links = path.join(root, 'broken-roots');
    mkdirSync(links, { recursive: true });
    const dead = path.join(links, 'input');
    symlinkSync(path.join(store.storeDir, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gone'), dead);
    let pruned = false;
    try {
      await collectNixGarbage({
        nix,
        env,
        run,
        currentRoots: () => [{ link: dead, target: path.join(store.storeDir, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-gone'), alive: false }],
        pruneStaleRoots: () => {
          pruned = true;
          return [];
        },
      });
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'CONFLICT')).toBe(true);
      expect((e as Error).message).toContain('Reload the environment first');
    }
    expect(calls).toEqual([]);
    expect(pruned).toBe(false);
  });

  it('stops at a failing command with its error output', async () => {
    const run: RunCommandFn = async (file, args) => ({
      file,
      args,
      exitCode: file.endsWith('nix-store') ? 1 : 0,
      signal: null,
      stdout: '',
      stderr: file.endsWith('nix-store') ? "error: cannot connect to socket at '/nix/var/nix/daemon-socket/socket'\n" : '',
      timedOut: false,
      cancelled: false,
      durationMs: 1,
    });
    await expect(collectNixGarbage({ nix, env, run, currentRoots: () => [], pruneStaleRoots: () => [] })).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: '`nix-store --gc` failed (exit 1).',
      details: { logTail: ["error: cannot connect to socket at '/nix/var/nix/daemon-socket/socket'"] },
    });
  });
});

describe("reading nix's garbage collection output", () => {
  it('parses the summary of nix 2.8 and of newer nix, and nix-env\'s removed generations', () => {
    expect(parseGcOutput('finding garbage collector roots...\ndeleting garbage...\n1 store paths deleted, 0.29 MiB freed\n')).toEqual({
      pathsDeleted: 1,
      bytesFreed: Math.round(0.29 * 2 ** 20),
      generationsRemoved: 0,
    });
    expect(parseGcOutput('3 store paths deleted, 1.50 GiB freed')).toMatchObject({ pathsDeleted: 3, bytesFreed: 1.5 * 2 ** 30 });
    expect(parseGcOutput('1 store path deleted, 512.0 KiB freed')).toMatchObject({ pathsDeleted: 1, bytesFreed: 512 * 1024 });
    expect(parseGcOutput('removing profile version 1\nremoving profile version 2\nremoving generation 7\n').generationsRemoved).toBe(3);
    expect(parseGcOutput('0 store paths deleted, 0.00 MiB freed')).toEqual({ pathsDeleted: 0, bytesFreed: 0, generationsRemoved: 0 });
  });
});
