// Stand-in Electron distributions for offline packaging: electron-builder copies, renames and fuses them like the real ones.
//
// Electron's binary cannot be downloaded on the build machines (DESIGN.md). electron-builder only needs a directory
// with the executables it renames and the fuse wire it flips, so these stand-ins carry Electron's fuse sentinel and a
// version-1 wire with every fuse enabled: after packaging, the wire shows what `electronFuses` set.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** @electron/fuses' marker: the wire (version byte, length byte, one byte per fuse) follows it. */
export const FUSE_SENTINEL = "dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX";
/** Fuse wire v1 order (@electron/fuses FuseV1Options). */
export const FUSE_NAMES = [
  "runAsNode",
  "enableCookieEncryption",
  "enableNodeOptionsEnvironmentVariable",
  "enableNodeCliInspectArguments",
  "enableEmbeddedAsarIntegrityValidation",
  "onlyLoadAppFromAsar",
  "loadBrowserProcessSpecificV8Snapshot",
  "grantFileProtocolExtraPrivileges",
];

function fusedExecutable(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const wire = Buffer.concat([Buffer.from([1, FUSE_NAMES.length]), Buffer.from("1".repeat(FUSE_NAMES.length))]);
  writeFileSync(path, Buffer.concat([Buffer.from(`#!/bin/sh\necho "${text}"\n# `), Buffer.from(FUSE_SENTINEL), wire, Buffer.from("\n")]));
  chmodSync(path, 0o755);
}

/** The fuses in a (packaged) binary: name → true (on) / false (off), or undefined without a wire. */
export function readFuses(path) {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(FUSE_SENTINEL);
  if (at < 0) return undefined;
  const start = at + FUSE_SENTINEL.length;
  const length = bytes[start + 1];
  const fuses = {};
  for (let i = 0; i < length && i < FUSE_NAMES.length; i++) fuses[FUSE_NAMES[i]] = bytes[start + 2 + i] === 0x31;
  return fuses;
}

/** A Linux Electron dist: a directory with an executable named `electron`. */
export function makeFakeLinuxElectron(dir) {
  fusedExecutable(join(dir, "electron"), "stand-in Electron (offline package check)");
  return dir;
}

function plist(entries) {
  const body = Object.entries(entries)
    .map(([key, value]) => `  <key>${key}</key>\n  <string>${value}</string>`)
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n${body}\n</dict>\n</plist>\n`;
}

/** A macOS Electron dist: Electron.app with its Info.plist, executable, framework and the four helper apps. */
export function makeFakeMacElectron(dir, version) {
  const contents = join(dir, "Electron.app", "Contents");
  mkdirSync(join(contents, "Resources"), { recursive: true });
  const bundle = { CFBundleIdentifier: "com.github.Electron", CFBundleVersion: version, CFBundleShortVersionString: version, CFBundlePackageType: "APPL" };
  writeFileSync(join(contents, "Info.plist"), plist({ ...bundle, CFBundleExecutable: "Electron", CFBundleName: "Electron", CFBundleDisplayName: "Electron", CFBundleIconFile: "electron.icns" }));
  writeFileSync(join(contents, "Resources", "electron.icns"), "stand-in icon");
  fusedExecutable(join(contents, "MacOS", "Electron"), "stand-in Electron");
  fusedExecutable(join(contents, "Frameworks", "Electron Framework.framework", "Electron Framework"), "stand-in Electron Framework");
  for (const suffix of ["", " (GPU)", " (Renderer)", " (Plugin)"]) {
    const name = `Electron Helper${suffix}`;
    const helper = join(contents, "Frameworks", `${name}.app`, "Contents");
    mkdirSync(helper, { recursive: true });
    writeFileSync(join(helper, "Info.plist"), plist({ ...bundle, CFBundleIdentifier: "com.github.Electron.helper", CFBundleExecutable: name, CFBundleName: name, CFBundleDisplayName: name }));
    fusedExecutable(join(helper, "MacOS", name), `stand-in ${name}`);
  }
  return dir;
}
