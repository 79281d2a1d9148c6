// Reads the PNGs build/make-icons.mjs and build/make-app-icons.mjs write
// (8-bit RGBA, no interlace, filter 0 on every row), for the icon tests. It
// checks the structure as it goes and throws on anything else, so a test never
// reads pixels out of a file it misunderstood.
import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  /** 6 = RGBA */
  readonly colourType: number;
  readonly interlace: number;
}

interface Chunk {
  readonly type: string;
  readonly data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: the 8-byte signature is wrong');
  const found: Chunk[] = [];
  for (let o = 8; o < png.length; ) {
    if (o + 12 > png.length) throw new Error(`truncated PNG: a chunk header at byte ${o} runs past the end`);
    const len = png.readUInt32BE(o);
    const type = png.toString('ascii', o + 4, o + 8);
    if (o + 12 + len > png.length) throw new Error(`truncated PNG: chunk ${type} at byte ${o} runs past the end`);
    found.push({ type, data: png.subarray(o + 8, o + 8 + len) });
    o += 12 + len;
  }
  return found;
}

/** The IHDR fields; IHDR must be the first chunk and IEND the last. */
export function readPngHeader(png: Buffer): PngHeader {
  const all = chunks(png);
  const ihdr = all[0];
  if (ihdr?.type !== 'IHDR' || ihdr.data.length !== 13) throw new Error('not a PNG: the first chunk is not a 13-byte IHDR');
  if (all.at(-1)?.type !== 'IEND') throw new Error('truncated PNG: no IEND chunk at the end');
  return { width: ihdr.data.readUInt32BE(0), height: ihdr.data.readUInt32BE(4), bitDepth: ihdr.data[8]!, colourType: ihdr.data[9]!, interlace: ihdr.data[12]! };
}

/** Pixels as RGBA bytes, row by row. */
export function decodeRgbaPng(png: Buffer): PngHeader & { readonly rgba: Buffer } {
  const header = readPngHeader(png);
  const { width, height } = header;
  if (header.bitDepth !== 8 || header.colourType !== 6 || header.interlace !== 0) {
    throw new Error(`expected an 8-bit RGBA PNG without interlace, got depth ${header.bitDepth}, colour type ${header.colourType}, interlace ${header.interlace}`);
  }
  const raw = inflateSync(Buffer.concat(chunks(png).filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * 4 + 1;
  if (raw.length !== height * stride) throw new Error(`IDAT holds ${raw.length} bytes, ${height * stride} expected for ${width}×${height}`);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    if (raw[y * stride] !== 0) throw new Error(`row ${y} uses filter ${raw[y * stride]}; only filter 0 is supported here`);
    raw.copy(rgba, y * width * 4, y * stride + 1, (y + 1) * stride);
  }
  return { ...header, rgba };
}

/** [r, g, b, a] of the pixel at (x, y). */
export function pixelAt(image: { readonly width: number; readonly rgba: Buffer }, x: number, y: number): [number, number, number, number] {
  const o = (y * image.width + x) * 4;
  return [image.rgba[o]!, image.rgba[o + 1]!, image.rgba[o + 2]!, image.rgba[o + 3]!];
}
