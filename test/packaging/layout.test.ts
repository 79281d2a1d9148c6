// Runs electron-builder offline with a stand-in Electron (no binary can be
// downloaded here) and checks what the package would hold: only our bundles and
// the resources they need. The output is not runnable: this tests the config.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(__filename);
const asar = require('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[] };

let work: string;
let unpacked: string;

beforeAll(() => {
  expect(existsSync('dist/main.cjs'), 'run `npm run build` first (npm test does)').toBe(true);
  work = mkdtempSync(path.join(os.tmpdir(), 'pkg-layout-'));
  // A copy of the project without node_modules, so the builder sees only what a release build sees.
  for (const entry of ['package.json', 'shell.nix', 'dist', 'renderer', 'build']) cpSync(entry, path.join(work, entry), { recursive: true });
  const fakeDist = path.join(work, 'fake-electron-dist');
  mkdirSync(fakeDist);
  writeFileSync(path.join(fakeDist, 'electron'), '#!/bin/sh\n');
  chmodSync(path.join(fakeDist, 'electron'), 0o755);
  const cli = path.resolve('node_modules/electron-builder/cli.js');
  const r = spawnSync(process.execPath, [cli, '--linux', 'dir', `-c.electronDist=${fakeDist}`, '--projectDir', work], {
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, ELECTRON_BUILDER_OFFLINE: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    cwd: work,
  });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  unpacked = path.join(work, 'release', 'linux-unpacked');
  return () => rmSync(work, { recursive: true, force: true });
}, 240_000);

describe('packaged layout (electron-builder --linux dir)', () => {
  it('holds only the bundles, the window pages and package.json in the asar', () => {
    const files = asar
      .listPackage(path.join(unpacked, 'resources', 'app.asar'), { isPack: false })
      .map((f) => f.replace(/\\/g, '/'))
      .filter((f) => !existsDir(f));
    const allowed = [
      /^\/package\.json$/,
      /^\/dist\/(main|preload|quit-preload|cli)\.cjs$/,
      /^\/dist\/quit-window\/quit\.(html|css)$/,
      /^\/renderer\/index\.html$/,
      /^\/renderer\/[a-z-]+\.css$/,
      /^\/renderer\/dist\/picker\.js$/,
    ];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    expect(files).toContain('/dist/main.cjs');
    expect(files).toContain('/dist/preload.cjs');
    expect(files).toContain('/renderer/index.html');
    expect(files).toContain('/renderer/dist/picker.js');
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    expect(files.some((f) => f.endsWith('.map') || f.endsWith('.ts'))).toBe(false);
  });

  it('ships shell.nix as a real file outside the asar, where the app looks for it', () => {
    const shipped = path.join(unpacked, 'resources', 'nix', 'shell.nix');
    expect(readFileSync(shipped, 'utf8')).toBe(readFileSync('shell.nix', 'utf8'));
  });

  it('ships the tray icons as resources', () => {
    expect(existsSync(path.join(unpacked, 'resources', 'tray'))).toBe(true);
  });

  it('points main at the bundled entry inside the asar', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; build: { mac: { extendInfo: { LSUIElement: boolean } } } };
    expect(pkg.main).toBe('dist/main.cjs');
    expect(pkg.build.mac.extendInfo.LSUIElement).toBe(true);
  });
});

function existsDir(f: string): boolean {
  return !/\.[a-z0-9]+$/i.test(f);
}
