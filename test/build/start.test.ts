// `npm start` without the Electron binary: one line that says how to get it,
// never the electron package's own download attempt and `fetch failed` trace.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../build/start.mjs';
import { useTempDir } from '../fixtures/temp-dir.js';

const tmp = useTempDir('ck8s-start-');

function electronPackage(root: string): string {
  const pkg = path.join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
  return pkg;
}

describe('npm start', () => {
  it('says to run `npx install-electron` when the binary was never downloaded', () => {
    electronPackage(tmp());
    const found = electronBinary(tmp(), {});
    expect(found.file).toBeUndefined();
    expect(found.missing).toMatch(/^the Electron 45\.4\.1 binary is not downloaded yet: run `npx install-electron` once .*then `npm start` again/);
  });

  it('says to run `npm ci` when there is no electron package at all', () => {
    expect(electronBinary(tmp(), {}).missing).toMatch(/npm ci/);
  });

  it('finds a downloaded binary through path.txt, as the electron package does', () => {
    const pkg = electronPackage(tmp());
    writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    mkdirSync(path.join(pkg, 'dist'));
    expect(electronBinary(tmp(), {}).missing).toMatch(/not downloaded yet/); // path.txt alone is not a binary
    writeFileSync(path.join(pkg, 'dist', 'electron'), '#!/bin/sh\n');
    chmodSync(path.join(pkg, 'dist', 'electron'), 0o755);
    expect(electronBinary(tmp(), {})).toEqual({ file: path.join(pkg, 'dist', 'electron') });
  });

  it('run as a script, prints the one line and exits 1 (no download attempted)', () => {
    electronPackage(tmp());
    const r = spawnSync(process.execPath, [path.resolve('build', 'start.mjs')], { cwd: tmp(), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^npm start: the Electron 45\.4\.1 binary is not downloaded yet: run `npx install-electron`/);
  });
});
