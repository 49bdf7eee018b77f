// `npm run package:check`: the offline Linux directory build of the app, then checks of what it holds, and of the macOS configuration.
//
//   node scripts/package-check.mjs [--out DIR] [--config FILE] [--keep]
//
// Builds dist/ when it is missing, stages the CLI (scripts/stage-cli.mjs), packages with electron-builder against a
// stand-in Electron (its binary cannot be downloaded here) and checks the result: app.asar, unpacked native modules,
// native-scripts, the shipped CLI (which must run, and judge a command with the shipped Bash parser), fuses. Then validates the macOS configuration and packages a macOS
// `dir` build against a stand-in Electron.app (signing is skipped off a Mac) to check its Info.plist. Exit 0 when every
// check passes, 1 naming each failure, 2 on bad arguments.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stageCli } from "./stage-cli.mjs";
import { checkMac } from "./package-check/mac.mjs";
import { makeFakeLinuxElectron, readFuses } from "./package-check/fake-electron.mjs";
import { bareRequires, openAsar, pageAssets } from "./package-check/inspect.mjs";
import { checkAsarParser, checkCliParserFiles, checkShippedActuatorJudge, checkShippedCliJudges, checkShippedParserLoads } from "./package-check/parser.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const BUILDER = join(root, "node_modules", "electron-builder", "cli.js");
/** Marks an output directory as ours, so a rerun may empty it. */
const MARKER = ".otto-package-check";
/** Fuse settings the app must ship with (electron-builder.cjs electronFuses). */
const REQUIRED_FUSES = { runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true };

function parseArgs(argv) {
  const options = { out: join(root, "release", "package-check"), config: join(root, "electron-builder.cjs"), keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out" && argv[i + 1]) options.out = resolve(argv[++i]);
    else if (arg === "--config" && argv[i + 1]) options.config = resolve(argv[++i]);
    else if (arg === "--keep") options.keep = true;
    else throw Object.assign(new Error(`unknown or incomplete option ${arg}; usage: node scripts/package-check.mjs [--out DIR] [--config FILE] [--keep]`), { usage: true });
  }
  return options;
}

/** Collects results; each check is a name and either nothing (pass) or what is wrong. */
export class Checks {
  results = [];
  check(name, problem) {
    this.results.push({ name, problem: problem || undefined });
  }
  warn(message) {
    this.results.push({ name: message, warning: true });
  }
  get failures() {
    return this.results.filter((r) => r.problem !== undefined);
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  return { code: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}`, error: result.error };
}

function ensureBuilt(log) {
  const needed = ["dist/electron/main.cjs", "dist/electron/preload.cjs", "dist/renderer/index.html", "dist/cli/main.js"];
  const missing = needed.filter((file) => !existsSync(join(root, file)));
  if (missing.length === 0) return;
  log(`building (missing ${missing.join(", ")})`);
  const built = run("npm", ["run", "build"]);
  if (built.code !== 0) throw new Error(`npm run build failed:\n${built.output}`);
}

function prepareOut(out) {
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(join(out, MARKER))) {
    throw Object.assign(new Error(`${out} exists and is not a package-check output (no ${MARKER}); left untouched: choose another --out`), { usage: true });
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, MARKER), "output of scripts/package-check.mjs; removed by its next run\n");
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What the Linux directory build holds: the app, its unpacked addons, resources, the shipped CLI, the fuses. */
function checkLinuxPackage(checks, appDir) {
  const resources = join(appDir, "resources");
  const asarFile = join(resources, "app.asar");
  if (!existsSync(asarFile)) return checks.check("app.asar exists", `${relative(root, asarFile)} is missing`);
  const archive = openAsar(asarFile);
  const has = (entry) => archive.entries.has(entry);
  const manifest = has("/package.json") ? JSON.parse(archive.read("/package.json")) : undefined;
  checks.check("app.asar: package.json with main", manifest === undefined ? "no /package.json" : manifest.main !== pkg.main ? `main is ${manifest.main}, expected ${pkg.main}` : undefined);
  for (const entry of ["/dist/electron/main.cjs", "/dist/electron/preload.cjs", "/dist/renderer/index.html"]) checks.check(`app.asar: ${entry}`, has(entry) ? undefined : "missing");
  if (has("/dist/renderer/index.html")) {
    const assets = pageAssets(archive.read("/dist/renderer/index.html"));
    const missing = assets.filter((asset) => !has(`/dist/renderer/${asset}`));
    checks.check(`app.asar: the renderer's ${assets.length} assets`, assets.length === 0 ? "index.html loads no assets" : missing.length > 0 ? `missing ${missing.join(", ")}` : undefined);
  }
  const strays = [...archive.entries].filter(
    (e) => /\.(ts|tsx|map|md)$/.test(e) || /\.test\.|\.spec\./.test(e) || /^\/(core|cli|electron|renderer|bench|e2e|scripts|test-support|native-scripts|build|src)(\/|$)/.test(e) || /\/(fixtures|__tests__)\//.test(e),
  );
  checks.check("app.asar: no sources, tests or fixtures", strays.length > 0 ? `found ${strays.slice(0, 8).join(", ")}${strays.length > 8 ? ` and ${strays.length - 8} more` : ""}` : undefined);
  checks.check("app.asar: node-pty left out (it never loads in the app)", has("/node_modules/node-pty") ? "node_modules/node-pty is packaged" : undefined);
  for (const bundle of ["/dist/electron/main.cjs", "/dist/electron/preload.cjs"]) {
    if (!has(bundle)) continue;
    const missing = bareRequires(archive.read(bundle)).filter((name) => name !== "electron" && !has(`/node_modules/${name}/package.json`));
    checks.check(`app.asar: every package ${bundle.slice(1)} requires is packaged`, missing.length > 0 ? `missing ${missing.join(", ")} (electron-builder.cjs files excludes it?)` : undefined);
  }
  checkAsarParser(checks, archive, root);
  const addons = [...archive.entries].filter((e) => e.endsWith(".node"));
  const packed = addons.filter((e) => !archive.unpacked(e));
  checks.check("native addons unpacked from app.asar", addons.length === 0 ? "no .node file in the package" : packed.length > 0 ? `inside the archive: ${packed.join(", ")}` : undefined);
  const fsExt = join(resources, "app.asar.unpacked", "node_modules", "fs-native-extensions", "prebuilds", `linux-${process.arch}`, "fs-native-extensions.node");
  checks.check("app.asar.unpacked: fs-native-extensions' .node", existsSync(fsExt) ? undefined : `${relative(appDir, fsExt)} is missing`);

  const scripts = readdirSync(join(root, "native-scripts")).filter((name) => name.endsWith(".js"));
  const missingScripts = scripts.filter((name) => !existsSync(join(resources, "native-scripts", name)));
  checks.check(`resources/native-scripts: ${scripts.join(", ")}`, missingScripts.length > 0 ? `missing ${missingScripts.join(", ")}` : undefined);

  const cli = join(resources, "cli");
  for (const [file, what] of [
    ["bin/otto-tray", "the wrapper"],
    ["runtime/node", "the Node runtime"],
  ]) {
    checks.check(`resources/cli/${file} (${what}) is executable`, isExecutable(join(cli, file)) ? undefined : "missing or not executable");
  }
  for (const file of ["dist/cli/main.js", "package.json", "otto-tray-cli.json", "native-scripts/jxa-common.js", "node_modules/fs-native-extensions/package.json", "node_modules/node-pty/package.json", "node_modules/@xterm/headless/package.json"]) {
    checks.check(`resources/cli/${file}`, existsSync(join(cli, file)) ? undefined : "missing");
  }
  // The shipped CLI runs from the package with nothing on PATH: it brings its own Node.
  const emptyPath = mkdtempSync(join(tmpdir(), "otto-empty-path-"));
  const version = run(join(cli, "bin", "otto-tray"), ["--version"], { env: { PATH: emptyPath } });
  rmSync(emptyPath, { recursive: true, force: true });
  const expected = `otto-tray ${pkg.version}`;
  checks.check(`resources/cli/bin/otto-tray --version prints "${expected}" (empty PATH)`, version.output.trim() === expected ? undefined : `got ${JSON.stringify(version.output.trim() || String(version.error))}`);
  const load = run(join(cli, "runtime", "node"), ["-e", 'require("./node_modules/node-pty"); require("./node_modules/fs-native-extensions"); require("./node_modules/@xterm/headless")'], { cwd: cli, env: {} });
  checks.check("the shipped CLI's native modules load with its Node", load.code === 0 ? undefined : load.output.trim().split("\n").slice(0, 3).join(" "));
  checkCliParserFiles(checks, cli, root);
  const loadMs = checkShippedParserLoads(checks, cli);
  if (loadMs !== undefined) checks.warn(`the shipped CLI's parser loads in ${loadMs.toFixed(1)} ms (web-tree-sitter and the Bash grammar, once per judging process)`);

  const executable = join(appDir, pkg.name);
  const fuses = existsSync(executable) ? readFuses(executable) : undefined;
  const wrong = fuses === undefined ? undefined : Object.entries(REQUIRED_FUSES).filter(([name, value]) => fuses[name] !== value);
  checks.check(
    "fuses: RunAsNode, NODE_OPTIONS and --inspect off; app only from app.asar",
    fuses === undefined ? `no fuse wire in ${relative(root, executable)}` : wrong.length > 0 ? wrong.map(([name, value]) => `${name} should be ${value ? "on" : "off"}`).join(", ") : undefined,
  );
}

function sizeOf(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

export async function packageCheck(options, log = (line) => process.stdout.write(`${line}\n`)) {
  const checks = new Checks();
  ensureBuilt(log);
  prepareOut(options.out);
  await stageCli({ log });
  const electronDist = makeFakeLinuxElectron(join(options.out, "fake-electron-linux"));
  log("packaging: electron-builder --linux dir (stand-in Electron, offline)");
  const built = run(process.execPath, [BUILDER, "--linux", "dir", "--projectDir", root, "-c", options.config, `-c.electronDist=${electronDist}`, "-c.npmRebuild=false", `-c.directories.output=${join(options.out, "linux")}`], {
    env: { ...process.env, ELECTRON_BUILDER_OFFLINE: "1" },
  });
  const appDir = join(options.out, "linux", "linux-unpacked");
  checks.check("electron-builder --linux dir succeeds", built.code === 0 ? undefined : `exit ${built.code}:\n${built.output.trim().split("\n").slice(-15).join("\n")}`);
  if (built.code === 0) {
    checkLinuxPackage(checks, appDir);
    checkShippedActuatorJudge(checks, join(appDir, "resources", "cli"));
    await checkShippedCliJudges(checks, join(appDir, "resources", "cli"));
    checks.warn(`package size: app.asar ${(sizeOf(join(appDir, "resources", "app.asar")) / 1024).toFixed(0)} KiB, resources/cli ${(sizeOf(join(appDir, "resources", "cli")) / 1048576).toFixed(1)} MiB, the whole directory ${(sizeOf(appDir) / 1048576).toFixed(1)} MiB (stand-in Electron)`);
  }
  await checkMac(checks, { root, config: options.config, out: options.out, builder: BUILDER, run, log });
  if (!options.keep) rmSync(join(options.out, "fake-electron-linux"), { recursive: true, force: true });
  return checks;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`package-check: ${error.message}\n`);
    process.exit(2);
  }
  if (process.platform !== "linux") {
    process.stderr.write("package-check: this is the offline Linux check (CI); on a Mac run npm run package:mac\n");
    process.exit(2);
  }
  try {
    const checks = await packageCheck(options);
    process.stdout.write("\nPackage check:\n");
    for (const r of checks.results) process.stdout.write(r.warning ? `  note  ${r.name}\n` : r.problem === undefined ? `  ok    ${r.name}\n` : `  FAIL  ${r.name}: ${r.problem}\n`);
    const failures = checks.failures;
    process.stdout.write(failures.length === 0 ? `\nall ${checks.results.filter((r) => !r.warning).length} checks passed (output in ${relative(process.cwd(), options.out) || "."})\n` : `\n${failures.length} check(s) failed: ${failures.map((f) => f.name).join("; ")}\n`);
    process.exit(failures.length === 0 ? 0 : 1);
  } catch (error) {
    process.stderr.write(`package-check: ${error.message}\n`);
    process.exit(error.usage ? 2 : 1);
  }
}
