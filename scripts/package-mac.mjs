// `npm run package:mac`: on a Mac, stages the CLI for each arch and builds the signed dmg and zip with electron-builder.
//
//   npm run package:mac [-- --arch arm64|x64] [-- extra electron-builder options]
//
// Each arch's CLI gets the Node binary $OTTO_TRAY_STAGE_NODE_ARM64 / _X64 names, else the official build of this Node
// version downloaded from nodejs.org (checked against SHASUMS256.txt; self-contained, unlike Homebrew's node).
// Signing and notarization are electron-builder's: a Developer ID in the keychain (or CSC_LINK/CSC_KEY_PASSWORD), and
// APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER (or APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID) to notarize.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stageCli } from "./stage-cli.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

if (process.platform !== "darwin") {
  process.stderr.write(`package:mac builds the macOS app and runs only on a Mac (this is ${process.platform}); npm run package:check checks the package offline here\n`);
  process.exit(2);
}
const argv = process.argv.slice(2);
const arches = [];
const passOn = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--arch" && (argv[i + 1] === "arm64" || argv[i + 1] === "x64")) arches.push(argv[++i]);
  else passOn.push(argv[i]);
}
if (arches.length === 0) arches.push("arm64", "x64");
try {
  for (const arch of arches) {
    const node = process.env[`OTTO_TRAY_STAGE_NODE_${arch.toUpperCase()}`];
    // Downloaded unless named: a Homebrew or nvm node on this Mac may load libraries the person's Mac lacks.
    await stageCli({ platform: "darwin", arch, node, download: node === undefined, log: (line) => process.stdout.write(`${line}\n`) });
  }
} catch (error) {
  process.stderr.write(`package:mac: ${error.message}\n`);
  process.exit(1);
}
const builder = join(root, "node_modules", "electron-builder", "cli.js");
const result = spawnSync(process.execPath, [builder, "--mac", ...arches.map((arch) => `--${arch}`), "--publish", "never", ...passOn], { cwd: root, stdio: "inherit" });
process.exit(result.status ?? 1);
