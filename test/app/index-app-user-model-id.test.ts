// main/index.ts on Windows sets the AppUserModelID to package.json's
// build.appId: electron-builder gives the Start menu shortcut that id, and
// Windows only shows the notifications of an app whose id matches its shortcut.
// Own file: index.ts starts on import; Electron is never made ready here.
import { readFileSync } from 'node:fs';
import { afterAll, expect, it, vi } from 'vitest';
import { mockedElectron } from '../fixtures/electron-fake.js';
import { useTempAppHomeForFile } from '../fixtures/temp-dir.js';

vi.mock('electron', async () => (await import('../fixtures/electron-fake.js')).electronModule());

useTempAppHomeForFile();

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
