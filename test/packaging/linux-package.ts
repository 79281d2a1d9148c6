// Runs electron-builder offline on a copy of the project: `--linux deb` with a
// stand-in Electron (electronDist: no binary can be downloaded here) and a
// stand-in fpm (CUSTOM_FPM_PATH: the real one is downloaded too). That builds
// the real release/linux-unpacked folder, and electron-builder computes the deb
// exactly as a release would: the fake fpm records the arguments (metadata and
// every `source=/install/path`: app folder, icons, .desktop entry) and keeps a
// copy of the .desktop file, which lives in a temp folder the builder deletes.
// The output is not runnable: these test the packaging config (electron-stack.md §9).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LinuxPackage {
  /** The project copy electron-builder ran in. */
  readonly work: string;
  /** release/linux-unpacked: what the deb installs at /opt/<productName>. */
  readonly unpacked: string;
  readonly resources: string;
  /** Every argument electron-builder passed to fpm. */
  readonly fpmArgs: readonly string[];
  /** The .desktop entry electron-builder wrote for the deb. */
  readonly desktopEntry: string;
  /** electron-builder's own output, for failure messages. */
  readonly log: string;
  cleanup(): void;
}

/** The project files a release build reads (no node_modules: the asar must not need them). */
const PROJECT_ENTRIES = ['package.json', 'shell.nix', 'nix', 'dist', 'renderer', 'build'];

/** A CommonJS script (.cjs: the project copy is "type": "module") run by electron-builder as fpm. */
function fakeFpm(captureDir: string): string {
  return `#!${process.execPath}
// Stand-in for fpm (test/packaging/linux-package.ts): records, copies the .desktop file, writes the package.
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const capture = ${JSON.stringify(captureDir)};
fs.writeFileSync(path.join(capture, 'fpm-args.json'), JSON.stringify(args));
for (const arg of args) {
  const m = /^(.+\\.desktop)=\\/usr\\/share\\/applications\\//.exec(arg);
  if (m) fs.copyFileSync(m[1], path.join(capture, 'entry.desktop'));
}
fs.writeFileSync(args[args.indexOf('--package') + 1], 'not a real deb: written by the fake fpm of the packaging test\\n');
`;
}

export function buildLinuxPackage(): LinuxPackage {
  if (!existsSync('dist/main.cjs')) throw new Error('dist/main.cjs is missing: run `npm run build` first (npm test does)');
  const work = mkdtempSync(path.join(os.tmpdir(), 'pkg-layout-'));
  const cleanup = (): void => rmSync(work, { recursive: true, force: true });
  try {
    for (const entry of PROJECT_ENTRIES) cpSync(entry, path.join(work, entry), { recursive: true });
    const fakeDist = path.join(work, 'fake-electron-dist');
    mkdirSync(fakeDist);
    writeFileSync(path.join(fakeDist, 'electron'), '#!/bin/sh\n');
    chmodSync(path.join(fakeDist, 'electron'), 0o755);
    const capture = path.join(work, 'fpm-capture');
    mkdirSync(capture);
    const fpm = path.join(work, 'fake-fpm.cjs');
    writeFileSync(fpm, fakeFpm(capture));
    chmodSync(fpm, 0o755);

    const cli = path.resolve('node_modules/electron-builder/cli.js');
    const r = spawnSync(process.execPath, [cli, '--linux', 'deb', `-c.electronDist=${fakeDist}`, '--projectDir', work], {
      encoding: 'utf8',
      // About 1–2 s here; the margin is for a loaded CI machine, the cap for a hung builder.
      timeout: 180_000,
      env: { ...process.env, CUSTOM_FPM_PATH: fpm, ELECTRON_BUILDER_OFFLINE: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      cwd: work,
    });
    const log = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${String(r.error)}` : ''}`;
    if (r.status !== 0) throw new Error(`electron-builder --linux deb failed (status ${r.status}, signal ${r.signal}):\n${log}`);
    const unpacked = path.join(work, 'release', 'linux-unpacked');
    return {
      work,
      unpacked,
      resources: path.join(unpacked, 'resources'),
      fpmArgs: JSON.parse(readFileSync(path.join(capture, 'fpm-args.json'), 'utf8')) as string[],
      desktopEntry: readFileSync(path.join(capture, 'entry.desktop'), 'utf8'),
      log,
      cleanup,
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** fpm's `source=destination` arguments, by destination (where the deb installs each file). */
export function fpmInstalls(args: readonly string[]): Map<string, string> {
  const installs = new Map<string, string>();
  for (const arg of args) {
    const m = /^(\/.*)=(\/.*)$/.exec(arg);
    if (m) installs.set(m[2]!, m[1]!);
  }
  return installs;
}

/** Every value of an fpm flag (`-d a -d b` → [a, b]). */
export function fpmFlag(args: readonly string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag && i + 1 < args.length ? [args[i + 1]!] : []));
}

/** `Key=value` lines of the [Desktop Entry] group. */
export function desktopEntryFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) fields[m[1]!] = m[2]!;
  }
  return fields;
}
