// The built main bundle, launched with a stub electron (launch-bundle.cjs),
// finds every file it needs in both layouts it runs in:
//   development (`npm run start` = `electron .`): dist/main.cjs in the repository;
//   packaged: the app folder inside resources/ (app.asar in a release; here its
//   contents extracted to resources/app, which Electron also loads, since plain
//   Node cannot read an asar), with shell.nix and the tray icons as real files
//   in resources/ (extraResources).
// What is checked is what the app asked for at run time: tray icons, window
// preloads and pages (and the files those pages reference), and shell.nix.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../main/core/ledger/ledger.js';
import { appPaths } from '../../main/core/paths.js';
import { buildLinuxPackage } from './linux-package.js';

const require = createRequire(__filename);
const asar = require('@electron/asar') as { extractAll(archive: string, dest: string): void };

const LAUNCHER = path.resolve('test', 'packaging', 'launch-bundle.cjs');
const FAKE_NIX = path.resolve('test', 'fixtures', 'nix', 'fake-nix');
const REPO = path.resolve('.');

interface Launch {
  readonly trayIcons: string[];
  readonly windows: { preload: string; html: string }[];
  readonly shellNixLookups: string[];
  readonly errorBoxes: string[];
  readonly timedOut: boolean;
  readonly crashed?: string;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'launch-paths-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Launches `bundle`, opens the picker, quits. An instance in the ledger makes
 * the quit tear down through nix; the fake nix fails at once, so the quit window
 * opens to report it. The owner pid is this (alive) worker: not a crash leftover.
 */
function launch(name: string, bundle: string, resourcesPath?: string): Launch {
  const home = path.join(tmp, name);
  new Ledger(appPaths(path.join(home, 'app')).ledgerFile).record({
    profile: 'k8s',
    instanceId: 'colima-k8s',
    keepData: false,
    switchedContext: false,
    startedAt: new Date().toISOString(),
    pid: process.pid,
  });
  mkdirSync(path.join(home, 'user'), { recursive: true });
  // Only what the app needs; no COLIMA_K8S_SHELL_NIX: the shipped shell.nix is the one under test.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(home, 'user'),
    COLIMA_K8S_HOME: path.join(home, 'app'),
    COLIMA_HOME: path.join(home, 'colima'),
    COLIMA_K8S_NIX_SHELL: FAKE_NIX,
    ...(resourcesPath ? { LAUNCH_RESOURCES_PATH: resourcesPath } : {}),
  };
  const r = spawnSync(process.execPath, [LAUNCHER, bundle], { encoding: 'utf8', env, timeout: 60_000 });
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Launch;
  // The app's own log says what it did (e.g. why the quit window never opened).
  const logFile = path.join(appPaths(path.join(home, 'app')).logsDir, 'tray.log');
  const log = `${JSON.stringify(result)}\ntray.log:\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(none)'}`;
  expect(result.crashed, log).toBeUndefined();
  expect(result.errorBoxes, log).toEqual([]);
  expect(result.timedOut, `the tray or the quit window never came up\n${log}`).toBe(false);
  expect(result.windows, log).toHaveLength(2);
  return result;
}

/** The page itself and every local file it references (stylesheets, scripts). */
function pageFiles(html: string): string[] {
  const refs = [...readFileSync(html, 'utf8').matchAll(/\b(?:src|href)="([^"#:]+)"/g)].map((m) => path.resolve(path.dirname(html), m[1]!));
  return [html, ...refs];
}

function expectFiles(files: readonly string[], under: string): void {
  for (const file of files) {
    expect(path.relative(under, file).startsWith('..'), `${file} is outside ${under}`).toBe(false);
    expect(existsSync(file) && statSync(file).isFile(), `${file} is missing`).toBe(true);
  }
}

describe('the main bundle finds its files', () => {
  it('in development (`npm run start`): dist/, renderer/, build/tray and shell.nix of the repository', () => {
    expect(existsSync('dist/main.cjs'), 'run `npm run build` first (npm test does)').toBe(true);
    const seen = launch('dev', path.resolve('dist', 'main.cjs'));

    expect(seen.trayIcons.length).toBeGreaterThan(0);
    expect(seen.trayIcons.every((f) => path.dirname(f) === path.join(REPO, 'build', 'tray'))).toBe(true);
    expectFiles(seen.trayIcons, REPO);

    const [picker, quitWindow] = seen.windows;
    expect(picker).toEqual({ preload: path.join(REPO, 'dist', 'preload.cjs'), html: path.join(REPO, 'renderer', 'index.html') });
    expect(quitWindow).toEqual({ preload: path.join(REPO, 'dist', 'quit-preload.cjs'), html: path.join(REPO, 'dist', 'quit-window', 'quit.html') });
    for (const w of seen.windows) expectFiles([w.preload, ...pageFiles(w.html)], REPO);
    expect(pageFiles(picker!.html)).toContain(path.join(REPO, 'renderer', 'dist', 'picker.js'));

    expect(seen.shellNixLookups).toEqual([path.join(REPO, 'shell.nix')]);
    expectFiles(seen.shellNixLookups, REPO);
  });

  it('packaged: the app folder inside resources/, and shell.nix and the tray icons as real files in resources/', () => {
    const pkg = buildLinuxPackage();
    try {
      const resources = path.join(tmp, 'packaged', 'resources');
      mkdirSync(resources, { recursive: true });
      asar.extractAll(path.join(pkg.resources, 'app.asar'), path.join(resources, 'app'));
      for (const extra of ['nix', 'tray']) cpSync(path.join(pkg.resources, extra), path.join(resources, extra), { recursive: true });
      const app = path.join(resources, 'app');
      const seen = launch('packaged', path.join(app, 'dist', 'main.cjs'), resources);

      expect(seen.trayIcons.length).toBeGreaterThan(0);
      expect(seen.trayIcons.every((f) => path.dirname(f) === path.join(resources, 'tray'))).toBe(true);
      expectFiles(seen.trayIcons, resources);

      expect(seen.windows).toEqual([
        { preload: path.join(app, 'dist', 'preload.cjs'), html: path.join(app, 'renderer', 'index.html') },
        { preload: path.join(app, 'dist', 'quit-preload.cjs'), html: path.join(app, 'dist', 'quit-window', 'quit.html') },
      ]);
      // Inside the app archive: pages and preloads are read through Electron's asar support.
      for (const w of seen.windows) expectFiles([w.preload, ...pageFiles(w.html)], app);

      // nix-shell cannot read inside app.asar: the real file in resources/nix, found first.
      const shipped = path.join(resources, 'nix', 'shell.nix');
      expect(seen.shellNixLookups[0]).toBe(shipped);
      expect(new Set(seen.shellNixLookups)).toEqual(new Set([shipped]));
      expectFiles([shipped], resources);
    } finally {
      pkg.cleanup();
    }
  }, 240_000);
});
