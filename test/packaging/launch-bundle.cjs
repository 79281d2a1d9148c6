// node launch-bundle.cjs <main bundle>
// Launches an Electron main bundle in plain Node with `electron` replaced by a
// plain-object stub whose app is ready at once (electron-stack.md §4, §6), then
// opens the picker (a tray click, as on Linux) and quits (before-quit). Prints
// one JSON line: every file the app asked for — tray icons (nativeImage),
// window preloads and pages (BrowserWindow, loadFile) and the shell.nix it
// looked up — so a test can check they exist in the layout the bundle runs in.
//
// LAUNCH_RESOURCES_PATH set: a packaged app (app.isPackaged, process.resourcesPath).
// The environment must make nix fail fast (e.g. COLIMA_K8S_NIX_SHELL = the fake
// nix that only answers --version): the quit's teardown then fails, which
// shows the quit window — the only way to make the app open it without a VM.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const resourcesPath = process.env.LAUNCH_RESOURCES_PATH || undefined;
if (resourcesPath) process.resourcesPath = resourcesPath;

const seen = { trayIcons: [], windows: [], shellNixLookups: [], errorBoxes: [], exitCode: null, timedOut: false };

// shell.nix is looked up with existsSync (packaged) and statSync (before nix runs).
const realExistsSync = fs.existsSync;
for (const name of ['existsSync', 'statSync']) {
  const real = fs[name];
  fs[name] = function (file, ...rest) {
    if (typeof file === 'string' && path.basename(file) === 'shell.nix' && !seen.shellNixLookups.includes(file)) seen.shellNixLookups.push(file);
    return real.call(this, file, ...rest);
  };
}

const listeners = new Map();
const addListener = (target) => (event, fn) => {
  const key = `${target}:${event}`;
  listeners.set(key, [...(listeners.get(key) ?? []), fn]);
};
const emit = (key, ...args) => (listeners.get(key) ?? []).forEach((fn) => fn(...args));
const noop = () => {};

let webContentsIds = 0;
class BrowserWindow {
  constructor(options) {
    this.record = { preload: options.webPreferences?.preload, html: undefined };
    seen.windows.push(this.record);
    this.webContents = { id: ++webContentsIds, setWindowOpenHandler: noop, send: noop, on: noop };
  }
  loadFile(file) {
    this.record.html = file;
    return Promise.resolve();
  }
  show() {}
  focus() {}
  close() {}
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  once() {}
  on() {}
}

const trays = [];
class Tray {
  constructor() {
    this.on = addListener(`tray${trays.length}`);
    trays.push(this);
  }
  setImage() {}
  setToolTip() {}
  setContextMenu() {}
  destroy() {}
  popUpContextMenu() {}
}

class Notification {
  static isSupported() {
    return false;
  }
  show() {}
  on() {}
}

const stub = {
  app: {
    isPackaged: Boolean(resourcesPath),
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    dock: { hide: noop },
    quit: noop,
    exit(code) {
      seen.exitCode = code;
    },
    on: addListener('app'),
    once: addListener('app'),
    focus: noop,
    setAppUserModelId: noop,
    getPath: () => '/nonexistent',
    getVersion: () => '0.0.0',
    getLoginItemSettings: () => ({ openAtLogin: false }),
    setLoginItemSettings: noop,
  },
  ipcMain: { on: noop, handle: noop, removeListener: noop, removeHandler: noop },
  nativeImage: {
    createFromPath(file) {
      seen.trayIcons.push(file);
      return { isEmpty: () => !realExistsSync(file), setTemplateImage: noop };
    },
  },
  Tray,
  Menu: { buildFromTemplate: (template) => template, setApplicationMenu: noop },
  BrowserWindow,
  Notification,
  powerMonitor: { on: noop },
  session: { defaultSession: { setPermissionRequestHandler: noop, setPermissionCheckHandler: noop } },
  shell: { openPath: async () => '' },
  dialog: {
    showErrorBox(title, message) {
      seen.errorBoxes.push(`${title}: ${message}`);
    },
  },
};

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'electron' ? stub : load.call(this, request, ...rest);
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(done, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (done()) return true;
  return false;
}

async function main() {
  require(path.resolve(process.argv[2]));
  if (!(await until(() => trays.length > 0 || seen.exitCode !== null, 15_000))) seen.timedOut = true;
  if (trays.length > 0) {
    emit('tray0:click'); // Linux: a tray click opens the picker
    emit('app:before-quit', { preventDefault: noop });
    if (!(await until(() => seen.windows.length >= 2 || seen.exitCode !== null, 15_000))) seen.timedOut = true;
  }
  process.stdout.write(`${JSON.stringify(seen)}\n`);
  process.exit(0);
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ ...seen, crashed: String(e && e.stack ? e.stack : e) })}\n`);
  process.exit(1);
});
