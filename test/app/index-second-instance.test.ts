// main/index.ts when another instance already holds the single-instance lock:
// it quits at once and starts nothing (its own file: index.ts starts on import).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { FakeTray, mockedElectron } from '../fixtures/electron-fake.js';

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

it('a second instance quits at once and starts nothing', async () => {
  const fake = mockedElectron();
  fake.app.singleInstanceLock = false;
  await import('../../main/index.ts');
  expect(fake.app.quitCalls).toBe(1);
  expect(fake.app.listenerCount('before-quit')).toBe(0);
  expect(fake.app.dock?.isVisible()).toBe(true);
  fake.app.markReady();
  await new Promise((r) => setTimeout(r, 20));
  expect(FakeTray.created).toHaveLength(0);
});
