// The terminal's `docker` wrapper (shell.nix) runs `colima nerdctl --profile
// "$COLIMA_K8S_PROFILE"`: the app's terminal sets it to the active profile.
import { mkdtempSync, realpathSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTerminalCommand, launchTerminal, macScript, PROFILE_VARIABLE } from '../../../main/core/maintenance/open-terminal.js';
import type { CommandResult, RunOptions } from '../../../main/core/run.js';
import { runCommand } from '../../../main/core/run.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('open terminal: the active profile for the docker wrapper', () => {
  it('Linux: the terminal gets COLIMA_K8S_PROFILE on top of the caller\'s env', async () => {
    const cmd = buildTerminalCommand({
      platform: 'linux',
      nixShell: '/usr/bin/nix-shell',
      shellNix: '/opt/app/shell.nix',
      env: {},
      scriptDir: '/tmp',
      which: (p) => (p === 'xterm' ? '/usr/bin/xterm' : undefined),
      profile: 'k8s',
    });
    expect(cmd.env).toEqual({ [PROFILE_VARIABLE]: 'k8s' });
    let seen: RunOptions | undefined;
    const run = async (_file: string, _args: readonly string[], options?: RunOptions): Promise<CommandResult> => {
      seen = options;
      return { file: _file, args: _args, exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, cancelled: false, durationMs: 1 };
    };
    await launchTerminal(cmd, { env: { PATH: '/usr/bin', COLIMA_K8S_PROFILE: 'stale' }, run, settleMs: 0 });
    expect(seen?.env).toEqual({ PATH: '/usr/bin', COLIMA_K8S_PROFILE: 'k8s' });
  });

  it('without a profile, nothing is added', () => {
    const cmd = buildTerminalCommand({ platform: 'linux', nixShell: '/usr/bin/nix-shell', shellNix: '/opt/app/shell.nix', env: {}, scriptDir: '/tmp', which: (p) => (p === 'xterm' ? '/usr/bin/xterm' : undefined) });
    expect(cmd.env).toBeUndefined();
  });

  it('macOS: the .command script exports it, quoted, before becoming nix-shell', async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'ck8s-term-profile-')));
    dirs.push(dir);
    const fakeNixShell = path.join(dir, 'nix-shell');
    writeFileSync(fakeNixShell, '#!/bin/sh\nprintf "%s" "$COLIMA_K8S_PROFILE"\n');
    chmodSync(fakeNixShell, 0o755);
    const script = macScript(fakeNixShell, path.join(dir, 'shell.nix'), "we'ird $(x)");
    expect(script).toContain(`${PROFILE_VARIABLE}='we'\\''ird $(x)'; export ${PROFILE_VARIABLE}`);
    const file = path.join(dir, 'run.sh');
    writeFileSync(file, script);
    const r = await runCommand('/bin/sh', [file], { timeoutMs: 10_000 });
    expect(r.stdout).toBe("we'ird $(x)");
  });
});
