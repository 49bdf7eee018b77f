// The committed icons: the sizes macOS expects, black-and-alpha template images, a coloured attention icon, the app
// icon, and each one what scripts/draw-icons.mjs draws today.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodePng } from "../../test-support/png";
import { makeTempDir } from "../../test-support/temp";
import { type TrayIcon, trayIconFile } from "./tray-model";

const ROOT = join(import.meta.dirname, "../..");
const ASSETS = join(ROOT, "electron/assets");
const LOOKS: TrayIcon[] = ["normal", "attention", "unknown", "paused"];
const read = (path: string) => decodePng(readFileSync(path));
const retina = (file: string) => file.replace(/\.png$/, "@2x.png");

function pixels(rgba: Buffer): { r: number; g: number; b: number; a: number }[] {
  return Array.from({ length: rgba.length / 4 }, (_, i) => ({ r: rgba[i * 4]!, g: rgba[i * 4 + 1]!, b: rgba[i * 4 + 2]!, a: rgba[i * 4 + 3]! }));
}

describe("tray icons", () => {
  it.each(LOOKS)("%s comes as an 8-bit RGBA PNG at 16×16 and @2x 32×32", (look) => {
    const file = trayIconFile(look);
    expect(read(join(ASSETS, file))).toMatchObject({ width: 16, height: 16, bitDepth: 8, colorType: 6 });
    expect(read(join(ASSETS, retina(file)))).toMatchObject({ width: 32, height: 32, bitDepth: 8, colorType: 6 });
  });

  it("names template images *Template and uses only black with alpha in them", () => {
    for (const look of ["normal", "unknown", "paused"] as const) {
      const file = trayIconFile(look);
      expect(file).toMatch(/Template\.png$/);
      for (const name of [file, retina(file)]) {
        const all = pixels(read(join(ASSETS, name)).rgba);
        expect(all.every((p) => p.r === 0 && p.g === 0 && p.b === 0), name).toBe(true);
        expect(all.filter((p) => p.a === 255).length, `${name} has a solid mark`).toBeGreaterThanOrEqual(12);
        expect(all.filter((p) => p.a === 0).length, `${name} has a transparent background`).toBeGreaterThan(all.length / 3);
      }
    }
  });

  it("draws the three template looks differently", () => {
    const alphas = (["normal", "unknown", "paused"] as const).map((look) => pixels(read(join(ASSETS, retina(trayIconFile(look)))).rgba).map((p) => p.a).join(","));
    expect(new Set(alphas).size).toBe(3);
  });

  it("makes the attention icon coloured, not a template, with a red badge", () => {
    const file = trayIconFile("attention");
    expect(file).not.toMatch(/Template/);
    for (const name of [file, retina(file)]) {
      const solid = pixels(read(join(ASSETS, name)).rgba).filter((p) => p.a === 255);
      expect(solid.some((p) => p.r > 200 && p.g < 90 && p.b < 90), `${name} has red`).toBe(true);
      expect(solid.some((p) => p.r > 200 && p.g > 120 && p.g < 180 && p.b < 60), `${name} has orange`).toBe(true);
    }
  });

  it("ships no stray tray icon files", () => {
    const expected = LOOKS.flatMap((look) => [trayIconFile(look), retina(trayIconFile(look))]).sort();
    expect(readdirSync(ASSETS).filter((f) => f.startsWith("Icon") && f.endsWith(".png")).sort()).toEqual(expected);
  });
});

describe("app icon", () => {
  it("is a 1024×1024 RGBA PNG with transparent corners and an opaque middle", () => {
    const icon = read(join(ROOT, "build/icon.png"));
    expect(icon).toMatchObject({ width: 1024, height: 1024, colorType: 6 });
    expect(icon.rgba[3]).toBe(0);
    expect(icon.rgba[(512 * 1024 + 200) * 4 + 3]).toBe(255);
  });
});

describe("macOS app icon (build/icon.icns)", () => {
  it("is an icns container of PNG entries at 128, 512 and 1024 px (no conversion needed at packaging time)", () => {
    const icns = readFileSync(join(ROOT, "build", "icon.icns"));
    expect(icns.toString("latin1", 0, 4)).toBe("icns");
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const sizes: Record<string, number> = {};
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString("latin1", at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      expect(length).toBeGreaterThan(8);
      sizes[type] = decodePng(icns.subarray(at + 8, at + length)).width;
      at += length;
    }
    expect(sizes).toEqual({ ic07: 128, ic09: 512, ic10: 1024 });
  });
});

describe("scripts/draw-icons.mjs", () => {
  it("draws exactly the committed pixels (run it after changing a shape)", () => {
    const out = makeTempDir("otto-icons-");
    execFileSync(process.execPath, [join(ROOT, "scripts/draw-icons.mjs"), "--out", out], { stdio: "pipe" });
    for (const file of readdirSync(ASSETS).filter((f) => f.endsWith(".png"))) {
      expect(read(join(out, file)).rgba.equals(read(join(ASSETS, file)).rgba), file).toBe(true);
    }
    expect(read(join(out, "icon.png")).rgba.equals(read(join(ROOT, "build/icon.png")).rgba), "icon.png").toBe(true);
  });
});
