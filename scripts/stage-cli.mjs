// Stages the CLI the app ships (build/cli/<os>-<arch>/): a Node runtime, the built CLI, its external runtime packages and a sh wrapper.
//
//   node scripts/stage-cli.mjs [--platform darwin|linux] [--arch arm64|x64] [--node PATH | --download] [--out DIR]
//
// The runtime is this Node (process.execPath) when platform and arch match; otherwise --node (or $OTTO_TRAY_STAGE_NODE)
// names a Node binary for the target, or --download fetches the official build of this Node version from nodejs.org
// (checked against its SHASUMS256.txt). electron-builder picks the directory up per arch as extraResources `cli`.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, closeSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Packages the CLI bundle leaves external (scripts/build-cli.mjs), loaded from node_modules at run time. */
export const CLI_EXTERNALS = ["fs-native-extensions", "node-pty", "@xterm/headless", "web-tree-sitter"];
/** The Bash grammar the policy parses commands with (core/actuator/policy/shell-parser.ts), with its licence. */
export const GRAMMAR_FILES = ["vendor/tree-sitter-bash/tree-sitter-bash.wasm", "vendor/tree-sitter-bash/LICENSE"];
/** Dependencies only needed to compile addons (headers), never loaded at run time. */
const BUILD_ONLY = new Set(["node-addon-api"]);
/** Directories inside node-pty that only serve building it from source. */
const NODE_PTY_SOURCES = new Set(["src", "deps", "third_party", "scripts", "binding.gyp", "node-addon-api", "typings"]);
/** The file the staged CLI carries to say it is the app's copy (and for which target); core/app/cli-link.ts SHIPPED_CLI_MANIFEST. */
export const SHIPPED_MANIFEST = "otto-tray-cli.json";

/** electron-builder's name for a platform (its `${os}` macro). */
export function osKey(platform) {
  return platform === "darwin" ? "mac" : platform === "win32" ? "win" : platform;
}

/** Where the CLI for a target is staged. */
export function stagedCliDir(platform, arch) {
  return join(root, "build", "cli", `${osKey(platform)}-${arch}`);
}

/** The platform and CPU a binary was built for, from its header (ELF or 64-bit Mach-O), or undefined. */
export function binaryTarget(path) {
  const header = Buffer.alloc(20);
  const fd = openSync(path, "r");
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) === 0x7f454c46) {
    const machine = header.readUInt16LE(18);
    return { platform: "linux", arch: machine === 62 ? "x64" : machine === 183 ? "arm64" : `elf-${machine}` };
  }
  if (header.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = header.readUInt32LE(4);
    return { platform: "darwin", arch: cpu === 0x01000007 ? "x64" : cpu === 0x0100000c ? "arm64" : `macho-${cpu}` };
  }
  if (header.readUInt32BE(0) === 0xcafebabe) return { platform: "darwin", arch: "universal" };
  return undefined;
}

/**
 * Shared libraries a Node binary loads from outside the system (Homebrew's libnode/icu, a distribution's libnode.so):
 * such a runtime would not start on a Mac without them. Read from the first 16 MB, where the load commands and the
 * dynamic string table are.
 */
export function foreignLibraries(path) {
  const size = Math.min(statSync(path).size, 16 * 1024 * 1024);
  const bytes = Buffer.alloc(size);
  const fd = openSync(path, "r");
  try {
    readSync(fd, bytes, 0, size, 0);
  } finally {
    closeSync(fd);
  }
  const pattern = /(?:\/opt\/homebrew|\/usr\/local|@rpath|@loader_path|@executable_path)\/[\x21-\x7e]*?\.dylib|libnode\.(?:so[.\d]*|[\d.]*dylib)/g;
  return [...new Set(bytes.toString("latin1").match(pattern) ?? [])];
}

/** Fetches the official Node build of this version for the target into a temporary directory; returns the binary. */
async function downloadNode(platform, arch) {
  const version = process.version;
  const name = `node-${version}-${platform}-${arch}`;
  const base = `https://nodejs.org/dist/${version}`;
  const sums = await (await fetch(`${base}/SHASUMS256.txt`)).text();
  const expected = sums.split("\n").find((line) => line.endsWith(`  ${name}.tar.gz`))?.split(" ")[0];
  if (!expected) throw new Error(`${base}/SHASUMS256.txt lists no ${name}.tar.gz`);
  const response = await fetch(`${base}/${name}.tar.gz`);
  if (!response.ok) throw new Error(`${base}/${name}.tar.gz: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== expected) throw new Error(`${name}.tar.gz: sha256 ${actual}, SHASUMS256.txt says ${expected}`);
  const dir = mkdtempSync(join(tmpdir(), "otto-node-"));
  writeFileSync(join(dir, "node.tar.gz"), bytes);
  execFileSync("tar", ["-xzf", "node.tar.gz", `${name}/bin/node`], { cwd: dir });
  return join(dir, name, "bin", "node");
}

/** The packages a set of names needs at run time: them and their dependencies, as resolved from the project. */
function dependencyClosure(names) {
  const found = new Map();
  const visit = (name, fromDir) => {
    if (BUILD_ONLY.has(name)) return;
    let dir = fromDir;
    for (;;) {
      const candidate = join(dir, "node_modules", name);
      if (existsSync(join(candidate, "package.json"))) break;
      if (dir === root || dirname(dir) === dir) throw new Error(`cannot find the package ${name} (needed from ${relative(root, fromDir) || "."}); run npm ci`);
      dir = dirname(dir);
    }
    const pkgDir = join(dir, "node_modules", name);
    if (found.has(pkgDir)) return;
    found.set(pkgDir, name);
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      try {
        visit(dep, pkgDir);
      } catch (error) {
        if (!(pkg.optionalDependencies && dep in pkg.optionalDependencies)) throw error;
      }
    }
  };
  for (const name of names) visit(name, root);
  return found;
}

/** Copies one package, keeping only the target's prebuilt addons (and no build-from-source files for node-pty). */
function copyPackage(from, to, name, platform, arch, native) {
  const prebuild = `${platform}-${arch}`;
  cpSync(from, to, {
    recursive: true,
    dereference: true,
    filter: (source) => {
      const rel = relative(from, source);
      if (rel === "") return true;
      const parts = rel.split("/");
      if (parts.includes("node_modules")) return false; // nested copies are staged on their own when needed
      if (parts[0] === "prebuilds" && parts.length > 1 && parts[1] !== prebuild) return false;
      if (name === "node-pty" && NODE_PTY_SOURCES.has(parts[0])) return false;
      // web-tree-sitter's debug build (symbols, 2.8 MB) is never loaded.
      if (name === "web-tree-sitter" && parts[0] === "debug") return false;
      // node-pty's locally compiled addon (build/Release) only serves the machine it was built on.
      if (name === "node-pty" && parts[0] === "build") {
        if (!native || (parts.length > 1 && parts[1] !== "Release")) return false;
        if (parts.length > 2 && !/\.node$|^spawn-helper$/.test(parts[2])) return false;
      }
      // Tests, sources, docs and the Bare runtime's addon builds are not needed to run.
      return !/\.(md|markdown|ts|mts|cts|map|gyp|gypi|cc|cpp|c|h|bare)$|\.test\.js$/i.test(rel);
    },
  });
}

/**
 * Assembles build/cli/<os>-<arch>/: bin/otto-tray (sh wrapper), runtime/node, dist/cli, node_modules with the CLI's
 * external packages, native-scripts, the Bash grammar (vendor/tree-sitter-bash), package.json (ESM scope) and the
 * manifest. Returns the directory.
 */
export async function stageCli({ platform = process.platform, arch = process.arch, node = process.env.OTTO_TRAY_STAGE_NODE, download = false, out, log = () => {} } = {}) {
  if (!existsSync(join(root, "dist", "cli", "main.js"))) throw new Error("dist/cli/main.js is missing; run npm run build first");
  const native = platform === process.platform && arch === process.arch;
  let runtime = node;
  if (!runtime && download) runtime = await downloadNode(platform, arch);
  if (!runtime && native) runtime = process.execPath;
  if (!runtime) {
    throw new Error(`no Node runtime for ${platform}-${arch} (this Node is ${process.platform}-${process.arch}): pass --node PATH (or set OTTO_TRAY_STAGE_NODE) or --download`);
  }
  const found = binaryTarget(runtime);
  if (found === undefined || found.platform !== platform || (found.arch !== arch && found.arch !== "universal")) {
    throw new Error(`${runtime} is built for ${found ? `${found.platform}-${found.arch}` : "an unknown platform"}, not ${platform}-${arch}`);
  }
  const foreign = foreignLibraries(runtime);
  if (foreign.length > 0) {
    throw new Error(`${runtime} loads ${foreign.join(", ")}, which a Mac without them lacks: use --download or --node with an official build from nodejs.org`);
  }
  out ??= stagedCliDir(platform, arch);
  // Only an earlier staging is replaced: a directory without our manifest is someone else's.
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, SHIPPED_MANIFEST))) {
    throw new Error(`${out} exists and is not a staged CLI (no ${SHIPPED_MANIFEST}); left untouched: choose another --out`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "bin"), { recursive: true });
  mkdirSync(join(out, "runtime"), { recursive: true });

  copyFileSync(runtime, join(out, "runtime", "node"));
  chmodSync(join(out, "runtime", "node"), 0o755);
  copyFileSync(join(root, "scripts", "cli-wrapper.sh"), join(out, "bin", "otto-tray"));
  chmodSync(join(out, "bin", "otto-tray"), 0o755);
  // Source maps stay out: stack traces from the app's CLI point at the bundle, which is what ships.
  cpSync(join(root, "dist", "cli"), join(out, "dist", "cli"), { recursive: true, filter: (source) => !source.endsWith(".map") });
  cpSync(join(root, "native-scripts"), join(out, "native-scripts"), { recursive: true, filter: (source) => !source.endsWith(".md") });
  // Same place relative to dist/cli as in the project: bashGrammarPath() finds it from the CLI's chunks.
  for (const file of GRAMMAR_FILES) cpSync(join(root, file), join(out, file));
  const packages = dependencyClosure(CLI_EXTERNALS);
  // Same relative place as in the project, so nested copies stay nested.
  for (const [from, name] of packages) copyPackage(from, join(out, relative(root, from)), name, platform, arch, native);

  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  // dist/cli is ESM with .js names: this package.json puts it in module scope.
  writeFileSync(join(out, "package.json"), `${JSON.stringify({ name: "otto-tray-cli", version, private: true, type: "module" }, null, 2)}\n`);
  const nodeVersion = native && runtime === process.execPath ? process.version : null;
  writeFileSync(join(out, SHIPPED_MANIFEST), `${JSON.stringify({ version, platform, arch, node: nodeVersion, packages: [...packages.values()].sort() }, null, 2)}\n`);
  log(`staged the CLI for ${platform}-${arch} in ${relative(root, out)} (node ${runtime}; packages ${[...packages.values()].sort().join(", ")})`);
  return out;
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--platform") options.platform = value();
    else if (arg === "--arch") options.arch = value();
    else if (arg === "--node") options.node = value();
    else if (arg === "--download") options.download = true;
    else if (arg === "--out") options.out = resolve(value());
    else throw new Error(`unknown option ${arg}; usage: node scripts/stage-cli.mjs [--platform darwin|linux] [--arch arm64|x64] [--node PATH | --download] [--out DIR]`);
  }
  return options;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await stageCli({ ...parseArgs(process.argv.slice(2)), log: (line) => process.stdout.write(`${line}\n`) });
  } catch (error) {
    process.stderr.write(`stage-cli: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
}
