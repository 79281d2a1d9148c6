// main/index.ts on Windows sets the AppUserModelID to package.json's
// build.appId: electron-builder gives the Start menu shortcut that id, and
// Windows only shows the notifications of an app whose id matches its shortcut.
// Own file: index.ts starts on import; Electron is never made ready here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { mockedElectron } from '../fixtures/electron-fake.js';

vi.mock('electron', async () => (await import('../fixtures/electron-fake.js')).electronModule());

// index.ts makes the app home before the lock (Electron's userData): never the real one.
const home = mkdtempSync(path.join(os.tmpdir(), 'index-home-'));
const savedHome = process.env.COLIMA_K8S_HOME;
process.env.COLIMA_K8S_HOME = home;
afterAll(() => {
  if (savedHome === undefined) delete process.env.COLIMA_K8S_HOME;
  else process.env.COLIMA_K8S_HOME = savedHome;
  rmSync(home, { recursive: true, force: true });
});

const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
afterAll(() => Object.defineProperty(process, 'platform', platform));

it('on win32, app.setAppUserModelId gets package.json build.appId, before Electron is ready', async () => {
  const { build } = JSON.parse(readFileSync('package.json', 'utf8')) as { build: { appId: string } };
  const fake = mockedElectron();
  Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
  try {
    await import('../../main/index.ts');
  } finally {
    Object.defineProperty(process, 'platform', platform);
  }
  expect(build.appId).toBe('io.github.colima-k8s-nix.app');
  expect(fake.app.appUserModelId).toBe(build.appId);
  expect(fake.app.isReady()).toBe(false);
});
