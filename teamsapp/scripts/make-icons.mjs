// Draws the app icons: a house (the wijk) with a leaf cut out of it (learning that grows).
// Deterministic, node built-ins only: `node teamsapp/scripts/make-icons.mjs` rewrites
// teamsapp/appPackage/color.png (192×192, white mark on the accent colour) and outline.png
// (32×32, white mark on a transparent background, as Teams requires).
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const ACCENT = [0x1f, 0x6f, 0x5c]; // also the manifest's accentColor (#1F6F5C)
const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../appPackage');

/** The mark in unit coordinates (0..1, y down): true where the pixel is white. */
function inMark(x, y, scale) {
  const inRoof = y >= 0.1 && y <= 0.5 && Math.abs(x - 0.5) <= ((y - 0.1) / 0.4) * 0.42;
  const inBody = x >= 0.2 && x <= 0.8 && y >= 0.46 && y <= 0.88;
  if (!(inRoof || inBody)) return false;
  return !inLeaf(x, y, scale);
}

/** A leaf (two intersecting discs) pointing up-right, with a short stem; thicker at small sizes. */
function inLeaf(x, y, scale) {
  const ax = 0.36, ay = 0.8, bx = 0.66, by = 0.46; // tip to tip
  const mx = (ax + bx) / 2, my = (ay + by) / 2;
  const h = Math.hypot(bx - ax, by - ay) / 2;
  const width = 0.2 + 0.04 * scale;
  // Two discs of radius r whose lens is `width` wide: r - d = width / 2, r² = d² + h².
  const half = width / 2;
  const r = (h * h + half * half) / (2 * half);
  const d = r - half;
  const nx = -(by - ay) / (2 * h), ny = (bx - ax) / (2 * h);
  const c1 = [mx + nx * d, my + ny * d], c2 = [mx - nx * d, my - ny * d];
  const inLens = Math.hypot(x - c1[0], y - c1[1]) <= r && Math.hypot(x - c2[0], y - c2[1]) <= r;
  return inLens;
}

/** RGBA pixels with 8×8 supersampling for smooth edges. */
function draw(size, background) {
  const px = Buffer.alloc(size * size * 4);
  const n = 8;
  const scale = size <= 48 ? 1 : 0;
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) for (let sx = 0; sx < n; sx++) if (inMark((pxl + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, scale)) hits++;
      const cover = hits / (n * n);
      const i = (py * size + pxl) * 4;
      if (background) {
        for (let c = 0; c < 3; c++) px[i + c] = Math.round(background[c] + (255 - background[c]) * cover);
        px[i + 3] = 255;
      } else if (cover > 0) {
        // Outline icon: white only; the edge is smoothed through alpha, never through grey.
        px[i] = px[i + 1] = px[i + 2] = 255;
        px[i + 3] = Math.round(255 * cover);
      }
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

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync(resolve(out, 'color.png'), png(192, draw(192, ACCENT)));
writeFileSync(resolve(out, 'outline.png'), png(32, draw(32, undefined)));
console.log(`icons written to ${out}`);
