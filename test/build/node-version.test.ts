// On a Node older than the toolchain needs (this machine's own is 20), the
// install, the npm scripts and the bundled CLI say so in one line instead of
// execa's `TEXT_ENCODINGS.union is not a function` stack trace.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { tooOld, message } = require('../../build/node-version.cjs') as { tooOld(v: string): boolean; message(v: string): string };

/** A node binary on PATH older than 22.12 (Debian's Node 20 here), with its version. */
function olderNode(): { file: string; version: string } | undefined {
  const found = spawnSync('/usr/bin/which', ['-a', 'node'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const file of found) {
    const version = spawnSync(file, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (version && tooOld(version)) return { file, version };
  }
  return undefined;
}

describe('the Node version guard', () => {
  it('knows which versions are too old', () => {
    expect(['20.20.2', '22.11.0', '18.0.0'].map(tooOld)).toEqual([true, true, true]);
    expect(['22.12.0', '24.21.0', '26.0.0'].map(tooOld)).toEqual([false, false, false]);
    expect(message('20.20.2')).toMatch(/^colima-k8s-nix needs Node >= 22\.12, found 20\.20\.2: install Node 24 .*npx -y -p node@24 -- npm ci$/);
  });

  const old = olderNode();
  it('finds an older Node on this machine to run under (Debian 12 machines have Node 20)', () => {
    expect(old, 'no Node older than 22.12 on PATH: this test needs one (Debian\'s nodejs) to run the CLI under it').toBeDefined();
  });

  it.runIf(old)('the bundled CLI prints the one line and exits 1, with no stack trace', () => {
    const r = spawnSync(old!.file, [path.resolve('dist', 'cli.cjs'), 'status'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${message(old!.version)}\n`);
  });

  it.runIf(old)('the npm scripts and the install stop at the same line', () => {
    const r = spawnSync(old!.file, [path.resolve('build', 'node-version.cjs')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${message(old!.version)}\n`);
    const scripts = JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json").scripts)'], { encoding: 'utf8' })) as Record<string, string>;
    expect(scripts.preinstall).toBe('node build/node-version.cjs');
    for (const name of ['build', 'typecheck', 'bench']) expect(scripts[name]).toMatch(/^node build\/node-version\.cjs && /);
    // test and start begin with `npm run build`, which checks.
    for (const name of ['test', 'start']) expect(scripts[name]).toMatch(/^npm run build && /);
  });
});
