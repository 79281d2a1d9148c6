import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { quoteExecArg } from '../../../main/core/autostart/desktop-entry.js';
import {
  autostartDir,
  readAutostartState,
  removeAutostartEntry,
  writeAutostartEntry,
  type AutostartEntryOptions,
} from '../../../main/core/autostart/linux-desktop-file.js';
import { isAppError } from '../../../main/core/errors.js';
import { runCommand } from '../../../main/core/run.js';

/** Every path character the Desktop Entry spec treats specially, plus a quote and a field-code look-alike. */
const HOSTILE_DIR = 'Colima K8s "Nix" $HOME \\x `id` \'q\' ;&|<>*?#()~';

let root: string;
let home: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ck8s-autostart-'));
  home = path.join(root, 'home');
  mkdirSync(home);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function options(executable: string, env: Record<string, string> = {}, args = ['--hidden']): AutostartEntryOptions {
  return { appId: 'colima-k8s-nix', name: 'Colima K8s Nix', comment: 'Throwaway Kubernetes VMs', executable, args, env, homeDir: home };
}

/** A program that records the argv it was started with (NUL-separated) into $ARGV_OUT. */
function recorder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'colima-k8s-nix');
  writeFileSync(file, '#!/bin/sh\nfor a in "$0" "$@"; do printf \'%s\\0\' "$a"; done > "$ARGV_OUT.tmp" && mv "$ARGV_OUT.tmp" "$ARGV_OUT"\n');
  chmodSync(file, 0o755);
  return file;
}

/** Launches the entry the way GNOME's autostart does (GLib's GDesktopAppInfo) and returns the argv it got. */
async function launchWithGlib(desktopFile: string): Promise<string[]> {
  const out = path.join(root, 'argv.out');
  rmSync(out, { force: true });
  const r = await runCommand('/usr/bin/gio', ['launch', desktopFile], { env: { ...process.env, ARGV_OUT: out }, timeoutMs: 60_000 });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  for (let i = 0; i < 100 && !existsSync(out); i++) await delay(50);
  return readFileSync(out, 'utf8').split('\0').slice(0, -1);
}

async function validate(file: string): Promise<void> {
  const r = await runCommand('desktop-file-validate', [file], { timeoutMs: 60_000 });
  expect(`${r.stdout}${r.stderr}`).toBe('');
  expect(r.exitCode).toBe(0);
}

describe('the XDG autostart entry', () => {
  it('is written to $XDG_CONFIG_HOME/autostart with the exact content, and removed', async () => {
    const xdg = path.join(root, 'xdg config');
    const o = options('/opt/colima-k8s-nix/colima-k8s-nix', { XDG_CONFIG_HOME: xdg });
    const file = writeAutostartEntry(o);
    expect(file).toBe(path.join(xdg, 'autostart', 'colima-k8s-nix.desktop'));
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.4',
        'Name=Colima K8s Nix',
        'Comment=Throwaway Kubernetes VMs',
        'Exec=/opt/colima-k8s-nix/colima-k8s-nix --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    await validate(file);
    expect(readAutostartState(o)).toEqual({ file, exists: true, enabled: true, disabledByDesktop: false, stale: false });
    // The temp file was renamed into place: nothing else is left in the folder.
    expect(readdirSync(path.dirname(file))).toEqual(['colima-k8s-nix.desktop']);

    expect(removeAutostartEntry(o)).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(removeAutostartEntry(o)).toBe(false);
    expect(readAutostartState(o)).toMatchObject({ exists: false, enabled: false });
  });

  it('falls back to ~/.config when XDG_CONFIG_HOME is unset, empty or relative', () => {
    expect(autostartDir({}, home)).toBe(path.join(home, '.config', 'autostart'));
    expect(autostartDir({ XDG_CONFIG_HOME: '' }, home)).toBe(path.join(home, '.config', 'autostart'));
    expect(autostartDir({ XDG_CONFIG_HOME: 'relative/dir' }, home)).toBe(path.join(home, '.config', 'autostart'));
    const file = writeAutostartEntry(options('/usr/bin/colima-k8s-nix'));
    expect(file).toBe(path.join(home, '.config', 'autostart', 'colima-k8s-nix.desktop'));
  });

  it('quotes a hostile program path exactly per the spec, and GLib starts that very program with the args intact', async () => {
    const program = recorder(path.join(root, HOSTILE_DIR));
    const o = options(program, {}, ['--hidden', 'two words', 'a\nb', 'x"y$z\\w']);
    const file = writeAutostartEntry(o);
    const exec = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('Exec='));
    // Quote layer: " ` $ \ get a backslash; string layer: every backslash doubled, newline as \n.
    const quotedDir = HOSTILE_DIR.replace(/["`$\\]/g, (c) => `\\${c}`).replaceAll('\\', '\\\\');
    expect(exec).toBe(`Exec="${root}/${quotedDir}/colima-k8s-nix" --hidden "two words" "a\\nb" "x\\\\"y\\\\$z\\\\\\\\w"`);
    await validate(file);
    expect(await launchWithGlib(file)).toEqual([program, '--hidden', 'two words', 'a\nb', 'x"y$z\\w']);
  });

  it('doubles % and starts a program whose path holds % through env (GLib checks the path before expanding %%)', async () => {
    const program = recorder(path.join(root, '100% "done" %f'));
    const file = writeAutostartEntry(options(program, {}, ['--rate=50%']));
    const exec = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('Exec='));
    expect(exec).toBe(`Exec=/usr/bin/env "${root}/100%% \\\\"done\\\\" %%f/colima-k8s-nix" --rate=50%%`);
    await validate(file);
    expect(await launchWithGlib(file)).toEqual([program, '--rate=50%']);
  });

  it('uses $APPIMAGE as the program, and a refresh-worthy entry is reported stale when the AppImage moved', () => {
    const appImage = '/home/me/Apps/Colima K8s Nix-0.1.0.AppImage';
    const o = options('/tmp/.mount_Colima123/colima-k8s-nix', { APPIMAGE: appImage });
    const file = writeAutostartEntry(o);
    expect(readFileSync(file, 'utf8')).toContain('Exec="/home/me/Apps/Colima K8s Nix-0.1.0.AppImage" --hidden\n');
    expect(readAutostartState(o).stale).toBe(false);
    expect(readAutostartState(options(o.executable, { APPIMAGE: '/home/me/Apps/new.AppImage' }))).toMatchObject({ exists: true, enabled: true, stale: true });
  });

  it('reports an entry the desktop turned off (Hidden=true or X-GNOME-Autostart-enabled=false) as disabled', () => {
    const o = options('/usr/bin/colima-k8s-nix');
    const file = writeAutostartEntry(o);
    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(readAutostartState(o)).toMatchObject({ exists: true, enabled: false, disabledByDesktop: true });
    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=false', 'Hidden=true'));
    expect(readAutostartState(o)).toMatchObject({ exists: true, enabled: false, disabledByDesktop: true });
  });

  it('refuses bad input with a clear error and writes nothing', () => {
    const relative = options('colima-k8s-nix');
    expect(() => writeAutostartEntry(relative)).toThrowError(/must be an absolute path/);
    const control = options('/opt/app\u0007/colima-k8s-nix');
    try {
      writeAutostartEntry(control);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
      expect((e as Error).message).toContain('control character');
    }
    expect(() => writeAutostartEntry({ ...options('/usr/bin/x'), appId: '../evil' })).toThrowError(/cannot name a desktop file/);
    expect(existsSync(path.join(home, '.config', 'autostart'))).toBe(false);
  });
});

describe('Exec argument quoting', () => {
  it('leaves plain words alone and quotes reserved characters', () => {
    expect(quoteExecArg('/usr/bin/app')).toBe('/usr/bin/app');
    expect(quoteExecArg('--flag=1')).toBe('--flag=1');
    expect(quoteExecArg('')).toBe('""');
    expect(quoteExecArg('a b')).toBe('"a b"');
    expect(quoteExecArg("it's")).toBe(`"it's"`);
    expect(quoteExecArg('$x')).toBe('"\\\\$x"');
    expect(quoteExecArg('`x`')).toBe('"\\\\`x\\\\`"');
    expect(quoteExecArg('a\\b')).toBe('"a\\\\\\\\b"');
    expect(quoteExecArg('say "hi"')).toBe('"say \\\\"hi\\\\""');
    expect(quoteExecArg('50%')).toBe('50%%');
    expect(quoteExecArg('tab\there')).toBe('"tab\\there"');
  });
});
