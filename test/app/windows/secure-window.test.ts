// Every window is hardened the same way (electron-stack.md §10) and created
// only when first asked for.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../main/core/log.js';
import { quitWindowSpec } from '../../../main/app/windows/quit-window/quit-window.js';
import { denyAllPermissions, lazyWindow, openSecureWindow, pickerWindowSpec } from '../../../main/app/windows/secure-window.js';
import { createElectronFake, FakeBrowserWindow } from '../../fixtures/electron-fake.js';

// The repository's own pages (the quit window's from `npm run build`): the fake, like Electron, fails a missing file.
const PICKER = { html: path.resolve('renderer/index.html'), preload: path.resolve('dist/preload.cjs') };
const QUIT = { html: path.resolve('dist/quit-window/quit.html'), preload: path.resolve('dist/quit-preload.cjs') };
const UNPACKAGED = { devTools: true };

const EXPECTED_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  disableBlinkFeatures: 'Auxclick',
  spellcheck: false,
  devTools: true,
};

describe('secure windows', () => {
  it.each([
    ['picker', pickerWindowSpec(PICKER), PICKER],
    ['quit', quitWindowSpec(QUIT), QUIT],
  ] as const)('the %s window gets every secure webPreferences flag, its preload and only its file', async (_name, spec, files) => {
    const electron = createElectronFake();
    const win = openSecureWindow(electron.BrowserWindow, spec, memoryLogger(), UNPACKAGED) as FakeBrowserWindow;
    expect(win.options.webPreferences).toEqual({ ...EXPECTED_PREFERENCES, preload: files.preload });
    expect(win.options.show).toBe(false);
    expect(win.loadedFile).toBe(files.html);
    await Promise.resolve();
    expect(win.visible).toBe(true);
    expect(win.webContents.url).toBe(`file://${files.html}`);
  });

  it('a packaged build gets no DevTools (the caller passes !app.isPackaged)', () => {
    const electron = createElectronFake();
    const win = openSecureWindow(electron.BrowserWindow, pickerWindowSpec(PICKER), memoryLogger(), { devTools: false }) as FakeBrowserWindow;
    expect(win.options.webPreferences).toEqual({ ...EXPECTED_PREFERENCES, devTools: false, preload: PICKER.preload });
  });

  it('a page that cannot be loaded fails like in Electron (did-fail-load, then a logged rejection) and is never shown', async () => {
    const electron = createElectronFake();
    const logger = memoryLogger();
    const failures: number[] = [];
    const missing = { ...PICKER, html: path.resolve('renderer/no-such-page.html') };
    const win = openSecureWindow(electron.BrowserWindow, pickerWindowSpec(missing), logger, UNPACKAGED) as FakeBrowserWindow;
    win.webContents.on('did-fail-load', (_e: unknown, code: number) => failures.push(code));
    await new Promise((r) => setImmediate(r));
    expect(failures).toEqual([-6]);
    expect(win.visible).toBe(false);
    expect(logger.lines.some((l) => l.includes('could not load') && l.includes('ERR_FILE_NOT_FOUND'))).toBe(true);
  });

  it('callers cannot weaken webPreferences: the spec has no say in them', () => {
    const electron = createElectronFake();
    const spec = { ...pickerWindowSpec(PICKER), options: { ...pickerWindowSpec(PICKER).options, webPreferences: { nodeIntegration: true, sandbox: false } } };
    const win = openSecureWindow(electron.BrowserWindow, spec, memoryLogger(), UNPACKAGED) as FakeBrowserWindow;
    expect(win.options.webPreferences).toMatchObject({ nodeIntegration: false, sandbox: true, contextIsolation: true });
  });

  it('new windows are denied; navigation, redirects and webviews are prevented', () => {
    const electron = createElectronFake();
    const win = openSecureWindow(electron.BrowserWindow, pickerWindowSpec(PICKER), memoryLogger(), UNPACKAGED) as FakeBrowserWindow;
    expect(win.webContents.requestNewWindow('https://evil.example/')).toEqual({ action: 'deny' });
    expect(win.webContents.requestNewWindow('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(win.webContents.navigate('https://evil.example/')).toBe(true);
    expect(win.webContents.navigate('file:///app/renderer/other.html')).toBe(true);
    expect(win.webContents.navigate('https://evil.example/', 'will-redirect')).toBe(true);
    expect(win.webContents.attachWebview()).toBe(true);
    expect(win.webContents.url).toBe('');
  });

  it('every permission request and check is denied', async () => {
    const electron = createElectronFake();
    const session = electron.session.defaultSession;
    const win = new FakeBrowserWindow({});
    expect(await session.requestPermission('media', win.webContents)).toBe(true); // Electron's default without a handler
    denyAllPermissions(session);
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal'] as const) {
      expect(await session.requestPermission(permission, win.webContents)).toBe(false);
    }
    expect(session.checkPermission('media', win.webContents)).toBe(false);
  });

  it('the quit window stays on top and cannot be resized, minimised or closed by the user', () => {
    expect(quitWindowSpec(QUIT).options).toMatchObject({ alwaysOnTop: true, resizable: false, minimizable: false, maximizable: false, closable: false });
  });

  it('a lazy window is created on first show, reused (and focused) after, and created again once closed', () => {
    const electron = createElectronFake();
    const picker = lazyWindow(() => openSecureWindow(electron.BrowserWindow, pickerWindowSpec(PICKER), memoryLogger(), UNPACKAGED));
    expect(FakeBrowserWindow.created).toHaveLength(0);
    expect(picker.current()).toBeUndefined();
    const first = picker.show() as FakeBrowserWindow;
    expect(FakeBrowserWindow.created).toHaveLength(1);
    first.minimized = true;
    expect(picker.show()).toBe(first);
    expect(first.minimized).toBe(false);
    expect(first.focusCalls).toBe(1);
    first.close();
    expect(picker.current()).toBeUndefined();
    const second = picker.show();
    expect(second).not.toBe(first);
    expect(FakeBrowserWindow.created).toHaveLength(2);
  });
});
