import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isAppError } from '../../../main/core/errors.js';
import { buildTerminalCommand, launchTerminal, macScript, writeTerminalScript, type TerminalRequest } from '../../../main/core/maintenance/open-terminal.js';
import { runCommand, type RunOptions } from '../../../main/core/run.js';

// Quotes of both kinds, command substitutions, a newline, globs, a leading dash.
const HOSTILE = `-we'ird $(touch pwned) "q" \`touch pwned2\` ; & | * \n x`;

let root: string;
let shellNix: string;
let nixShell: string;
let out: string;

/** A stand-in for nix-shell that records its working folder and argv (NUL-separated) into $ARGV_OUT. */
function recorder(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nprintf \'%s\\0\' "$(pwd)" "$@" > "$ARGV_OUT.tmp" && mv "$ARGV_OUT.tmp" "$ARGV_OUT"\n');
  chmodSync(file, 0o755);
  return file;
}

async function recorded(): Promise<string[]> {
  for (let i = 0; i < 100 && !existsSync(out); i++) await delay(50);
  return readFileSync(out, 'utf8').split('\0').slice(0, -1);
}

function filesNamed(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => pattern.test(path.basename(f)));
}

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ck8s-term-')));
  shellNix = path.join(root, HOSTILE, 'shell.nix');
  mkdirSync(path.dirname(shellNix), { recursive: true });
  writeFileSync(shellNix, '{}\n');
  nixShell = recorder(path.join(root, `nix bin ${HOSTILE}`, 'nix-shell'));
  out = path.join(root, 'argv.out');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const request = (over: Partial<TerminalRequest>): TerminalRequest => ({
  platform: 'linux',
  nixShell,
  shellNix,
  env: {},
  scriptDir: path.join(root, 'app home', 'terminal'),
  which: () => undefined,
  ...over,
});

describe('the terminal command on Linux', () => {
  const only = (names: Record<string, string>) => (p: string) => names[p];

  it('passes nix-shell and shell.nix as separate argv words to each terminal', () => {
    const cwd = path.dirname(shellNix);
    const cases: [Record<string, string>, Record<string, string>, string, string[]][] = [
      [{ TERMINAL: 'my-term' }, { 'my-term': '/opt/bin/my-term', xterm: '/usr/bin/xterm' }, '/opt/bin/my-term', ['-e', nixShell, shellNix]],
      [{}, { 'x-terminal-emulator': '/usr/bin/x-terminal-emulator', xterm: '/usr/bin/xterm' }, '/usr/bin/x-terminal-emulator', ['-e', nixShell, shellNix]],
      [{}, { 'gnome-terminal': '/usr/bin/gnome-terminal' }, '/usr/bin/gnome-terminal', [`--working-directory=${cwd}`, '--', nixShell, shellNix]],
      [{}, { konsole: '/usr/bin/konsole' }, '/usr/bin/konsole', ['--workdir', cwd, '-e', nixShell, shellNix]],
      [{ TERMINAL: 'missing-term' }, { xterm: '/usr/bin/xterm' }, '/usr/bin/xterm', ['-e', nixShell, shellNix]],
    ];
    for (const [env, found, file, args] of cases) {
      expect(buildTerminalCommand(request({ env, which: only(found) }))).toEqual({ file, args, cwd });
    }
  });

  it('says what to do when no terminal exists', () => {
    try {
      buildTerminalCommand(request({}));
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'NOT_FOUND')).toBe(true);
      expect((e as Error).message).toContain('Set TERMINAL to your terminal');
    }
  });

  it('really starts nix-shell with the hostile path as one argument, in its folder, running nothing else', async () => {
    // A terminal that does what `xterm -e prog args...` does: exec the words after -e.
    const term = path.join(root, 'bin', 'xterm');
    mkdirSync(path.dirname(term));
    writeFileSync(term, '#!/bin/sh\n[ "$1" = -e ] || exit 2\nshift\nexec "$@"\n');
    chmodSync(term, 0o755);
    const cmd = buildTerminalCommand(request({ which: (p) => (p === 'xterm' ? term : undefined) }));
    await launchTerminal(cmd, { env: { ...process.env, ARGV_OUT: out }, settleMs: 2_000 });
    expect(await recorded()).toEqual([path.dirname(shellNix), shellNix]);
    expect(filesNamed(root, /^pwned/)).toEqual([]);
  });
});

describe('the terminal command on macOS', () => {
  it('opens a .command script in Terminal.app, passing its path as an argv word', () => {
    const cmd = buildTerminalCommand(request({ platform: 'darwin' }));
    const scriptPath = path.join(root, 'app home', 'terminal', 'nix-shell.command');
    expect(cmd).toEqual({
      file: '/usr/bin/open',
      args: ['-a', 'Terminal', scriptPath],
      cwd: path.dirname(shellNix),
      script: { path: scriptPath, content: macScript(nixShell, shellNix) },
    });
    expect(macScript('/nix/var/nix/profiles/default/bin/nix-shell', "/Users/me/My Project's/shell.nix")).toBe(
      [
        '#!/bin/sh',
        "# Written by colima-k8s-nix: a shell in the app's nix environment.",
        "cd -- '/Users/me/My Project'\\''s' || exit 1",
        "exec /nix/var/nix/profiles/default/bin/nix-shell '/Users/me/My Project'\\''s/shell.nix'",
        '',
      ].join('\n'),
    );
  });

  it('writes a script that, run by sh, starts nix-shell with the hostile path intact and runs nothing else', async () => {
    const cmd = buildTerminalCommand(request({ platform: 'darwin' }));
    writeTerminalScript(cmd.script!);
    expect(statSync(cmd.script!.path).mode & 0o777).toBe(0o700);
    // Terminal.app executes the file; the kernel reads its #!/bin/sh. Run it from elsewhere.
    const r = await runCommand(cmd.script!.path, [], { cwd: root, env: { ...process.env, ARGV_OUT: out }, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(await recorded()).toEqual([path.dirname(shellNix), shellNix]);
    expect(filesNamed(root, /^pwned/)).toEqual([]);
  });

  it('writes the script before launching, and reports a terminal that fails at once', async () => {
    const cmd = buildTerminalCommand(request({ platform: 'darwin' }));
    const seen: { file: string; args: readonly string[]; scriptThere: boolean; options?: RunOptions }[] = [];
    await launchTerminal(cmd, {
      settleMs: 50,
      run: async (file, args, options) => {
        seen.push({ file, args, scriptThere: existsSync(cmd.script!.path), options });
        return { file, args, exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, cancelled: false, durationMs: 1 };
      },
    });
    expect(seen).toMatchObject([{ file: '/usr/bin/open', args: ['-a', 'Terminal', cmd.script!.path], scriptThere: true, options: { cwd: path.dirname(shellNix) } }]);

    const failing = { file: '/bin/sh', args: ['-c', 'echo "Unable to find application named Terminal" >&2; exit 1'], cwd: root };
    await expect(launchTerminal(failing, { settleMs: 5_000 })).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: 'The terminal (/bin/sh) could not be opened (exit 1): Unable to find application named Terminal.',
    });
  });
});

describe('bad requests', () => {
  it('refuses relative paths and unsupported platforms', () => {
    expect(() => buildTerminalCommand(request({ shellNix: 'shell.nix' }))).toThrowError(/absolute path/);
    expect(() => buildTerminalCommand(request({ nixShell: '-e' }))).toThrowError(/absolute path/);
    expect(() => buildTerminalCommand(request({ platform: 'win32' }))).toThrowError(/macOS and Linux, not win32/);
  });
});
