// The quit window's page as Chromium renders it: the static quit.html (CSP
// `script-src 'none'`) drawn by the real preload code, bundled with a stand-in
// for ipcRenderer. Checks the rows, the warning, the buttons' messages, that the
// CSP reports nothing, and saves screenshots (light and dark) as artifacts.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUIT_WINDOW_CHOICE, QUIT_WINDOW_STATE, type QuitWindowState } from '../../../main/app/windows/quit-window/contract.js';

const CHROMIUM = '/usr/bin/chromium';
const QUIT_HTML = path.resolve('main', 'app', 'windows', 'quit-window', 'quit.html');
const SHOTS = path.resolve('test-results', 'screenshots');

/** ipcRenderer for the preload, backed by two arrays on window the test can read and drive. */
const IPC_STUB = `
  const w = globalThis;
  w.__listeners = [];
  w.__sent = [];
  export const ipcRenderer = {
    on: (channel, listener) => { w.__listeners.push([channel, listener]); },
    send: (channel, ...args) => { w.__sent.push([channel, ...args]); },
  };`;

async function preloadWithStubIpc(): Promise<string> {
  const result = await build({
    entryPoints: ['main/app/windows/quit-window/preload.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    plugins: [
      {
        name: 'stub-electron',
        setup(b) {
          b.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: IPC_STUB, loader: 'js' }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

describe('quit window page in Chromium', () => {
  let browser: Browser;
  let preload: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it).`);
    preload = await preloadWithStubIpc();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => browser?.close());

  async function open(colorScheme: 'light' | 'dark'): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 440, height: 300 }, colorScheme });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    // Runs before the page, in its own world, as Electron runs a preload (page CSP does not apply to it).
    await page.addInitScript(preload);
    await page.goto(pathToFileURL(QUIT_HTML).href);
    return { page, problems };
  }

  const push = (page: Page, state: QuitWindowState): Promise<void> =>
    page.evaluate(
      ([channel, s]) => {
        for (const [ch, listener] of (globalThis as unknown as { __listeners: [string, (e: unknown, s: unknown) => void][] }).__listeners) if (ch === channel) listener({}, s);
      },
      [QUIT_WINDOW_STATE, state] as const,
    );

  it.each(['light', 'dark'] as const)('shows each instance and its step, then the failure with Retry / Quit anyway (%s)', async (scheme) => {
    const { page, problems } = await open(scheme);
    await push(page, { phase: 'tearing-down', items: [{ profile: 'k8s', step: 'stopping' }, { profile: 'dev', step: 'done' }], remaining: [] });
    expect(await page.locator('#title').textContent()).toBe('Stopping and deleting your clusters…');
    expect(await page.locator('#items li').allTextContents()).toEqual(['k8sstopping…', 'devdone']);
    expect(await page.locator('#choices').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, `quit-window-progress-${scheme}.png`) });

    await push(page, {
      phase: 'failed',
      items: [{ profile: 'k8s', step: 'failed', message: 'stop did not finish' }, { profile: 'dev', step: 'done' }],
      remaining: [{ profile: 'k8s', reason: 'stop did not finish' }],
    });
    expect(await page.locator('#title').textContent()).toBe('Some clusters could not be removed');
    expect(await page.locator('#items li.failed').textContent()).toBe('k8sfailed: stop did not finish');
    expect(await page.locator('#warning').textContent()).toMatch(/^"Quit anyway" leaves k8s on this machine/);
    expect(await page.locator('#retry').evaluate((b) => b === document.activeElement)).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, `quit-window-failed-${scheme}.png`) });

    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('button', { name: 'Quit anyway' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { __sent: unknown[] }).__sent)).toEqual([
      [QUIT_WINDOW_CHOICE, 'retry'],
      [QUIT_WINDOW_CHOICE, 'quit-anyway'],
    ]);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('after a successful teardown, says the app collects nix garbage before it exits; no buttons', async () => {
    const { page, problems } = await open('light');
    await push(page, {
      phase: 'finishing',
      items: [{ profile: 'k8s', step: 'done' }],
      remaining: [],
      task: 'Collecting nix garbage…',
    });
    expect(await page.locator('#title').textContent()).toBe('Collecting nix garbage… The app exits when it is done.');
    expect(await page.locator('#items li').allTextContents()).toEqual(['k8sdone']);
    expect(await page.locator('#choices').isVisible()).toBe(false);
    expect(await page.locator('#warning').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, 'quit-window-finishing-light.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('its CSP lets no script run in the page itself', async () => {
    const { page, problems } = await open('light');
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'globalThis.__inline = 1';
      document.head.append(s);
    });
    expect(await page.evaluate(() => (globalThis as { __inline?: number }).__inline)).toBeUndefined();
    expect(problems.some((p) => /Content Security Policy/.test(p))).toBe(true);
    await page.close();
  });
});
