// The built bundles load where they will run: dist/main.cjs in plain Node with
// a stub `electron` (electron-stack.md §4) registers its app.whenReady handler
// and does nothing else before Electron is ready; the quit window ships its
// page and a self-contained CJS preload that a sandboxed window can load.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN_BUNDLE = path.resolve('dist', 'main.cjs');
const LOADER = path.resolve('test', 'fixtures', 'load-bundle-with-stub-electron.cjs');

/** The newest of our own sources that went into the bundle (read from its source map). */
function newestBundledSource(bundle: string): { file: string; mtimeMs: number } {
  const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[] };
  let newest = { file: '', mtimeMs: 0 };
  for (const source of map.sources) {
    const file = path.resolve(path.dirname(bundle), source);
    if (file.includes(`${path.sep}node_modules${path.sep}`) || !existsSync(file)) continue;
    const mtimeMs = statSync(file).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/**
 * Every module the bundle still requires at run time. A `require("…")` that
 * starts a string or template literal is ajv's code-generation text, which
 * never runs (electron-stack.md §4), so it does not count.
 */
function requiredModules(code: string): string[] {
  return [...new Set([...code.matchAll(/(?<![`'"])\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))].sort();
}

const isBuiltin = (m: string): boolean => m.startsWith('node:') || builtinModules.includes(m);

describe('bundle smoke test', () => {
  it('dist/main.cjs is built from the current sources', () => {
    expect(existsSync(MAIN_BUNDLE), 'dist/main.cjs is missing: run `npm run build` first').toBe(true);
    const newest = newestBundledSource(MAIN_BUNDLE);
    expect(newest.file).toMatch(/main[\\/]index\.ts$|\.ts$/);
    expect(statSync(MAIN_BUNDLE).mtimeMs, `dist/main.cjs is older than ${newest.file}: run \`npm run build\``).toBeGreaterThanOrEqual(newest.mtimeMs);
  });

  it('loads in Node with a stub electron and registers its whenReady handler, nothing more', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'bundle-smoke-home-'));
    let out: string;
    try {
      out = execFileSync(process.execPath, [LOADER, MAIN_BUNDLE], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, COLIMA_K8S_HOME: home } });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    const seen = JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;
    // Before the lock and before ready: Electron's userData, sessionData and crash dumps are a subfolder of the app home the CLI uses.
    const chromium = path.join(home, 'electron');
    expect(seen.setPaths).toEqual([`userData=${chromium}`, `sessionData=${chromium}`, `crashDumps=${path.join(chromium, 'Crashpad')}`]);
    expect(seen).toMatchObject({ loaded: true, singleInstanceLockRequests: 1, dockHidden: true, whenReadyCalls: 1, readyHandlers: 1, quitCalls: 0 });
    // Windows, the tray and every listener come after ready: the stub saw none of them.
    expect(seen.otherCalls).toEqual([]);
  });

  it('needs nothing at run time but Node built-ins and electron (the asar holds no node_modules)', () => {
    const modules = requiredModules(readFileSync(MAIN_BUNDLE, 'utf8'));
    expect(modules.filter((m) => !isBuiltin(m) && m !== 'electron')).toEqual([]);
    expect(modules).toContain('electron');
  });

  it("ships the quit window: its page and style next to the bundles, and a preload whose only require is electron (sandbox)", () => {
    // Built by build/bundle.mjs (dist/quit-preload.cjs, dist/quit-window/); missing files mean bundle.mjs lacks those steps.
    const preload = path.resolve('dist', 'quit-preload.cjs');
    expect(existsSync(preload), 'dist/quit-preload.cjs is missing: build/bundle.mjs must bundle main/app/windows/quit-window/preload.ts').toBe(true);
    expect(requiredModules(readFileSync(preload, 'utf8'))).toEqual(['electron']);
    for (const file of ['quit.html', 'quit.css']) {
      const shipped = path.resolve('dist', 'quit-window', file);
      expect(existsSync(shipped), `dist/quit-window/${file} is missing: build/bundle.mjs must copy main/app/windows/quit-window/${file}`).toBe(true);
      expect(readFileSync(shipped, 'utf8')).toBe(readFileSync(path.resolve('main', 'app', 'windows', 'quit-window', file), 'utf8'));
    }
  });
});
