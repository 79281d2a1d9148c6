// The app under Electron's own lifecycle rules, as the fake now reproduces them
// (docs/api/app.md): the last window closing quits an app that does not listen
// to 'window-all-closed'; app.quit() is before-quit → close every window (one
// that cancels 'close' cancels the quit) → will-quit → quit, each preventable,
// and a later app.quit() starts again at before-quit; app.exit() emits neither
// before-quit nor will-quit and closes windows without asking.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WatchFolder } from '../../main/app/refresh.js';
import { startTrayApp, type TrayApp } from '../../main/app/tray-app.js';
import { memoryLogger } from '../../main/core/log.js';
import { createElectronFake, FakeBrowserWindow, FakeTray, type ElectronFake } from '../fixtures/electron-fake.js';
import { TRAY_ITEM } from '../../main/app/tray/tray-menu.js';
import { FakeController, snapshotOf } from '../fixtures/fake-controller.js';
import { useTempDir } from '../fixtures/temp-dir.js';
import { trayTestOptions } from '../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

const noWatch: WatchFolder = () => ({ close() {}, on: () => undefined });
const dir = useTempDir('electron-lifecycle-');
let electron: ElectronFake;
let app: TrayApp | undefined;

const events = (fake: ElectronFake): string[] => {
  const seen: string[] = [];
  for (const name of ['before-quit', 'will-quit', 'quit', 'window-all-closed'] as const) fake.app.on(name, () => void seen.push(name));
  return seen;
};

beforeEach(() => {
  electron = createElectronFake();
});
afterEach(() => {
  app?.refresher.stop();
  app = undefined;
});

describe('the fake follows Electron', () => {
  it('without a window-all-closed listener, closing the last window quits the app', () => {
    const quits: string[] = [];
    electron.app.on('will-quit', () => void quits.push('will-quit'));
    const a = new electron.BrowserWindow();
    const b = new electron.BrowserWindow();
    a.close();
    expect(quits).toEqual([]);
    b.close();
    expect(quits).toEqual(['will-quit']);
    expect(electron.app.quitCompleted).toBe(true);
  });

  it('app.quit(): before-quit, windows get close, then will-quit and quit; window-all-closed is not emitted', () => {
    const seen = events(electron);
    const win = new electron.BrowserWindow();
    win.on('close', () => void seen.push('close'));
    electron.app.quit();
    expect(seen).toEqual(['before-quit', 'close', 'will-quit', 'quit']);
    expect(win.isDestroyed()).toBe(true);
  });

  it('a window that cancels close cancels the quit; a will-quit that is prevented stops it; the next quit starts at before-quit', () => {
    const seen = events(electron);
    const win = new electron.BrowserWindow();
    let keep = true;
    win.on('close', (e: { preventDefault(): void }) => (keep ? e.preventDefault() : undefined));
    electron.app.quit();
    expect(seen).toEqual(['before-quit']);
    keep = false;
    electron.app.once('will-quit', (e: { preventDefault(): void }) => e.preventDefault());
    electron.app.quit();
    expect(seen).toEqual(['before-quit', 'before-quit', 'will-quit']);
    expect(electron.app.quitCompleted).toBe(false);
    electron.app.quit();
    expect(seen).toEqual(['before-quit', 'before-quit', 'will-quit', 'before-quit', 'will-quit', 'quit']);
  });

  it('app.exit() from a before-quit handler: no will-quit, windows closed without a close event', () => {
    const seen = events(electron);
    const win = new electron.BrowserWindow();
    win.on('close', () => void seen.push('close'));
    electron.app.once('before-quit', () => electron.app.exit(3));
    electron.app.quit();
    expect(seen).toEqual(['before-quit']);
    expect(win.isDestroyed()).toBe(true);
    expect(electron.app.exitCode).toBe(3);
  });

  it('setPath refuses a relative path or a folder that does not exist', () => {
    expect(() => electron.app.setPath('userData', 'relative')).toThrow(/absolute/);
    expect(() => electron.app.setPath('userData', path.join(dir(), 'missing'))).toThrow(/does not exist/);
    electron.app.setPath('userData', dir());
    expect(electron.app.getPath('userData')).toBe(dir());
    expect(electron.app.getPath('sessionData')).toBe(dir());
  });
});

describe('the tray app under these rules', () => {
  const launch = (signals = new EventEmitter(), platform: NodeJS.Platform = 'linux'): { controller: FakeController; signals: EventEmitter } => {
    const controller = new FakeController(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    app = startTrayApp(
      electron,
      { controller, ledger: { list: () => [] }, isProcessAlive: () => false, logsDir: dir(), logger: memoryLogger() },
      trayTestOptions(path.join(dir(), 'no-lima'), { watch: noWatch, signals, platform }),
    );
    return { controller, signals };
  };

  it('closing the picker, the last window, does not quit the tray app', async () => {
    launch();
    const seen = events(electron);
    app!.picker.show();
    const picker = FakeBrowserWindow.created.at(-1)!;
    await vi.waitFor(() => expect(picker.visible).toBe(true));
    picker.close();
    expect(picker.isDestroyed()).toBe(true);
    expect(seen).toEqual(['window-all-closed']);
    expect(electron.app.quitCalls).toBe(0);
    expect(app!.quit.state()).toBe('running');
  });

  it('Cmd-Q with the picker open: the quit is held before any window closes; the exit comes after the teardown, without will-quit', async () => {
    const { controller } = launch();
    const seen = events(electron);
    app!.picker.show();
    const picker = FakeBrowserWindow.created.at(-1)!;
    await vi.waitFor(() => expect(picker.visible).toBe(true));
    electron.app.quit();
    expect(seen).toEqual(['before-quit']);
    expect(picker.isDestroyed()).toBe(false);
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(controller.teardownCalls).toBe(1);
    expect(picker.isDestroyed()).toBe(true);
    expect(seen).toEqual(['before-quit']);
  });

  it('Linux tray: a GNOME click only shows the menu (no click event), and the menu offers Profiles…; a KDE activation opens the picker', async () => {
    launch();
    const tray = FakeTray.created.at(-1)!;
    expect(tray.userClick('linux')).toBe('menu');
    expect(FakeBrowserWindow.created).toHaveLength(0);
    expect(tray.contextMenu().has(TRAY_ITEM.openProfiles)).toBe(true);
    tray.contextMenu().click(TRAY_ITEM.openProfiles);
    expect(FakeBrowserWindow.created).toHaveLength(1);
    FakeBrowserWindow.created[0]!.destroy();
    expect(tray.userClick('linux', true)).toBe('click');
    expect(FakeBrowserWindow.created).toHaveLength(2);
  });

  it('Windows tray: a left click pops up the menu (Windows shows none by itself)', () => {
    launch(new EventEmitter(), 'win32');
    const tray = FakeTray.created.at(-1)!;
    expect(tray.userClick('win32')).toBe('click');
    expect(tray.popUps).toBe(1);
  });
});
