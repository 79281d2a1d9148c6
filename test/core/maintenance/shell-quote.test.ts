import { describe, expect, it } from 'vitest';
import { shellCommand, shellQuote } from '../../../main/core/maintenance/shell-quote.js';
import { runCommand } from '../../../main/core/run.js';

const HOSTILE = ['plain', '', 'two words', "it's", '$(touch pwned)', '`id`', 'a\nb', '*', '~', 'x=y', '-n', '\\', '"', "'\\''", '%s'];

describe('POSIX quoting for shell text shown to people and the macOS terminal script', () => {
  it('leaves safe words alone and single-quotes everything else', () => {
    expect(shellQuote('/usr/local/bin/colima')).toBe('/usr/local/bin/colima');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('x=y')).toBe("'x=y'");
    expect(shellQuote('~')).toBe("'~'");
    expect(shellCommand(['brew', 'uninstall', 'kubernetes-cli'])).toBe('brew uninstall kubernetes-cli');
  });

  it('round-trips every hostile word through a real sh unchanged', async () => {
    const r = await runCommand('/bin/sh', ['-c', `printf '%s\\0' ${shellCommand(HOSTILE)}`], { timeoutMs: 60_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });
});
