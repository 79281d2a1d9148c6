// The app under real Electron, driven by Playwright's _electron: it runs
// wherever the Electron binary exists and is skipped here, with the reason
// printed. REQUIRE_ELECTRON_E2E=1 makes the binary mandatory (the presence test
// fails without it). On Linux run it under a display, e.g. `xvfb-run -a npm test`.
//
// The binary is found without loading the `electron` package, whose index.js
// would try to download it (electron-stack.md §3, §8).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createIntegrationEnv, type IntegrationEnv } from '../fixtures/integration-env.js';

const ROOT = path.resolve('.');

function electronBinary(): string | null {
  const require = createRequire(path.join(ROOT, 'package.json'));
  let dir: string;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathTxt = path.join(dir, 'path.txt'); // written by electron's install.js after a download
  if (!existsSync(pathTxt)) return null;
  const exe = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), readFileSync(pathTxt, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

const exe = electronBinary();
const required = process.env.REQUIRE_ELECTRON_E2E === '1';
const SKIP_REASON = 'no Electron binary on this machine (node_modules/electron has no downloaded dist; `npx install-electron` fetches it)';

it('the Electron binary is found when present, and required when REQUIRE_ELECTRON_E2E=1', () => {
  if (required) expect(exe, `REQUIRE_ELECTRON_E2E=1 but ${SKIP_REASON}`).not.toBeNull();
  if (!exe) console.log(`e2e-electron: skipped: ${SKIP_REASON}. Set REQUIRE_ELECTRON_E2E=1 to make this a failure.`);
  expect(exe === null || existsSync(exe)).toBe(true);
});

describe.skipIf(!exe)(`the app under real Electron${exe ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let env: IntegrationEnv | undefined;
  afterEach(() => env?.cleanup());

  it('starts with a tray and no window, opens a hardened picker, and quits through teardown with exit code 0', async () => {
    env = createIntegrationEnv();
    const app = await _electron.launch({
      executablePath: exe!,
      args: [ROOT],
      env: { ...env.env, ...(process.env.DISPLAY ? { DISPLAY: process.env.DISPLAY } : {}), ...(process.env.XAUTHORITY ? { XAUTHORITY: process.env.XAUTHORITY } : {}) },
      timeout: 60_000,
    });
    try {
      // Windows are lazy: none at launch.
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(0);

      // A second launch (here: its event) opens the picker.
      void app.evaluate(({ app: electronApp }) => void electronApp.emit('second-instance'));
      const picker = await app.firstWindow();
      await picker.waitForLoadState('domcontentloaded');
      expect(picker.url()).toBe(`file://${path.join(ROOT, 'renderer', 'index.html')}`);
      // The page sees no Node (sandbox, contextIsolation, no nodeIntegration) and cannot open windows.
      expect(await picker.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
        'undefined',
        'undefined',
      ]);
      expect(await picker.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

      const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
      void app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => {});
      expect(await exited).toBe(0);
    } finally {
      if (app.process().exitCode === null) await app.close().catch(() => {});
    }
  }, 120_000);
});
