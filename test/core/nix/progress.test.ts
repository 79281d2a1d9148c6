// nix's progress lines → one short line with a fraction (progress.ts), and how
// the tray's status line and the CLI's stderr show it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { trayStatus } from '../../../main/app/tray/tray-status.js';
import { progressPrinter } from '../../../main/cli/output.js';
import type { EnvironmentProgress } from '../../../main/core/model.js';
import { NixProgressParser, progressLine, storeName } from '../../../main/core/nix/progress.js';
import { snapshotOf } from '../../fixtures/fake-controller.js';
import { NIX_FIXTURES } from '../../fixtures/nix/harness.js';

const fixture = (name: string): string[] => readFileSync(path.join(NIX_FIXTURES, 'progress', name), 'utf8').split('\n').filter(Boolean);

function replay(lines: readonly string[]): EnvironmentProgress[] {
  const seen: EnvironmentProgress[] = [];
  const parser = new NixProgressParser((p) => seen.push(p));
  for (const line of lines) parser.line(line);
  return seen;
}

describe('NixProgressParser', () => {
  it('reads nix 2.8 plain output of a first run: paths n/N with the download size, then the builds', () => {
    const seen = replay(fixture('first-run-plain.txt'));
    const texts = seen.map((p) => p.text);
    expect(texts).toContain('fetching 0/12 paths (512 MiB download) — copying glibc-2.40-66');
    expect(texts).toContain('fetching 2/12 paths (512 MiB download) — copying colima-0.9.1');
    expect(seen.find((p) => p.text.includes('copying colima-0.9.1'))?.fraction).toBeCloseTo(2 / 12);
    expect(texts).toContain('fetching 11/12 paths (512 MiB download) — copying kubectl-1.32.3');
    expect(texts.at(-1)).toBe('building 2/3 derivations — building nix-shell');
    // Fractions only grow within one kind of work.
    const fetching = seen.filter((p) => p.text.startsWith('fetching')).map((p) => p.fraction ?? 0);
    expect([...fetching].sort((a, b) => a - b)).toEqual(fetching);
    // One report per change, never the same line twice in a row.
    expect(texts.every((t, i) => i === 0 || t !== texts[i - 1])).toBe(true);
  });

  it('reads --log-format internal-json: exact paths and MiB from the copy and transfer activities', () => {
    const seen = replay(fixture('fetch-internal-json.txt'));
    const last = seen.at(-1)!;
    expect(last.text).toBe('fetching 3/12 paths, 120/512 MiB — copying colima-0.9.1');
    expect(last.fraction).toBeCloseTo(120 / 512);
    expect(progressLine(last)).toBe('Preparing the nix environment: fetching 3/12 paths, 120/512 MiB — copying colima-0.9.1');
  });

  it('reads a real internal-json capture of two builds (Debian nix 2.8.0)', () => {
    const seen = replay(fixture('builds-internal-json.txt'));
    expect(seen.map((p) => p.text)).toEqual(['building 0/2 derivations', 'building 0/2 derivations — building prog-a', 'building 1/2 derivations — building prog-b']);
    expect(seen.at(-1)?.fraction).toBe(0.5);
  });

  it('shows a fetchTarball download (evaluation) and ignores what is not progress', () => {
    const seen = replay([
      'warning: unknown setting foo',
      "downloading 'https://github.com/NixOS/nixpkgs/archive/0123abcd.tar.gz'...",
      "unpacking 'https://github.com/NixOS/nixpkgs/archive/0123abcd.tar.gz'...",
      '@nix {not json',
    ]);
    expect(seen.map((p) => p.text)).toEqual(['downloading 0123abcd.tar.gz from github.com', 'unpacking 0123abcd.tar.gz from github.com']);
    expect(seen.every((p) => p.fraction === undefined)).toBe(true);
    expect(storeName('/nix/store/3d2gkkzwz6xlz7qb7q2f0c3y8gk0mq2w-colima-0.9.1.drv')).toBe('colima-0.9.1');
  });
});

describe('nix progress in the tray and on the CLI', () => {
  const progress: EnvironmentProgress = { text: 'fetching 3/12 paths, 120/512 MiB — copying colima-0.9.1', fraction: 120 / 512 };

  it("replaces colima's stage in the tray's status line while a start waits for nix; the tooltip adds the fraction", () => {
    const snapshot = snapshotOf({ instances: { k8s: { phase: 'starting', stage: 'checking existing instances' } }, environment: { kind: 'resolving', progress } });
    const s = trayStatus(snapshot);
    expect(s.icon).toBe('starting');
    expect(s.statusLine).toBe('k8s: Starting — preparing nix: fetching 3/12 paths, 120/512 MiB — copying colima-0.9.1');
    expect(s.tooltip).toContain('(23%)');
    const stopped = trayStatus(snapshotOf({ environment: { kind: 'resolving', progress } }));
    expect(stopped.statusLine).toContain('preparing nix: fetching 3/12 paths');
    expect(trayStatus(snapshotOf({ environment: { kind: 'resolving' } })).statusLine).toBe('k8s: Stopped — preparing the nix environment');
  });

  it('prints each new progress line once on the CLI stderr, with the percentage', () => {
    const lines: string[] = [];
    const print = progressPrinter((l) => lines.push(l), () => true);
    const snap = (p: EnvironmentProgress): ReturnType<typeof snapshotOf> => snapshotOf({ environment: { kind: 'resolving', progress: p } });
    print(snapshotOf({ environment: { kind: 'resolving' } }));
    print(snap(progress));
    print(snap(progress));
    print(snap({ text: 'fetching 4/12 paths, 160/512 MiB — copying lima-1.0.6', fraction: 160 / 512 }));
    expect(lines).toEqual([
      'nix: preparing the environment of shell.nix (it is evaluated again only when it changed) ...\n',
      'Preparing the nix environment: fetching 3/12 paths, 120/512 MiB — copying colima-0.9.1 (23%)\n',
      'Preparing the nix environment: fetching 4/12 paths, 160/512 MiB — copying lima-1.0.6 (31%)\n',
    ]);
  });
});
