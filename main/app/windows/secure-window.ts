// Folder windows/: every BrowserWindow (the profile picker, the quit window in
// quit-window/) and the application menu; this file hardens and opens them.
//
// Every window the app opens comes from here, with the same hardening
// (electron-stack.md §10): sandboxed, context-isolated, no Node, web security
// on, no new windows, no navigation, no webviews, every permission denied.
// Windows are created lazily: a tray app should cost nothing until asked.
import type {
  BrowserWindow as ElectronBrowserWindow,
  BrowserWindowConstructorOptions,
  Session,
  WebContents,
} from 'electron';
import type { Logger } from '../../core/log.js';

/** The members of WebContents the app uses (the real one and the test fake both fit). */
export interface WebContentsLike {
  readonly id: number;
  setWindowOpenHandler: WebContents['setWindowOpenHandler'];
  send(channel: string, ...args: unknown[]): void;
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'did-finish-load', listener: () => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { readonly reason: string }) => void): unknown;
  on(
    event: 'did-fail-load',
    listener: (event: unknown, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean) => void,
  ): unknown;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadFile: ElectronBrowserWindow['loadFile'];
  show(): void;
  focus(): void;
  close(): void;
  /** Closes without a 'close' event (a crashed window that must go). */
  destroy(): void;
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
}

export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindowLike;

/** No new windows, no navigation away from the loaded file, no <webview>. */
export function hardenWebContents(contents: WebContentsLike): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The app asks for no permission (camera, notifications from pages, ...): deny them all. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export interface SecureWindowSpec {
  /** Window options except webPreferences, which openSecureWindow always sets itself. */
  readonly options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>;
  readonly html: string;
  readonly preload: string;
}

export interface SecureWindowOptions {
  /** Whether DevTools may open: only in unpackaged builds (`!app.isPackaged`). */
  readonly devTools: boolean;
}

export function openSecureWindow(BrowserWindow: BrowserWindowConstructor, spec: SecureWindowSpec, logger: Logger, options: SecureWindowOptions): BrowserWindowLike {
  // The one set of webPreferences for every window; callers cannot weaken it. Written
  // literally at the constructor so static scanners (electronegativity) can see it.
  const win = new BrowserWindow({
    ...spec.options,
    show: false,
    webPreferences: {
      preload: spec.preload,
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
      // Middle-click opens links in new windows even with setWindowOpenHandler (electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      // A packaged app has no DevTools: they would let anyone at the keyboard script the IPC.
      devTools: options.devTools,
    },
  });
  hardenWebContents(win.webContents);
  win.once('ready-to-show', () => {
    if (!win.isDestroyed()) win.show();
  });
  win.loadFile(spec.html).catch((e: unknown) => logger.log('error', `could not load ${spec.html}: ${String(e)}`));
  return win;
}

/** A window that exists at most once, created on first show, forgotten when closed. */
export interface LazyWindow {
  show(): BrowserWindowLike;
  current(): BrowserWindowLike | undefined;
}

export function lazyWindow(create: () => BrowserWindowLike): LazyWindow {
  let win: BrowserWindowLike | undefined;
  return {
    show() {
      if (!win || win.isDestroyed()) {
        const created = create();
        created.on('closed', () => {
          if (win === created) win = undefined;
        });
        win = created;
        return created;
      }
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
      return win;
    },
    current: () => (win && !win.isDestroyed() ? win : undefined),
  };
}

export interface PickerWindowFiles {
  /** renderer/index.html */
  readonly html: string;
  /** dist/preload.cjs */
  readonly preload: string;
}

export function pickerWindowSpec(files: PickerWindowFiles): SecureWindowSpec {
  return {
    html: files.html,
    preload: files.preload,
    options: {
      title: 'Profiles — colima-k8s-nix',
      width: 820,
      height: 600,
      minWidth: 560,
      minHeight: 420,
      autoHideMenuBar: true,
    },
  };
}
