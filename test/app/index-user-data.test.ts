// main/index.ts points Electron's userData at a subfolder (`electron/`) of the
// app home the CLI resolves. Packaged, Electron names userData after
// package.json's productName ("Colima K8s Nix"), in development after `name`;
// the CLI (main/cli.ts) uses resolveAppHome. Without app.setPath the tray's
// Chromium data would sit in another folder than the one ledger and settings
// file the tray and the CLI share; and in the home itself, Chromium's own files
// (Local State, Singleton* locks, caches, Crashpad) would lie beside them.
// Own file: index.ts starts on import; Electron is never made ready here.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { resolveAppHome } from '../../main/core/paths.js';
import { mockedElectron } from '../fixtures/electron-fake.js';

vi.mock('electron', async () => (await import('../fixtures/electron-fake.js')).electronModule());

const KEYS = ['HOME', 'COLIMA_K8S_HOME', 'XDG_CONFIG_HOME'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
const home = mkdtempSync(path.join(os.tmpdir(), 'user-data-home-'));
afterAll(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(home, { recursive: true, force: true });
});

it("Electron's userData is a subfolder of the CLI's app home (one ledger and settings file), set before the lock and before ready", async () => {
  for (const k of KEYS) delete process.env[k];
  process.env.HOME = home;
  const fake = mockedElectron();
  // What a packaged app's Electron would use by itself: <appData>/<productName>.
  expect(fake.app.getPath('userData')).toBe(path.join(fake.app.getPath('appData'), 'Colima K8s Nix'));
  let lockedWith: string | undefined;
  const request = fake.app.requestSingleInstanceLock.bind(fake.app);
  fake.app.requestSingleInstanceLock = () => {
    lockedWith = fake.app.getPath('userData');
    return request();
  };

  await import('../../main/index.ts');

  const cliHome = resolveAppHome(process.env);
  expect(cliHome).toBe(process.platform === 'darwin' ? path.join(home, 'Library', 'Application Support', 'colima-k8s-nix') : path.join(home, '.config', 'colima-k8s-nix'));
  const chromium = path.join(cliHome, 'electron');
  expect(fake.app.getPath('userData')).toBe(chromium);
  // Electron keeps its single-instance lock (SingletonLock, …) in userData: taken under the shared home, not beside settings.json.
  expect(lockedWith).toBe(chromium);
  // Chromium's caches and storage (Cache, GPUCache, Local Storage, …) stay out of the folder the CLI reads.
  expect(fake.app.getPath('sessionData')).toBe(chromium);
  expect(existsSync(chromium)).toBe(true);
  // Crashpad's reports too: by default they would be `<userData>/Crashpad`, beside settings.json and ledger.json.
  expect(fake.app.getPath('crashDumps')).toBe(path.join(cliHome, 'electron', 'Crashpad'));
  expect(existsSync(path.join(cliHome, 'electron', 'Crashpad'))).toBe(true);
  expect(fake.app.setPathCalls.map((c) => c.name)).toEqual(['userData', 'sessionData', 'crashDumps']);
  expect(fake.app.isReady()).toBe(false);
});
