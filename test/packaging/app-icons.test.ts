// The application icons in build/: icon.png (1024 px, mac dmg and Windows nsis)
// and the Linux set build/icons/<N>x<N>.png. The committed files are exactly
// what build/make-app-icons.mjs draws, have the sizes their names and the
// packaging config promise, and show the tray's hexagon on a rounded square.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRgbaPng, pixelAt, readPngHeader } from './png.js';

const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512];
const ICON_FILES = ['icon.png', ...LINUX_SIZES.map((n) => `icons/${n}x${n}.png`)];
/** The tray's "running" green (build/make-icons.mjs COLOURS.running), the app icon's core. */
const RUNNING_GREEN = [46, 160, 67];

const fresh = mkdtempSync(path.join(os.tmpdir(), 'app-icons-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

const committed = (name: string): Buffer => readFileSync(path.join('build', name));

describe('app icons', () => {
  it('the committed icons are exactly what build/make-app-icons.mjs draws', () => {
    execFileSync(process.execPath, ['build/make-app-icons.mjs', '--out', fresh], { timeout: 60_000 });
    expect(readdirSync(path.join(fresh, 'icons')).sort()).toEqual(readdirSync(path.join('build', 'icons')).sort());
    for (const name of ICON_FILES) {
      expect(existsSync(path.join(fresh, name)), `make-app-icons did not write ${name}`).toBe(true);
      expect(committed(name).equals(readFileSync(path.join(fresh, name))), `build/${name} is stale: run \`node build/make-app-icons.mjs\``).toBe(true);
    }
  });

  it('icon.png is 1024×1024 and the Linux set holds exactly 16…512 px, each as big as its name says', () => {
    expect(readPngHeader(committed('icon.png'))).toEqual({ width: 1024, height: 1024, bitDepth: 8, colourType: 6, interlace: 0 });
    expect(readdirSync(path.join('build', 'icons')).sort()).toEqual(LINUX_SIZES.map((n) => `${n}x${n}.png`).sort());
    for (const n of LINUX_SIZES) {
      const header = readPngHeader(committed(`icons/${n}x${n}.png`));
      expect([header.width, header.height], `${n}x${n}.png`).toEqual([n, n]);
    }
  });

  it.each(ICON_FILES)('%s: a green-cored white hexagon on a blue rounded square, transparent outside it', (name) => {
    const image = decodeRgbaPng(committed(name));
    const size = image.width;
    // Outside the rounded square (its corners are cut): transparent, so the icon has its own shape.
    for (const [x, y] of [[0, 0], [size - 1, 0], [0, size - 1], [size - 1, size - 1]] as const) expect(pixelAt(image, x, y)[3]).toBe(0);
    // Every pixel of the centre is the core's green, opaque.
    expect(pixelAt(image, size / 2, size / 2)).toEqual([...RUNNING_GREEN, 255]);
    // Each part is there: blue background, white hexagon ring, green core.
    const kinds = { blue: 0, white: 0, green: 0 };
    for (let p = 0; p < size * size; p++) {
      const [r, g, b, a] = pixelAt(image, p % size, Math.floor(p / size));
      if (a < 255) continue;
      if (r > 200 && g > 200 && b > 200) kinds.white++;
      else if (b > r + 100 && b > g + 60) kinds.blue++;
      else if (g > r + 60 && g > b + 60) kinds.green++;
    }
    // Shares of the whole picture (the ring is 14% of it, the core 7.5%), lowered
    // for 16 px, where most of the 1.4-px-wide ring is blended edge.
    expect(kinds.blue / (size * size)).toBeGreaterThan(0.2);
    expect(kinds.white / (size * size)).toBeGreaterThan(0.03);
    expect(kinds.green / (size * size)).toBeGreaterThan(0.05);
  });

  it('package.json sends mac and Windows to icon.png and Linux to the icon set', () => {
    const { build } = JSON.parse(readFileSync('package.json', 'utf8')) as { build: Record<string, { icon?: string }> };
    expect(build.mac?.icon).toBe('build/icon.png');
    expect(build.win?.icon).toBe('build/icon.png');
    expect(build.linux?.icon).toBe('build/icons');
    expect(statSync(build.linux!.icon!).isDirectory()).toBe(true);
  });
});
