// main/index.ts when another instance already holds the single-instance lock:
// it quits at once and starts nothing (its own file: index.ts starts on import).
import { expect, it, vi } from 'vitest';
import { FakeTray, mockedElectron } from '../fixtures/electron-fake.js';
import { useTempAppHomeForFile } from '../fixtures/temp-dir.js';

vi.mock('electron', async () => (await import('../fixtures/electron-fake.js')).electronModule());

useTempAppHomeForFile();

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
