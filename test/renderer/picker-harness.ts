// Opens the BUILT picker window (renderer/index.html + renderer/dist/picker.js,
// from `npm run build`) over file:// in Debian's Chromium, with the stub of
// window.api (test/fixtures/picker-api-stub.ts) injected before any page script,
// as preload's contextBridge would. Collects console errors and page errors so
// every test can assert there were none (a CSP violation is a console error).
import { existsSync, mkdirSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect } from 'vitest';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { AppSnapshot, InstanceState, Profile } from '../../main/core/model.js';
import { DEFAULT_PROFILE } from '../../main/core/profiles/validate.js';
import type { IpcError, PickerAction, PickerState } from '../../preload/api-contract.js';
import type { PickerStubControl, StubCall } from '../fixtures/picker-api-stub.js';

export const CHROMIUM = '/usr/bin/chromium';
export const PICKER_HTML = path.resolve('renderer/index.html');
const PICKER_JS = path.resolve('renderer/dist/picker.js');
const STUB_SOURCE = path.resolve('test/fixtures/picker-api-stub.ts');
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

// electron-stack §7: flags that keep Chromium off the network and quiet.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  // Chromium is a real dependency of these tests (.ci/run installs it): missing, they fail, never skip.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it).`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Fails loudly when the bundle is missing or older than its sources: these tests check the build. */
export function assertRendererBuilt(): void {
  if (!existsSync(PICKER_JS)) throw new Error(`${PICKER_JS} is missing: run \`npm run build\` first.`);
  const built = statSync(PICKER_JS).mtimeMs;
  const sources = readdirSync('renderer').filter((f) => f.endsWith('.ts')).map((f) => path.join('renderer', f));
  const stale = sources.filter((f) => statSync(f).mtimeMs > built);
  if (stale.length > 0) throw new Error(`renderer/dist/picker.js is older than ${stale.join(', ')}: run \`npm run build\`.`);
}

let stubBundle: Promise<string> | undefined;
function stubScript(): Promise<string> {
  stubBundle ??= build({ entryPoints: [STUB_SOURCE], bundle: true, format: 'iife', globalName: '__pickerStubModule', platform: 'browser', target: 'chrome120', write: false }).then(
    (r) => r.outputFiles[0]!.text,
  );
  return stubBundle;
}

export function profile(overrides: Partial<Profile> & { name: string }): Profile {
  return { ...DEFAULT_PROFILE, images: [], ...overrides };
}

export function instance(profileName: string, phase: InstanceState['phase'], extra: Partial<InstanceState> = {}): InstanceState {
  return { profile: profileName, phase, startedByApp: true, ...extra };
}

/** Two profiles on an 8-core, 16 GiB Mac: "k8s" (active, the seed defaults) and "light". */
export function sampleState(patch: Partial<AppSnapshot> = {}, platform = 'darwin'): PickerState {
  const snapshot: AppSnapshot = {
    profiles: [profile({ name: 'k8s' }), profile({ name: 'light', cpus: 2, memoryGiB: 4, diskGiB: 40, kubernetes: false, networkAddress: false })],
    activeProfile: 'k8s',
    instances: {},
    environment: { kind: 'ready', fromCache: true, shellNix: '/app/shell.nix' },
    host: { cpus: 8, memoryGiB: 16 },
    ...patch,
  };
  return { snapshot, platform, quitting: false };
}

export interface PickerPage {
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far. */
  readonly problems: string[];
  calls(): Promise<StubCall[]>;
  callsOf(action: PickerAction): Promise<StubCall[]>;
  push(patch: Partial<AppSnapshot>): Promise<void>;
  setInstance(profileName: string, state: InstanceState | null): Promise<void>;
  failNext(action: PickerAction, error: IpcError): Promise<void>;
  rejectNext(action: PickerAction, message: string): Promise<void>;
  /** Main's quit phase: true from the first quit request until the exit. */
  setQuitting(quitting: boolean): Promise<void>;
  close(): Promise<void>;
}

type StubWindow = Window & { __pickerStub: PickerStubControl };

export interface OpenPickerOptions {
  readonly colorScheme?: 'light' | 'dark';
  readonly width?: number;
  readonly height?: number;
}

/** Opens the picker at the window's default size (main/app/windows.ts: 820×600). */
export async function openPicker(browser: Browser, state: PickerState, options: OpenPickerOptions = {}): Promise<PickerPage> {
  assertRendererBuilt();
  const context = await browser.newContext({ viewport: { width: options.width ?? 820, height: options.height ?? 600 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const init = `__pickerStubModule.installPickerApiStub(window, ${JSON.stringify(state)});`;
  await page.addInitScript({ content: `${await stubScript()}\n${init}` });
  await page.goto(pathToFileURL(PICKER_HTML).href);
  await page.locator('body[data-ready="true"]').waitFor();
  const calls = () => page.evaluate(() => (window as unknown as StubWindow).__pickerStub.calls);
  return {
    page,
    problems,
    calls,
    callsOf: async (action) => (await calls()).filter((c) => c.action === action),
    push: (patch) => page.evaluate((p) => (window as unknown as StubWindow).__pickerStub.push(p), patch),
    setInstance: (name, inst) => page.evaluate(([n, i]) => (window as unknown as StubWindow).__pickerStub.setInstance(n, i), [name, inst] as const),
    failNext: (action, error) => page.evaluate(([a, e]) => (window as unknown as StubWindow).__pickerStub.failNext(a, e), [action, error] as const),
    rejectNext: (action, message) => page.evaluate(([a, m]) => (window as unknown as StubWindow).__pickerStub.rejectNext(a, m), [action, message] as const),
    setQuitting: (quitting) => page.evaluate((q) => (window as unknown as StubWindow).__pickerStub.setQuitting(q), quitting),
    close: () => context.close(),
  };
}

/**
 * One Chromium for the calling describe block: launched before its tests and
 * closed after them. Returns openPicker on that browser.
 */
export function useChromium(): (state: PickerState, options?: OpenPickerOptions) => Promise<PickerPage> {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());
  return (state, options) => {
    if (!browser) throw new Error('Chromium is not running: open pickers inside the tests of the describe block that called useChromium()');
    return openPicker(browser, state, options);
  };
}

/** Ends a test: no console or page error was seen in the picker, then its window closes. */
export async function closeWithoutProblems(picker: PickerPage): Promise<void> {
  expect(picker.problems).toEqual([]);
  await picker.close();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
