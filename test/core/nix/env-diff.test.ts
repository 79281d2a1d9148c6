// The diff semantics of a captured environment (direnv / nix-direnv), no nix needed.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../../../main/core/executables.js';
import { applyEnvDiff, diffEnvironment, parseEnvDump } from '../../../main/core/nix/env-diff.js';
import { tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

describe('parseEnvDump', () => {
  it('splits NAME=VALUE\\0 records at the first =, keeping newlines and = in values', () => {
    const dump = 'A=1\0MULTI=line one\nline two\0EQ=a=b=c\0EMPTY=\0';
    expect(parseEnvDump(dump)).toEqual({ A: '1', MULTI: 'line one\nline two', EQ: 'a=b=c', EMPTY: '' });
  });
});

describe('diffEnvironment / applyEnvDiff', () => {
  const base = { PATH: '/usr/bin:/bin', HOME: '/home/u', KEEP: 'same', CHANGED: 'old', 'BASH_FUNC_f%%': '() { :; }', TMPDIR: '/var/tmp/u' };
  const captured = {
    PATH: '/nix/store/aaa-bash/bin:.::/nix/store/bbb-colima/bin:/usr/bin:/bin',
    HOME: '/home/u',
    KEEP: 'same',
    CHANGED: 'new',
    ADDED: 'x',
    _: '/bin/env', PWD: '/somewhere', OLDPWD: '/', SHLVL: '2', SHELL: '/nix/store/aaa-bash/bin/bash',
    TMPDIR: '/tmp/nix-shell.123', NIX_BUILD_TOP: '/tmp/nix-shell.123',
  };

  it('keeps only what nix changed or added; PATH keeps only the absolute entries nix put in front', () => {
    const diff = diffEnvironment(base, captured);
    expect(diff.set).toEqual({ CHANGED: 'new', ADDED: 'x' });
    expect(diff.unset).toEqual([]);
    expect(diff.pathPrefix).toEqual(['/nix/store/aaa-bash/bin', '/nix/store/bbb-colima/bin']);
    expect(diff.keepBasePath).toBe(true);
  });

  it('applies to the CURRENT base: later variables and PATH entries survive, nix entries come first', () => {
    const diff = diffEnvironment(base, captured);
    const env = applyEnvDiff(diff, { PATH: '/opt/new/bin:/usr/bin', HOME: '/home/u', CHANGED: 'old', LATER: 'y', TMPDIR: '/var/tmp/u' });
    expect(env).toEqual({
      PATH: '/nix/store/aaa-bash/bin:/nix/store/bbb-colima/bin:/opt/new/bin:/usr/bin',
      HOME: '/home/u',
      CHANGED: 'new',
      ADDED: 'x',
      LATER: 'y',
      TMPDIR: '/var/tmp/u',
    });
  });

  it('with --pure, records the removed variables and does not append the base PATH', () => {
    const pureCaptured = { PATH: '/nix/store/bbb-colima/bin', HOME: '/home/u', ADDED: 'x' };
    const diff = diffEnvironment(base, pureCaptured, { pure: true });
    expect(diff.unset).toEqual(['CHANGED', 'KEEP']);
    expect(diff.keepBasePath).toBe(false);
    expect(applyEnvDiff(diff, base)).toEqual({ PATH: '/nix/store/bbb-colima/bin', HOME: '/home/u', ADDED: 'x', 'BASH_FUNC_f%%': '() { :; }', TMPDIR: '/var/tmp/u' });
  });
});

describe('findOnPath', () => {
  it('finds executable regular files only, skipping relative entries, folders and non-executables', () => {
    const root = tmp.make('which');
    const [a, b, c] = ['a', 'b', 'c'].map((d) => path.join(root, d));
    for (const d of [a, b, c]) mkdirSync(d!);
    mkdirSync(path.join(a!, 'tool'));
    writeFileSync(path.join(b!, 'tool'), '#!/bin/sh\n');
    chmodSync(path.join(b!, 'tool'), 0o644);
    writeFileSync(path.join(c!, 'tool'), '#!/bin/sh\n');
    chmodSync(path.join(c!, 'tool'), 0o755);
    expect(findOnPath('tool', `.:${a}::${b}:${c}`)).toBe(path.join(c!, 'tool'));
    expect(findOnPath('missing', `${a}:${c}`)).toBeUndefined();
    expect(findOnPath('', `${c}`)).toBeUndefined();
    expect(findOnPath(path.join(c!, 'tool'), '')).toBe(path.join(c!, 'tool'));
    expect(findOnPath('c/tool', root)).toBeUndefined();
  });
});
