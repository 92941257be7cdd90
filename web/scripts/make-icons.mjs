#!/usr/bin/env node
// Draws the app icons (a heart with a pulse line on a solid background) into static/icons/.
// Only node:zlib and node:fs: PNG is a signature, IHDR, one zlib-compressed IDAT of filtered
// scanlines, and IEND, each chunk with a CRC-32 (https://www.w3.org/TR/png-3/).
// Run: node web/scripts/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../../static/icons/', import.meta.url));

const BACKGROUND = [0x12, 0x16, 0x1c];
const HEART = [0xe5, 0x48, 0x4d];
const PULSE = [0xff, 0xff, 0xff];

const ICONS = [
  // Maskable icons are cropped to a circle of 80% diameter: keep the heart inside it.
  { file: 'icon-192.png', size: 192, heartScale: 0.78 },
  { file: 'icon-512.png', size: 512, heartScale: 0.78 },
  { file: 'icon-maskable-512.png', size: 512, heartScale: 0.56 },
  { file: 'apple-touch-icon.png', size: 180, heartScale: 0.72 },
  { file: 'favicon-32.png', size: 32, heartScale: 0.92, noPulse: true },
];

const SUPERSAMPLE = 4;

/** Classic heart curve (x²+y²−1)³ − x²y³ ≤ 0, for x in [-1.2, 1.2], y in [-1.1, 1.3]. */
function insideHeart(x, y) {
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
}

/** An ECG-like polyline across the heart, in heart coordinates. */
const PULSE_POINTS = [
  [-1.4, 0.05], [-0.55, 0.05], [-0.38, 0.32], [-0.2, -0.55], [0.02, 0.72],
  [0.2, -0.1], [0.32, 0.05], [1.4, 0.05],
];

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onPulse(x, y, halfWidth) {
  for (let i = 1; i < PULSE_POINTS.length; i++) {
    if (distanceToSegment(x, y, PULSE_POINTS[i - 1], PULSE_POINTS[i]) <= halfWidth) return true;
  }
  return false;
}

function render({ size, heartScale, noPulse }) {
  const rgb = new Uint8Array(size * size * 3);
  // The heart spans about 2.4 units wide; scale it to heartScale of the icon.
  const unitsPerPixel = 2.4 / (size * heartScale);
  const centreY = size / 2;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE - size / 2) * unitsPerPixel;
          // Image y grows downwards; the curve's centre of mass sits a little above 0.
          const y = -(py + (sy + 0.5) / SUPERSAMPLE - centreY) * unitsPerPixel + 0.12;
          let colour = BACKGROUND;
          if (insideHeart(x, y)) colour = HEART;
          if (!noPulse && insideHeart(x, y) && onPulse(x, y - 0.12, 0.075)) colour = PULSE;
          r += colour[0];
          g += colour[1];
          b += colour[2];
        }
      }
      const n = SUPERSAMPLE * SUPERSAMPLE;
      const o = (py * size + px) * 3;
      rgb[o] = Math.round(r / n);
      rgb[o + 1] = Math.round(g / n);
      rgb[o + 2] = Math.round(b / n);
    }
  }
  return rgb;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size, rgb) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour RGB
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering
  header[12] = 0; // no interlace
  const stride = size * 3;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    Buffer.from(rgb.buffer, y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const icon of ICONS) {
  const png = encodePng(icon.size, render(icon));
  writeFileSync(OUT + icon.file, png);
  console.log(`${icon.file}: ${icon.size}×${icon.size}, ${png.length} bytes`);
}
