// Draws the application icon and writes it as PNGs, with the hexagon and the
// zlib PNG writer of build/make-icons.mjs (no image library). Run
// `node build/make-app-icons.mjs [--out DIR]` (default: build/); the output is
// committed, and test/packaging/app-icons.test.ts checks it is current.
//
//   icon.png           1024 px: the mac dmg and the Windows nsis icon
//                      (package.json build.mac.icon / build.win.icon; electron-builder
//                      converts it to .icns / .ico, and .ico needs at least 256 px);
//   icons/<N>x<N>.png  the Linux set (build.linux.icon = "build/icons"): electron-builder
//                      installs each as /usr/share/icons/hicolor/<N>x<N>/apps/<name>.png.
//
// The picture: the tray's hexagon, white, around a core in the tray's "running"
// green, on a rounded square in Kubernetes blue with a transparent margin (the
// shape macOS and most Linux icon themes use).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { COLOURS, encodePng, hexagon, insideConvex } from './make-icons.mjs';

export const APP_ICON_SIZE = 1024;
export const LINUX_ICON_SIZES = [16, 32, 48, 64, 128, 256, 512];

const TOP_BLUE = [64, 120, 235];
const BOTTOM_BLUE = [32, 84, 190];
const WHITE = [250, 251, 255];

/** The rounded square: [MARGIN, 1 - MARGIN] on both axes, corners of radius CORNER. */
const MARGIN = 0.08;
const CORNER = 0.19;
function inRoundedSquare(x, y) {
  const lo = MARGIN + CORNER;
  const hi = 1 - MARGIN - CORNER;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= MARGIN && x <= 1 - MARGIN && y >= MARGIN && y <= 1 - MARGIN && dx * dx + dy * dy <= CORNER * CORNER;
}

const RING_OUTER = hexagon(0.34);
const RING_INNER = hexagon(0.25);
const CORE = hexagon(0.17);

/** Bottom to top; each layer is a shape and its colour at (x, y). */
const LAYERS = [
  { inside: inRoundedSquare, colour: (_x, y) => TOP_BLUE.map((top, i) => top + (BOTTOM_BLUE[i] - top) * y) },
  { inside: (x, y) => insideConvex(RING_OUTER, x, y) && !insideConvex(RING_INNER, x, y), colour: () => WHITE },
  { inside: (x, y) => insideConvex(CORE, x, y), colour: () => COLOURS.running },
];

/**
 * The share of pixel (px, py) that `inside` covers, from an 8×8 grid of
 * samples. Big icons sample only pixels whose corners and centre disagree (the
 * edges): a full grid at 1024 px would take seconds. Small ones sample every
 * pixel, since a stroke thinner than a pixel could slip between the probes.
 */
function coverage(inside, px, py, size) {
  const n = 8;
  if (size > 64) {
    const probes = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]].map(([dx, dy]) => inside((px + dx) / size, (py + dy) / size));
    if (probes.every((p) => p === probes[0])) return probes[0] ? 1 : 0;
  }
  let hits = 0;
  for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) if (inside((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
  return hits / (n * n);
}

/** RGBA pixels: the layers composited "over" each other, anti-aliased. */
export function drawAppIcon(size) {
  const px = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      // Premultiplied colour and alpha, so a half-covered edge blends with what is under it.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of LAYERS) {
        const cover = coverage(layer.inside, pxl, py, size);
        if (cover === 0) continue;
        const [cr, cg, cb] = layer.colour((pxl + 0.5) / size, (py + 0.5) / size);
        r = cr * cover + r * (1 - cover);
        g = cg * cover + g * (1 - cover);
        b = cb * cover + b * (1 - cover);
        a = cover + a * (1 - cover);
      }
      const o = (py * size + pxl) * 4;
      if (a > 0) {
        px[o] = Math.round(r / a);
        px[o + 1] = Math.round(g / a);
        px[o + 2] = Math.round(b / a);
      }
      px[o + 3] = Math.round(255 * a);
    }
  }
  return px;
}

/** { relativePath: pngBytes }: icon.png and icons/<N>x<N>.png. */
export function renderAppIcons() {
  const files = { 'icon.png': encodePng(APP_ICON_SIZE, drawAppIcon(APP_ICON_SIZE)) };
  for (const size of LINUX_ICON_SIZES) files[`icons/${size}x${size}.png`] = encodePng(size, drawAppIcon(size));
  return files;
}

function main() {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? path.resolve(process.argv[i + 1]) : path.dirname(path.resolve(new URL(import.meta.url).pathname));
  const files = renderAppIcons();
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
    writeFileSync(path.join(out, name), bytes);
  }
  console.log(`wrote ${Object.keys(files).length} app icons to ${out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
