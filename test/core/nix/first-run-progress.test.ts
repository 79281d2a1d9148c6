// A first run's progress end to end: the real nix-shell on the hermetic
// shell.nix, with a stand-in nix-store that replays what nix 2.8 prints while
// fetching from cache.nixos.org (fixtures/nix/progress/). nix's lines reach
// the runner's status, hence the tray's status line and the CLI's stderr; a
// cancel mid-progress stops it; a silent nix trips the stall timeout on a
// controllable clock.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trayStatus } from '../../../main/app/tray/tray-status.js';
import { progressPrinter } from '../../../main/cli/output.js';
import { isAppError } from '../../../main/core/errors.js';
import type { EnvironmentStatus } from '../../../main/core/model.js';
import { NixToolRunner, type NixToolRunnerOptions } from '../../../main/core/nix/nix-tool-runner.js';
import { liveProcessGroups } from '../../../main/core/run.js';
import { snapshotOf } from '../../fixtures/fake-controller.js';
import { baseEnv, hermeticShell, NIX_FIXTURES, realNix, tempDirs } from '../../fixtures/nix/harness.js';
import { manualTimers } from '../../fixtures/nix/manual-timers.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

const PROGRESS = path.join(NIX_FIXTURES, 'progress');
/** first-run-plain.txt up to (and with) the line that copies colima. */
const THROUGH_COLIMA = 20;

async function setup(env: Record<string, string>, extra: Partial<NixToolRunnerOptions> = {}) {
  const dir = tmp.make('progress');
  const real = await realNix();
  const statuses: EnvironmentStatus[] = [];
  const runner = new NixToolRunner({
    shellNix: hermeticShell(dir, { unique: true }),
    cacheDir: path.join(dir, 'cache'),
    nix: { ...real, nixStore: path.join(PROGRESS, 'replaying-nix-store') },
    baseEnv: () =>
      baseEnv({
        NIX_REAL_NIX_STORE: real.nixStore,
        NIX_PROGRESS_REPLAY: path.join(PROGRESS, 'first-run-plain.txt'),
        NIX_PROGRESS_MARKER: path.join(dir, 'replayed'),
        ...env,
      }),
    onStatus: (s) => statuses.push(s),
    ...extra,
  });
  return { runner, statuses };
}

/** What the tray and the CLI show for each status a start saw. */
function rendered(statuses: readonly EnvironmentStatus[]): { tray: string[]; cli: string[] } {
  const tray: string[] = [];
  const cli: string[] = [];
  const print = progressPrinter((l) => cli.push(l.trimEnd()), () => true);
  for (const environment of statuses) {
    const snapshot = snapshotOf({ instances: { k8s: { phase: 'starting', stage: 'checking existing instances' } }, environment });
    tray.push(trayStatus(snapshot).statusLine);
    print(snapshot);
  }
  return { tray, cli };
}

const progressOf = (s: EnvironmentStatus | undefined): string => (s?.kind === 'resolving' ? (s.progress?.text ?? '') : '');

describe('first-run progress of the nix environment', () => {
  it("streams nix's fetch and build lines to the status, the tray's line and the CLI's stderr, then is ready", async () => {
    const { runner, statuses } = await setup({});
    const env = await runner.environment();
    expect(env.which('colima')).toBeDefined();
    expect(runner.status()).toMatchObject({ kind: 'ready', fromCache: false });

    const fractions = statuses.flatMap((s) => (s.kind === 'resolving' && s.progress?.fraction !== undefined && s.progress.text.startsWith('fetching') ? [s.progress.fraction] : []));
    expect(fractions.length).toBeGreaterThanOrEqual(12);
    expect(fractions.at(-1)).toBeCloseTo(11 / 12);

    const { tray, cli } = rendered(statuses);
    expect(tray).toContain('k8s: Starting — checking existing instances');
    expect(tray).toContain('k8s: Starting — preparing nix: fetching 2/12 paths (512 MiB download) — copying colima-0.9.1');
    expect(cli).toContain('Preparing the nix environment: fetching 2/12 paths (512 MiB download) — copying colima-0.9.1 (17%)');
    expect(cli.some((l) => l.startsWith('Preparing the nix environment: building 2/3 derivations'))).toBe(true);
    runner.cancel();
    env.release();
  });

  it('a cancel while nix is fetching stops it at once and leaves no nix process behind', async () => {
    const { runner, statuses } = await setup({ NIX_PROGRESS_LINES: String(THROUGH_COLIMA), NIX_PROGRESS_HOLD: '1' });
    const abort = new AbortController();
    const waiting = runner.environment({ signal: abort.signal });
    await until(() => progressOf(statuses.at(-1)).includes('copying colima-0.9.1'));
    expect(liveProcessGroups().length).toBeGreaterThan(0);
    abort.abort();
    const e = await waiting.catch((x: unknown) => x);
    expect(isAppError(e, 'CANCELLED')).toBe(true);
    await until(() => liveProcessGroups().length === 0);
    expect(runner.status().kind).toBe('unresolved');
  });

  it('stops a nix that reports nothing for the stall timeout (controllable clock) and says why', async () => {
    const timers = manualTimers();
    const { runner, statuses } = await setup({ NIX_PROGRESS_LINES: String(THROUGH_COLIMA), NIX_PROGRESS_HOLD: '1' }, { stallTimeoutMs: 10 * 60_000, timers });
    const waiting = runner.environment();
    await until(() => progressOf(statuses.at(-1)).includes('copying colima-0.9.1'));
    timers.advance(9 * 60_000);
    expect(runner.status().kind).toBe('resolving');
    timers.advance(60_000);
    const e = await waiting.catch((x: unknown) => x);
    expect(isAppError(e, 'TIMEOUT')).toBe(true);
    expect(String((e as Error).message)).toMatch(/no progress for 10 min/);
    expect(runner.status()).toMatchObject({ kind: 'error' });
    await until(() => liveProcessGroups().length === 0);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 3_000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
}
