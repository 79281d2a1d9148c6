// runNix: a nix call killed by SIGPIPE (nix 2.8 racing a concurrent GC) is run again.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { memoryLogger } from '../../../main/core/log.js';
import { runNix, throwUnlessSucceeded } from '../../../main/core/nix/run-nix.js';
import { tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

function script(dir: string, body: string): string {
  const file = path.join(dir, 'fake-nix');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('runNix', () => {
  it('runs a call again when it died of SIGPIPE, and says so in the log', async () => {
    const dir = tmp.make('runnix');
    const marker = path.join(dir, 'first-call-done');
    const file = script(dir, `if [ ! -e "$MARKER" ]; then : > "$MARKER"; kill -PIPE $$; fi\necho ok`);
    const logger = memoryLogger();
    const r = await runNix(file, [], { env: { ...process.env, MARKER: marker }, logger });
    expect(existsSync(marker)).toBe(true);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
    expect(logger.lines.some((l) => l.includes('(SIGPIPE) while a garbage collection ran'))).toBe(true);
  });

  it("also runs again after nix 2.8's \"cannot connect to socket at …/gc-socket/socket\" (#7370)", async () => {
    const dir = tmp.make('runnix');
    const marker = path.join(dir, 'first-call-done');
    const file = script(
      dir,
      `if [ ! -e "$MARKER" ]; then : > "$MARKER"; echo "error: cannot connect to socket at '/nix/var/nix/gc-socket/socket': No such file or directory" >&2; exit 1; fi\necho ok`,
    );
    const r = await runNix(file, [], { env: { ...process.env, MARKER: marker } });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'ok\n' });
  });

  it('gives up after three attempts and reports the signal; other failures are not retried', async () => {
    const dir = tmp.make('runnix');
    const always = await runNix(script(dir, 'echo "$$" >> "$LOG"; kill -PIPE $$'), [], { env: { ...process.env, LOG: path.join(dir, 'log') } });
    expect(always.signal).toBe('SIGPIPE');
    const e = (() => { try { throwUnlessSucceeded(always, 'Evaluating x'); } catch (x) { return x; } })();
    expect(isAppError(e, 'NIX_EVAL_FAILED')).toBe(true);
    expect(String((e as Error).message)).toContain('SIGPIPE');
    expect(readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n')).toHaveLength(3);

    const exit1 = await runNix(script(dir, 'echo "$$" >> "$LOG"; echo "error: bad" >&2; exit 1'), [], { env: { ...process.env, LOG: path.join(dir, 'log1') } });
    expect(exit1.exitCode).toBe(1);
    expect(readFileSync(path.join(dir, 'log1'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
