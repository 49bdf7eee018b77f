// The macOS half of package-check: validates the configuration, then packages a macOS `dir` build offline and reads its Info.plist.
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { FUSE_NAMES, makeFakeMacElectron, readFuses } from "./fake-electron.mjs";
import { builderInternals, pngSize } from "./inspect.mjs";

const MAC_ARCHES = ["arm64", "x64"];

function targetsOf(mac) {
  const found = new Set();
  for (const item of [mac?.target ?? []].flat()) {
    const name = typeof item === "string" ? item : item.target;
    const arches = typeof item === "string" ? [] : [item.arch ?? []].flat();
    for (const arch of arches) found.add(`${name}-${arch}`);
  }
  return found;
}

/** Checks the configuration's macOS section as written, and electron-builder's own validation of the whole. */
async function checkMacConfig(checks, { root, config: configFile }) {
  const { validateConfiguration, parsePlistFile, DebugLogger } = builderInternals();
  const require = createRequire(`${root}package.json`);
  delete require.cache[configFile];
  const config = require(configFile);
  let invalid;
  try {
    await validateConfiguration(structuredClone(config), new DebugLogger(false));
  } catch (error) {
    invalid = error.message.split("\n").slice(0, 6).join(" ");
  }
  checks.check("electron-builder validates the configuration", invalid);
  const mac = config.mac ?? {};
  checks.check("appId dev.otto.tray, productName Otto Tray", config.appId !== "dev.otto.tray" ? `appId is ${config.appId}` : config.productName !== "Otto Tray" ? `productName is ${config.productName}` : undefined);
  const targets = targetsOf(mac);
  const missingTargets = ["dmg", "zip"].flatMap((t) => MAC_ARCHES.map((a) => `${t}-${a}`)).filter((t) => !targets.has(t) && !targets.has(t.replace(/-(arm64|x64)$/, "-universal")));
  checks.check("mac targets: dmg and zip for arm64 and x64", missingTargets.length > 0 ? `missing ${missingTargets.join(", ")}` : undefined);
  checks.check("mac: LSUIElement (no Dock icon)", mac.extendInfo?.LSUIElement === true ? undefined : "extendInfo.LSUIElement is not true");
  const usage = mac.extendInfo?.NSAppleEventsUsageDescription;
  checks.check("mac: NSAppleEventsUsageDescription", typeof usage === "string" && usage.trim().length > 20 ? undefined : "extendInfo.NSAppleEventsUsageDescription is missing or too short to explain itself");
  checks.check("mac: hardened runtime", mac.hardenedRuntime === true ? undefined : "hardenedRuntime is not true");
  checks.check("mac: category", typeof mac.category === "string" && mac.category.startsWith("public.app-category.") ? undefined : "category is not a public.app-category");
  for (const [key, required] of [
    ["entitlements", ["com.apple.security.cs.allow-jit", "com.apple.security.automation.apple-events"]],
    ["entitlementsInherit", ["com.apple.security.cs.allow-jit"]],
  ]) {
    const file = mac[key] ? join(root, mac[key]) : undefined;
    let problem;
    if (file === undefined || !existsSync(file)) problem = `${mac[key] ?? `mac.${key}`} does not exist`;
    else {
      const plist = await parsePlistFile(file).catch((error) => ({ unreadable: error.message }));
      const missing = required.filter((k) => plist[k] !== true);
      problem = plist.unreadable ? `${mac[key]} is not a plist: ${plist.unreadable}` : missing.length > 0 ? `${mac[key]} lacks ${missing.join(", ")}` : undefined;
    }
    checks.check(`mac: ${key} file with ${required.join(", ")}`, problem);
  }
  checks.check("electronFuses: runAsNode off", config.electronFuses?.runAsNode === false ? undefined : "electronFuses.runAsNode is not false (the app holds Accessibility/Automation permissions)");
  const resources = [config.extraResources ?? []].flat().map((r) => (typeof r === "string" ? { from: r, to: r } : r));
  checks.check("extraResources: native-scripts", resources.some((r) => r.to === "native-scripts") ? undefined : "no extraResources entry to native-scripts");
  checks.check("extraResources: the CLI staged per arch", resources.some((r) => r.to === "cli" && String(r.from).includes("${arch}")) ? undefined : "no extraResources entry from build/cli/${os}-${arch} to cli");
  const icon = join(root, "build", "icon.png");
  if (!existsSync(icon)) checks.warn("build/icon.png does not exist yet: electron-builder uses Electron's default icon");
  else {
    const size = pngSize(icon);
    checks.check("build/icon.png is a PNG of at least 512x512 (macOS icns)", size === undefined ? "not a PNG" : size.width < 512 || size.height < 512 ? `${size.width}x${size.height}` : undefined);
  }
  return { config, parsePlistFile };
}

/**
 * Packages a macOS arm64 `dir` build against a stand-in Electron.app and a stand-in staged CLI (a Mac's Node cannot be
 * staged here), through a configuration that only redirects those inputs and the output. Signing is skipped (not a Mac,
 * and no identity), so this checks everything up to it: the Info.plist electron-builder writes, resources, fuses.
 */
async function checkMacBuild(checks, { root, config: configFile, out, builder, run, log }, parsePlistFile) {
  const work = join(out, "mac");
  const electronDist = makeFakeMacElectron(join(work, "fake-electron"), JSON.parse(readFileSync(join(root, "node_modules", "electron", "package.json"), "utf8")).version);
  const fakeCli = join(work, "cli", "mac-arm64");
  mkdirSync(join(fakeCli, "bin"), { recursive: true });
  mkdirSync(join(fakeCli, "node_modules", "stand-in"), { recursive: true });
  writeFileSync(join(fakeCli, "bin", "otto-tray"), "#!/bin/sh\n# stand-in for the staged macOS CLI\n");
  writeFileSync(join(fakeCli, "node_modules", "stand-in", "package.json"), "{}\n");
  const overrides = join(work, "mac-check.cjs");
  // The per-arch `from` keeps its ${os}-${arch} macro, so the build also shows which staging directory a Mac build reads.
  writeFileSync(
    overrides,
    `const base = require(${JSON.stringify(configFile)});
const cli = ${JSON.stringify(join(work, "cli"))};
module.exports = {
  ...base,
  electronDist: ${JSON.stringify(electronDist)},
  directories: { ...base.directories, output: ${JSON.stringify(join(work, "out"))} },
  extraResources: (base.extraResources || []).map((r) => (r && typeof r === "object" && String(r.from).startsWith("build/cli/") ? { ...r, from: r.from.replace("build/cli", cli) } : r)),
  mac: { ...base.mac, identity: null, notarize: false, target: [{ target: "dir", arch: ["arm64"] }] },
};
`,
  );
  log("packaging: electron-builder --mac dir --arm64 (stand-in Electron.app, no signing)");
  const built = run(process.execPath, [builder, "--mac", "dir", "--arm64", "--projectDir", root, "-c", overrides, "-c.npmRebuild=false"], {
    env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: "false", ELECTRON_BUILDER_OFFLINE: "1" },
  });
  checks.check("electron-builder --mac dir --arm64 succeeds", built.code === 0 ? undefined : `exit ${built.code}:\n${built.output.trim().split("\n").slice(-15).join("\n")}`);
  if (built.code !== 0) return;
  const contents = join(work, "out", "mac-arm64", "Otto Tray.app", "Contents");
  const info = existsSync(join(contents, "Info.plist")) ? await parsePlistFile(join(contents, "Info.plist")) : {};
  checks.check("mac Info.plist: CFBundleIdentifier dev.otto.tray", info.CFBundleIdentifier === "dev.otto.tray" ? undefined : `is ${info.CFBundleIdentifier}`);
  checks.check("mac Info.plist: LSUIElement true", info.LSUIElement === true ? undefined : `is ${info.LSUIElement}`);
  checks.check("mac Info.plist: NSAppleEventsUsageDescription", typeof info.NSAppleEventsUsageDescription === "string" && info.NSAppleEventsUsageDescription.length > 0 ? undefined : "missing");
  checks.check("mac Info.plist: ElectronAsarIntegrity for app.asar", info.ElectronAsarIntegrity?.["Resources/app.asar"]?.hash ? undefined : "missing (embeddedAsarIntegrityValidation needs it)");
  const resources = join(contents, "Resources");
  for (const file of ["app.asar", "native-scripts/jxa-common.js", "cli/bin/otto-tray", "cli/node_modules/stand-in/package.json"]) {
    checks.check(`mac Resources/${file}`, existsSync(join(resources, file)) ? undefined : `missing (from ${relative(root, join(resources, file))})`);
  }
  for (const arch of ["darwin-arm64"]) {
    const addon = join(resources, "app.asar.unpacked", "node_modules", "fs-native-extensions", "prebuilds", arch, "fs-native-extensions.node");
    checks.check(`mac app.asar.unpacked: fs-native-extensions ${arch}`, existsSync(addon) ? undefined : "missing");
  }
  const framework = join(contents, "Frameworks", "Electron Framework.framework", "Electron Framework");
  const fuses = existsSync(framework) ? readFuses(framework) : undefined;
  checks.check("mac fuses: RunAsNode off in Electron Framework", fuses?.runAsNode === false ? undefined : `fuses ${JSON.stringify(fuses ?? null)} (${FUSE_NAMES[0]} should be off)`);
}

/** Both macOS checks; the build runs only when the configuration passed electron-builder's validation. */
export async function checkMac(checks, context) {
  const { parsePlistFile } = await checkMacConfig(checks, context);
  if (checks.results.some((r) => r.name === "electron-builder validates the configuration" && r.problem !== undefined)) return;
  await checkMacBuild(checks, context, parsePlistFile);
}
