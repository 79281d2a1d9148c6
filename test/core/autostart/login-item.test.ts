import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoginItemSettings, LoginItemSettingsOptions, Settings } from 'electron';
import { createLoginItemService, type LoginItemApi } from '../../../main/core/autostart/login-item.js';

type MacStatus = LoginItemSettings['status'];

/**
 * Behaves like Electron's app on macOS 13+ (SMAppService): registering moves
 * the status to `enabled`, or to `requires-approval` when the user has not
 * allowed the app in System Settings yet; unregistering to `not-registered`.
 */
class FakeMacLoginItems implements LoginItemApi {
  status: MacStatus = 'not-registered';
  needsApproval = false;
  wasOpenedAtLogin = false;
  readonly calls: Settings[] = [];
  getLoginItemSettings(): LoginItemSettings {
    return {
      openAtLogin: this.status === 'enabled',
      wasOpenedAtLogin: this.wasOpenedAtLogin,
      status: this.status,
      executableWillLaunchAtLogin: false,
      launchItems: [],
    };
  }
  setLoginItemSettings(settings: Settings): void {
    this.calls.push(settings);
    this.status = settings.openAtLogin ? (this.needsApproval ? 'requires-approval' : 'enabled') : 'not-registered';
  }
}

/** Windows: a Run registry value matched by path + args, and Task Manager's own switch. */
class FakeWindowsLoginItems implements LoginItemApi {
  value?: { path: string; args: string[] };
  taskManagerEnabled = true;
  readonly queries: (LoginItemSettingsOptions | undefined)[] = [];
  getLoginItemSettings(options?: LoginItemSettingsOptions): LoginItemSettings {
    this.queries.push(options);
    const matches = this.value !== undefined && this.value.path === options?.path && JSON.stringify(this.value.args) === JSON.stringify(options?.args ?? []);
    return {
      openAtLogin: matches,
      executableWillLaunchAtLogin: matches && this.taskManagerEnabled,
      wasOpenedAtLogin: false,
      status: 'not-registered',
      launchItems: [],
    };
  }
  setLoginItemSettings(s: Settings): void {
    this.value = s.openAtLogin ? { path: s.path ?? 'electron.exe', args: s.args ?? [] } : undefined;
  }
}

let home: string;
beforeEach(() => (home = mkdtempSync(path.join(os.tmpdir(), 'ck8s-login-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

const linuxEntry = () => ({ appId: 'colima-k8s-nix', name: 'Colima K8s Nix', env: {}, homeDir: home });

describe('start at login on macOS', () => {
  it('registers through Electron and reads the real state back', () => {
    const electron = new FakeMacLoginItems();
    const service = createLoginItemService({ platform: 'darwin', electron, executable: '/Applications/Colima K8s Nix.app/Contents/MacOS/Colima K8s Nix', linux: linuxEntry() });
    expect(service.get()).toEqual({ enabled: false, requested: false, status: 'disabled', mechanism: 'electron', wasOpenedAtLogin: false });
    expect(service.set(true)).toEqual({ enabled: true, requested: true, status: 'enabled', mechanism: 'electron', wasOpenedAtLogin: false });
    expect(electron.calls).toEqual([{ openAtLogin: true }]);
    expect(service.set(false)).toMatchObject({ enabled: false, requested: false, status: 'disabled' });
    expect(electron.calls.at(-1)).toEqual({ openAtLogin: false });
    // Nothing was written for Linux.
    expect(existsSync(path.join(home, '.config'))).toBe(false);
  });

  it('reports requires-approval (macOS 13+) as not enabled yet, with what to do', () => {
    const electron = new FakeMacLoginItems();
    electron.needsApproval = true;
    const service = createLoginItemService({ platform: 'darwin', electron, executable: '/x', linux: linuxEntry() });
    const state = service.set(true);
    expect(state).toMatchObject({ enabled: false, requested: true, status: 'requires-approval' });
    expect(state.message).toContain('System Settings > General > Login Items');
    // Approved later in System Settings: the next read shows it.
    electron.status = 'enabled';
    expect(service.get()).toMatchObject({ enabled: true, status: 'enabled' });
  });

  it('reports not-found and a launch that came from the login item', () => {
    const electron = new FakeMacLoginItems();
    electron.status = 'not-found';
    electron.wasOpenedAtLogin = true;
    const state = createLoginItemService({ platform: 'darwin', electron, executable: '/x', linux: linuxEntry() }).get();
    expect(state).toMatchObject({ enabled: false, status: 'not-found', wasOpenedAtLogin: true });
    expect(state.message).toContain('Applications folder');
  });

  it('needs Electron on macOS and Windows', () => {
    expect(() => createLoginItemService({ platform: 'darwin', executable: '/x', linux: linuxEntry() })).toThrowError(/pass Electron's app/);
  });
});

describe('start at login on Windows', () => {
  it('registers the executable with its args and queries with the same ones', () => {
    const electron = new FakeWindowsLoginItems();
    const service = createLoginItemService({ platform: 'win32', electron, executable: 'C:\\Apps\\Colima K8s Nix.exe', args: ['--hidden'], linux: linuxEntry() });
    expect(service.set(true)).toEqual({ enabled: true, requested: true, status: 'enabled', mechanism: 'electron' });
    expect(electron.value).toEqual({ path: 'C:\\Apps\\Colima K8s Nix.exe', args: ['--hidden'] });
    expect(electron.queries.at(-1)).toEqual({ path: 'C:\\Apps\\Colima K8s Nix.exe', args: ['--hidden'] });
    electron.taskManagerEnabled = false;
    expect(service.get()).toMatchObject({ enabled: false, requested: true, status: 'disabled-by-system' });
    expect(service.set(false)).toMatchObject({ enabled: false, requested: false, status: 'disabled' });
  });
});

describe('start at login on Linux (and WSLg)', () => {
  it('writes and removes the XDG autostart file, and the state follows the file', () => {
    const service = createLoginItemService({ platform: 'linux', executable: '/opt/Colima K8s Nix/colima-k8s-nix', args: ['--hidden'], linux: linuxEntry() });
    const file = path.join(home, '.config', 'autostart', 'colima-k8s-nix.desktop');
    expect(service.get()).toEqual({ enabled: false, requested: false, status: 'disabled', mechanism: 'xdg-autostart', file });
    expect(service.set(true)).toEqual({ enabled: true, requested: true, status: 'enabled', mechanism: 'xdg-autostart', file });
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Colima K8s Nix/colima-k8s-nix" --hidden\n');

    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(service.get()).toMatchObject({ enabled: false, requested: true, status: 'disabled-by-system' });
    expect(service.set(true)).toMatchObject({ enabled: true, status: 'enabled' });

    expect(service.set(false)).toMatchObject({ enabled: false, requested: false, status: 'disabled' });
    expect(existsSync(file)).toBe(false);
  });

  it('refresh() rewrites an enabled entry that points at an old AppImage, and leaves a disabled one alone', () => {
    const old = createLoginItemService({ platform: 'linux', executable: '/tmp/.mount_a/app', linux: { ...linuxEntry(), env: { APPIMAGE: '/apps/old.AppImage' } } });
    old.set(true);
    const now = createLoginItemService({ platform: 'linux', executable: '/tmp/.mount_b/app', linux: { ...linuxEntry(), env: { APPIMAGE: '/apps/new.AppImage' } } });
    const file = path.join(home, '.config', 'autostart', 'colima-k8s-nix.desktop');
    expect(readFileSync(file, 'utf8')).toContain('Exec=/apps/old.AppImage\n');
    expect(now.refresh()).toMatchObject({ enabled: true });
    expect(readFileSync(file, 'utf8')).toContain('Exec=/apps/new.AppImage\n');

    now.set(false);
    expect(now.refresh()).toMatchObject({ enabled: false });
    expect(existsSync(file)).toBe(false);
  });

  it('says start at login is unsupported elsewhere', () => {
    const s = createLoginItemService({ platform: 'freebsd', executable: '/x', linux: linuxEntry() });
    expect(s.set(true)).toMatchObject({ enabled: false, status: 'unsupported', mechanism: 'none' });
  });
});
