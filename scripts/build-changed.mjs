// Decides which of `npm run build`'s three builds (CLI, Electron layer, UI) are out of date, from their inputs' stamps.
// A build is current when its stamp (dist/.build-stamps/NAME.json, written after it succeeded) records the same inputs
// (path, size, mtime of every file under its source directories and config files) and the same outputs as are on disk
// now. Anything missing or unreadable means "rebuild": a needless build costs seconds, a stale one shows old code.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Files every build depends on (dependency versions, the project's version, compiler settings). */
const SHARED = ["package.json", "package-lock.json", "tsconfig.base.json", "scripts/build-common.mjs"];

/** `npm run build`'s builds: what each reads, what it writes, and the command that makes it (run from the project root). */
export const BUILDS = [
  {
    name: "cli",
    inputs: [...SHARED, "cli", "core", "tsconfig.core.json", "tsconfig.lib.json", "scripts/build-cli.mjs"],
    outputs: ["dist/cli", "dist/lib", "dist/types"],
    command: ["scripts/build-cli.mjs"],
  },
  {
    name: "electron",
    inputs: [...SHARED, "electron", "core", "renderer", "scripts/build-electron.mjs", "scripts/electron-main-build.mjs"],
    outputs: ["dist/electron"],
    command: ["scripts/build-electron.mjs"],
  },
  {
    name: "ui",
    inputs: [...SHARED, "renderer", "core", "tsconfig.web.json"],
    outputs: ["dist/renderer"],
    command: ["node_modules/vite/bin/vite.js", "build", "--config", "renderer/vite.config.ts", "--logLevel", "warn"],
  },
];

/** How many files one fingerprint may cover; past it the build counts as changed (and the stamp is not trusted). */
const MAX_FILES = 20_000;
/** A stamp is a few hundred bytes; a bigger file is not ours. */
const MAX_STAMP_BYTES = 64 * 1024;
const SKIP_DIRS = new Set(["node_modules", ".git"]);

/**
 * A digest of every regular file under PATHS (relative to ROOT): its path, size and mtime. A path that does not exist
 * counts as "missing" (so it appearing later changes the digest); an unreadable one, or too many files, gives undefined.
 */
export function fingerprint(root, paths) {
  const hash = createHash("sha256");
  let files = 0;
  const visit = (relative) => {
    let stat;
    try {
      stat = lstatSync(join(root, relative));
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
      hash.update(`${relative}\0missing\n`);
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(join(root, relative)).sort()) if (!SKIP_DIRS.has(name)) visit(join(relative, name));
      return;
    }
    if (++files > MAX_FILES) throw new Error(`more than ${MAX_FILES} files`);
    hash.update(`${relative}\0${stat.size}\0${stat.mtimeMs}\0${stat.isSymbolicLink() ? "link" : "file"}\n`);
  };
  try {
    for (const path of [...paths].sort()) visit(path);
  } catch {
    return undefined;
  }
  return hash.digest("hex");
}

function stampPath(root, name) {
  return join(root, "dist", ".build-stamps", `${name}.json`);
}

/** The stamp's { inputs, outputs } digests, or undefined when it is missing, too big or not what we write. */
function readStamp(root, name) {
  let fd;
  try {
    fd = openSync(stampPath(root, name), "r");
    const size = fstatSync(fd).size;
    if (size > MAX_STAMP_BYTES) return undefined;
    const buffer = Buffer.alloc(size);
    readSync(fd, buffer, 0, size, 0);
    const stamp = JSON.parse(buffer.toString("utf8"));
    return typeof stamp?.inputs === "string" && typeof stamp?.outputs === "string" ? stamp : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Why BUILD must run now ("never built here", "sources changed", "its output changed"), or undefined when it is current. */
export function staleReason(root, build) {
  const stamp = readStamp(root, build.name);
  if (!stamp) return "no record of a previous build";
  const inputs = fingerprint(root, build.inputs);
  if (inputs === undefined || inputs !== stamp.inputs) return "sources changed";
  const outputs = fingerprint(root, build.outputs);
  if (outputs === undefined || outputs !== stamp.outputs || build.outputs.some((p) => !existsUnder(root, p))) return "its output changed or is missing";
  return undefined;
}

function existsUnder(root, path) {
  try {
    lstatSync(join(root, path));
    return true;
  } catch {
    return false;
  }
}

/**
 * Records that BUILD succeeded from the inputs whose digest was INPUTS (taken before it ran: an edit made during the
 * build then counts as a change next time). Written atomically (temporary file, then rename).
 */
export function writeStamp(root, build, inputs) {
  const outputs = fingerprint(root, build.outputs);
  if (inputs === undefined || outputs === undefined) return;
  const path = stampPath(root, build.name);
  mkdirSync(join(root, "dist", ".build-stamps"), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ inputs, outputs, builtAt: new Date().toISOString() })}\n`);
  renameSync(temporary, path);
}
