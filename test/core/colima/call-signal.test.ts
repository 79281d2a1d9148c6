// CallOptions.signal: every colima and kubectl call hands its caller's
// AbortSignal to the ToolRunner (so Ctrl-C on `colima-k8s status` kills its
// `colima list`), and a cancelled listing throws CANCELLED.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColimaClient } from '../../../main/core/colima/client.js';
import { createKubectlClient } from '../../../main/core/colima/kubectl.js';
import { AppError } from '../../../main/core/errors.js';
import type { CommandResult } from '../../../main/core/run.js';
import type { ToolRunner, ToolRunOptions } from '../../../main/core/tool-runner.js';
import { createSimHome, waitFor, type SimHome } from '../../fixtures/sim-control.js';

/** A runner that records what each call was given and answers with `stdout`, exit 0. */
function recordingRunner(stdout = '') {
  const seen: { program: string; args: readonly string[]; signal: AbortSignal | undefined }[] = [];
  const runner: ToolRunner = {
    run: async (program, args, options: ToolRunOptions = {}): Promise<CommandResult> => {
      seen.push({ program, args, signal: options.signal });
      return { file: program, args, exitCode: 0, signal: null, stdout, stderr: '', durationMs: 1, timedOut: false, cancelled: false };
    },
  };
  return { runner, seen };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the caller\'s signal reaches the runner', () => {
  it('colima list, status and version pass it; a call without one passes none', async () => {
    const { runner, seen } = recordingRunner();
    const colima = createColimaClient(runner, { platform: 'linux' });
    const signal = new AbortController().signal;
    await colima.list({ signal });
    await colima.version({ signal }).catch(() => {});
    await colima.status('dev', { signal }).catch(() => {});
    await colima.list();
    expect(seen.map((s) => [s.args[0], s.signal])).toEqual([
      ['list', signal],
      ['version', signal],
      ['status', signal],
      ['list', undefined],
    ]);
  });

  it('every kubectl call passes it', async () => {
    const { runner, seen } = recordingRunner('{"items":[]}');
    const kubectl = createKubectlClient(runner);
    const signal = new AbortController().signal;
    await kubectl.contexts({ signal });
    await kubectl.useContext('colima-dev', { signal });
    await kubectl.nodesReady('colima-dev', { signal });
    await kubectl.removeContextEntries('colima-dev', { signal });
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(seen.every((s) => s.program === 'kubectl' && s.signal === signal)).toBe(true);
  });
});

describe('a cancelled colima list', () => {
  let sim: SimHome;
  beforeEach(() => {
    sim = createSimHome();
  });
  afterEach(() => sim.cleanup());

  it('throws CANCELLED once its process is killed, without waiting for the slow listing', async () => {
    sim.setFaults({ listDelayMs: 30_000 });
    const colima = createColimaClient(sim.runner, { platform: 'linux' });
    const abort = new AbortController();
    const listing = colima.list({ signal: abort.signal }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // Cancel once the simulator is running (it logs its call first), not after a
    // fixed delay: a loaded machine may take longer than any delay to start it.
    await waitFor(() => sim.calls('colima').length > 0);
    abort.abort();
    const error = await listing;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CANCELLED');
    expect((error as AppError).message).toBe('colima list was cancelled.');
    const calls = sim.calls('colima');
    expect(calls.map((c) => c.argv)).toEqual([['list', '--json']]);
    expect(isAlive(calls[0]!.pid)).toBe(false);
  });
});
