// Draws the app icon (a film frame with a play mark, as in favicon.svg) at the PWA's sizes and
// writes PNGs: node scripts/build/make_icons.mjs OUT_DIR. No image library: RGBA rows + zlib.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

function crc32(buf) {
  let c;
  const table = [];
  for (let n = 0; n < 256; n++) {
    c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (const b of buf) crc = table[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export function icon(size) {
  const s = size / 64; // drawn in the SVG's 64-unit space
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / s,
        v = (y + 0.5) / s;
      let rgb = [0x1f, 0x3a, 0x8a]; // maskable: the background fills the square
      const inFrame = u >= 12 && u <= 52 && v >= 18 && v <= 46;
      const inHole = u >= 16 && u <= 48 && v >= 22 && v <= 42;
      if (inFrame && !inHole) rgb = [255, 255, 255];
      // play triangle (28,26) (38,32) (28,38)
      if (u >= 28 && u <= 38 && Math.abs(v - 32) <= ((38 - u) / 10) * 6) rgb = [255, 255, 255];
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = rgb[0];
      raw[o + 1] = rgb[1];
      raw[o + 2] = rgb[2];
      raw[o + 3] = 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: args, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (args.help || positionals.length !== 1) {
    console.log('usage: node scripts/build/make_icons.mjs OUT_DIR   (writes icon-192.png, icon-512.png)');
    process.exit(args.help ? 0 : 2);
  }
  const out = positionals[0];
  fs.mkdirSync(out, { recursive: true });
  for (const size of [192, 512]) fs.writeFileSync(path.join(out, `icon-${size}.png`), icon(size));
}
