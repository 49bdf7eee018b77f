// Draws the tray icons (electron/assets) and the app icon (build/icon.png) as PNGs: simple shapes, antialiased, no dependencies.
// Usage: node scripts/draw-icons.mjs [--out DIR]   (with --out every file goes into DIR, for checking the committed ones)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { deflateSync } from "node:zlib";

// ---- PNG (RGBA, 8 bits per channel) ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG file from `rgba` (width × height × 4 bytes, straight alpha). */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, adaptive filtering, no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows, { level: 9 })), chunk("IEND", Buffer.alloc(0))]);
}

// ---- Shapes in the unit square: (x, y) → inside? ----

const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, outer, inner) => (x, y) => {
  const d2 = (x - cx) ** 2 + (y - cy) ** 2;
  return d2 <= outer * outer && d2 >= inner * inner;
};
const box = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union = (...shapes) => (x, y) => shapes.some((s) => s(x, y));
const minus = (shape, cut) => (x, y) => shape(x, y) && !cut(x, y);
/** A ring cut into `count` dashes, each `fill` of its arc. */
const dashed = (shape, cx, cy, count, fill) => (x, y) => {
  const turn = (Math.atan2(y - cy, x - cx) / (2 * Math.PI) + 1.25) % 1; // 0 at the top
  return shape(x, y) && (turn * count) % 1 < fill;
};
/** A square with rounded corners of radius r. */
const roundedSquare = (x0, y0, x1, y1, r) => (x, y) => {
  if (!box(x0, y0, x1, y1)(x, y)) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

// The mark: an "O" (an otter's eye, or a watched ring) with a dot in it.
const C = 0.5;
const RING = ring(C, C, 0.44, 0.29);
const DOT = disc(C, C, 0.13);
const MARK = union(RING, DOT);
// Pause bars on whole pixels at 16 and 32 px (2 px wide, 2 px apart at 16), so they stay two bars, not a grey blur.
const PAUSED = union(RING, box(0.3125, 0.3125, 0.4375, 0.6875), box(0.5625, 0.3125, 0.6875, 0.6875));
const UNKNOWN = dashed(ring(C, C, 0.44, 0.31), C, C, 8, 0.55);
// The attention badge sits at the top right, with a clear gap cut out of the mark around it.
const BADGE = disc(0.8, 0.2, 0.18);
const BADGE_GAP = disc(0.8, 0.2, 0.26);

// ---- Rasterising with supersampling ----

/**
 * Paints layers ({ shape, rgb }, rgb a colour or a function of the pixel's centre) back to front into a size × size RGBA image, each pixel sampled `samples` × `samples`
 * times for antialiasing; straight (not premultiplied) alpha out.
 */
function paint(size, layers, samples = 8) {
  const out = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0; // premultiplied
      for (const layer of layers) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            if (layer.shape((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits++;
          }
        }
        const cover = hits / (samples * samples);
        if (cover === 0) continue;
        const [lr, lg, lb] = typeof layer.rgb === "function" ? layer.rgb((px + 0.5) / size, (py + 0.5) / size) : layer.rgb;
        r = lr * cover + r * (1 - cover);
        g = lg * cover + g * (1 - cover);
        b = lb * cover + b * (1 - cover);
        a = cover + a * (1 - cover);
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
      }
      out[i + 3] = Math.round(a * 255);
    }
  }
  return out;
}

const BLACK = [0, 0, 0];
const ORANGE = [255, 149, 0]; // macOS system orange: readable on light and dark menu bars
const RED = [255, 59, 48];
const WHITE = [255, 255, 255];

/** A black-and-alpha template image: macOS tints it for the menu bar's appearance. */
const template = (shape) => (size) => paint(size, [{ shape, rgb: BLACK }]);

/** Every icon: file name (without .png) → painter, and the sizes it comes in (1× and @2x for the tray). */
export const ICONS = {
  IconTemplate: template(MARK),
  IconPausedTemplate: template(PAUSED),
  IconUnknownTemplate: template(UNKNOWN),
  IconAttention: (size) => paint(size, [{ shape: minus(MARK, BADGE_GAP), rgb: ORANGE }, { shape: BADGE, rgb: RED }]),
};

/** The app icon: the mark in white on a rounded teal-to-blue square, with the macOS icon grid's margin. */
export function appIcon(size) {
  const top = [31, 162, 166];
  const bottom = [29, 78, 137];
  const background = roundedSquare(0.1, 0.1, 0.9, 0.9, 0.18);
  const mark = (x, y) => MARK(C + (x - C) / 0.56, C + (y - C) / 0.56);
  const gradient = (_x, y) => {
    const t = Math.min(1, Math.max(0, (y - 0.1) / 0.8));
    return top.map((v, k) => Math.round(v + (bottom[k] - v) * t));
  };
  return paint(size, [{ shape: background, rgb: gradient }, { shape: mark, rgb: WHITE }], 3);
}

/**
 * An .icns container of PNG entries (ic07 128 px, ic09 512 px, ic10 1024 px): macOS reads PNG payloads directly,
 * and with the .icns ready electron-builder needs no conversion tool (which it would download) to package for macOS.
 */
export function encodeIcns(entries) {
  const parts = entries.map(([type, png]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, "latin1");
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write("icns", 0, "latin1");
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

function main() {
  const root = new URL("..", import.meta.url).pathname;
  const at = process.argv.indexOf("--out");
  const outDir = at === -1 ? undefined : process.argv[at + 1];
  if (at !== -1 && outDir === undefined) {
    console.error("usage: node scripts/draw-icons.mjs [--out DIR]");
    process.exit(2);
  }
  const assets = outDir ?? join(root, "electron/assets");
  const build = outDir ?? join(root, "build");
  mkdirSync(assets, { recursive: true });
  mkdirSync(build, { recursive: true });
  for (const [name, draw] of Object.entries(ICONS)) {
    writeFileSync(join(assets, `${name}.png`), encodePng(16, 16, draw(16)));
    writeFileSync(join(assets, `${name}@2x.png`), encodePng(32, 32, draw(32)));
  }
  const large = encodePng(1024, 1024, appIcon(1024));
  writeFileSync(join(build, "icon.png"), large);
  writeFileSync(join(build, "icon.icns"), encodeIcns([["ic09", encodePng(512, 512, appIcon(512))], ["ic10", large], ["ic07", encodePng(128, 128, appIcon(128))]]));
  console.log(`icons written to ${assets}${build === assets ? "" : ` and ${build}`}`);
}

// Draws when run, not when imported (a test or a preview may import the painters).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
