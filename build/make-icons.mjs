// Draws the tray icons, one per state, and writes them as PNGs with zlib (no
// image library). Run `node build/make-icons.mjs [--out DIR]`; the output in
// build/tray/ is committed, and test/app/icons.test.ts checks it is current.
//
// Two sets (electron-stack.md §9, §12):
//   tray-<state>Template.png / @2x  macOS template images: black + alpha only, so the
//                                   menu bar tints them for light and dark mode;
//   tray-<state>.png / @2x          coloured, mid-tone, for Linux and Windows panels,
//                                   where a black template icon is invisible on dark themes.
// The glyph is a hexagon (a nod to Kubernetes) whose inside tells the state.
// build/make-app-icons.mjs draws the app icon from the same hexagon and PNG writer.
import { deflateSync, crc32 } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TRAY_STATES = ['stopped', 'starting', 'running', 'stopping', 'error'];

export const COLOURS = {
  stopped: [138, 138, 138],
  starting: [224, 160, 32],
  running: [46, 160, 67],
  stopping: [224, 123, 36],
  error: [215, 58, 73],
};

/** Corners of a regular hexagon (pointy top) centred in a 1×1 square. */
export function hexagon(radius) {
  return Array.from({ length: 6 }, (_, i) => {
    const a = Math.PI / 2 + (i * Math.PI) / 3;
    return [0.5 + radius * Math.cos(a), 0.5 - radius * Math.sin(a)];
  });
}

/** Whether (x, y) lies inside (or on) the convex polygon `poly`. */
export function insideConvex(poly, x, y) {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    const cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
    if (cross !== 0) {
      if (sign === 0) sign = Math.sign(cross);
      else if (Math.sign(cross) !== sign) return false;
    }
  }
  return true;
}

const OUTER = hexagon(0.47);
const INNER = hexagon(0.33);
const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** Whether the unit-square point (x, y) is ink for `state`. */
function ink(state, x, y) {
  const outline = insideConvex(OUTER, x, y) && !insideConvex(INNER, x, y);
  switch (state) {
    case 'stopped':
      return outline;
    case 'starting': // outline + a dot: "coming up"
      return outline || inCircle(x, y, 0.5, 0.5, 0.12);
    case 'running':
      return insideConvex(OUTER, x, y);
    case 'stopping': // outline + a bar: "going down"
      return outline || inRect(x, y, 0.33, 0.44, 0.67, 0.56);
    case 'error': // outline + an exclamation mark
      return outline || inRect(x, y, 0.45, 0.27, 0.55, 0.58) || inCircle(x, y, 0.5, 0.7, 0.065);
    default:
      throw new Error(`unknown tray state ${state}`);
  }
}

/** RGBA pixels, anti-aliased by 8×8 supersampling. */
function draw(state, size, rgb) {
  const px = Buffer.alloc(size * size * 4);
  const n = 8;
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) if (ink(state, (pxl + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
      const o = (py * size + pxl) * 4;
      px[o] = rgb[0];
      px[o + 1] = rgb[1];
      px[o + 2] = rgb[2];
      px[o + 3] = Math.round((255 * hits) / (n * n));
    }
  }
  return px;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A minimal PNG: 8-bit RGBA, no interlace, filter 0 on every row, no timestamps. */
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** { fileName: pngBytes } for every state, both sets, 16 px and @2x (32 px). */
export function renderTrayIcons() {
  const files = {};
  for (const state of TRAY_STATES) {
    for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
      files[`tray-${state}Template${suffix}.png`] = encodePng(size, draw(state, size, [0, 0, 0]));
      files[`tray-${state}${suffix}.png`] = encodePng(size, draw(state, size, COLOURS[state]));
    }
  }
  return files;
}

function main() {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? path.resolve(process.argv[i + 1]) : path.resolve(path.dirname(new URL(import.meta.url).pathname), 'tray');
  mkdirSync(out, { recursive: true });
  const files = renderTrayIcons();
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(out, name), bytes);
  console.log(`wrote ${Object.keys(files).length} icons to ${out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
