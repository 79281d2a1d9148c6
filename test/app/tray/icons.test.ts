// The tray icons: one per state, a macOS template set (black + alpha, 16 px and
// @2x 32 px) and a coloured set for Linux/Windows; the committed PNGs are
// exactly what build/make-icons.mjs draws; each state has its own picture.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trayIconFile, trayIconSet, trayIconsDir } from '../../../main/app/tray/icons.js';
import { isAppError } from '../../../main/core/errors.js';
import { fakeNativeImage } from '../../fixtures/electron-fake.js';
import { TRAY_ICON_STATES } from '../../../main/app/tray/tray-status.js';
import { decodeRgbaPng } from '../../packaging/png.js';

const DIR = path.resolve('build', 'tray');
const fresh = mkdtempSync(path.join(os.tmpdir(), 'tray-icons-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

/** A square icon's size and RGBA pixels (test/packaging/png.ts checks the PNG structure). */
function decodePng(file: string): { size: number; rgba: Buffer } {
  const image = decodeRgbaPng(readFileSync(file));
  expect(image.height).toBe(image.width);
  return { size: image.width, rgba: image.rgba };
}

describe('tray icons', () => {
  it('the committed icons are exactly what build/make-icons.mjs draws', () => {
    execFileSync(process.execPath, ['build/make-icons.mjs', '--out', fresh]);
    const committed = readdirSync(DIR).sort();
    expect(committed).toEqual(readdirSync(fresh).sort());
    for (const name of committed) expect(readFileSync(path.join(DIR, name)).equals(readFileSync(path.join(fresh, name))), name).toBe(true);
  });

  it.each(TRAY_ICON_STATES)('%s: template (black + alpha) and coloured, at 16 px and @2x 32 px', (state) => {
    for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
      const template = decodePng(path.join(DIR, `tray-${state}Template${suffix}.png`));
      expect(template.size).toBe(size);
      let ink = 0;
      for (let i = 0; i < template.rgba.length; i += 4) {
        expect([template.rgba[i], template.rgba[i + 1], template.rgba[i + 2]]).toEqual([0, 0, 0]);
        if (template.rgba[i + 3]! > 128) ink++;
      }
      expect(ink).toBeGreaterThan(size); // something is drawn
      const colour = decodePng(path.join(DIR, `tray-${state}${suffix}.png`));
      expect(colour.size).toBe(size);
      const opaque = [...Array(size * size).keys()].map((p) => p * 4).find((o) => colour.rgba[o + 3] === 255)!;
      // Mid-tone, visible on light and dark panels: neither near-black nor near-white.
      const lightness = (colour.rgba[opaque]! + colour.rgba[opaque + 1]! + colour.rgba[opaque + 2]!) / 3;
      expect(lightness).toBeGreaterThan(60);
      expect(lightness).toBeLessThan(200);
    }
  });

  it('every state has a different picture', () => {
    const shapes = TRAY_ICON_STATES.map((s) => readFileSync(path.join(DIR, `tray-${s}Template@2x.png`)).toString('base64'));
    expect(new Set(shapes).size).toBe(TRAY_ICON_STATES.length);
  });

  it('macOS loads the template files, other platforms the coloured ones; packaged apps read them from resources', () => {
    expect(trayIconFile('/r/tray', 'running', 'darwin')).toBe('/r/tray/tray-runningTemplate.png');
    expect(trayIconFile('/r/tray', 'running', 'linux')).toBe('/r/tray/tray-running.png');
    expect(trayIconFile('/r/tray', 'error', 'win32')).toBe('/r/tray/tray-error.png');
    expect(trayIconsDir({ isPackaged: true, resourcesPath: '/opt/app/resources', appRoot: '/x' })).toBe('/opt/app/resources/tray');
    expect(trayIconsDir({ isPackaged: false, appRoot: '/src/app' })).toBe('/src/app/build/tray');
  });

  it('a missing icon fails loudly (an invisible tray could not even be quit), naming the file and the fix', () => {
    const icons = trayIconSet(fakeNativeImage, '/nonexistent/tray', 'linux');
    let error: unknown;
    try {
      icons.get('running');
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, 'NOT_FOUND')).toBe(true);
    expect(String((error as Error).message)).toMatch(/\/nonexistent\/tray\/tray-running\.png .*Reinstall/);
    expect(trayIconSet(fakeNativeImage, DIR, 'linux').get('running').path).toBe(path.join(DIR, 'tray-running.png'));
  });
});
