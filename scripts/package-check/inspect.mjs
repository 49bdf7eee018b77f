// What a packaged app holds: the asar's files, the requires of the bundled main process, PNG sizes; small readers for package-check.
import { createRequire } from "node:module";
import { builtinModules } from "node:module";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const require = createRequire(`${root}package.json`);
const asar = require("@electron/asar");

/** The asar's entries ("/dist/electron/main.cjs", …) and a reader for one of them. */
export function openAsar(file) {
  const entries = new Set(asar.listPackage(file, { isPack: false }).map((entry) => entry.replace(/\\/g, "/")));
  return {
    entries,
    read: (entry) => asar.extractFile(file, entry.replace(/^\//, "")).toString("utf8"),
    readBytes: (entry) => asar.extractFile(file, entry.replace(/^\//, "")),
    /** True when the entry is stored outside the archive (app.asar.unpacked). */
    unpacked: (entry) => Boolean(asar.statFile(file, entry.replace(/^\//, ""), false).unpacked),
  };
}

/** The packages a CommonJS bundle requires by bare name (no node built-ins, no relative paths). */
export function bareRequires(source) {
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
  const names = new Set();
  for (const match of source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    const spec = match[1];
    if (spec.startsWith(".") || spec.startsWith("/") || builtins.has(spec) || spec.startsWith("node:")) continue;
    const parts = spec.split("/");
    names.add(spec.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  return [...names].sort();
}

/** The local files an HTML page loads (src/href that are not URLs or fragments), relative to the page. */
export function pageAssets(html) {
  const assets = [];
  for (const match of html.matchAll(/\b(?:src|href)\s*=\s*["']([^"'#?]+)["']/g)) {
    const url = match[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) continue;
    assets.push(url.replace(/^\.\//, "").replace(/^\//, ""));
  }
  return assets;
}

/** Width and height of a PNG file, or undefined when it is not a PNG. */
export function pngSize(file) {
  const bytes = readFileSync(file);
  if (bytes.length < 24 || bytes.toString("latin1", 1, 4) !== "PNG") return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Loads electron-builder's internals the check uses: the config validator, its logger and the plist reader. */
export function builderInternals() {
  const { validateConfiguration } = require("app-builder-lib/out/util/config/config");
  const { parsePlistFile } = require("app-builder-lib/out/util/plist");
  const { DebugLogger } = require("builder-util");
  return { validateConfiguration, parsePlistFile, DebugLogger };
}
