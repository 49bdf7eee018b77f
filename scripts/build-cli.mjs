// Builds the `otto-tray` CLI (esbuild, code-split so each command loads only what it needs), the library bundle and its types.
import { execFileSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { nodeBundle, root } from "./build-common.mjs";

const shared = {
  ...nodeBundle,
  target: "node20",
  format: "esm",
  splitting: true,
  // Native addons stay on disk; electron never reaches the CLI. web-tree-sitter finds its runtime wasm beside its own
  // module (import.meta.url), so it stays a package on disk too (staged with the CLI: scripts/stage-cli.mjs).
  external: ["fs-native-extensions", "electron", "node-pty", "@xterm/headless", "web-tree-sitter"],
  banner: { js: "import { createRequire as __ottoCreateRequire } from 'node:module'; const require = __ottoCreateRequire(import.meta.url);" },
};

const cli = await build({ ...shared, entryPoints: { main: "cli/main.ts" }, outdir: "dist/cli", chunkNames: "chunks/[name]-[hash]", metafile: true });
// Chunk names carry content hashes: drop the ones this build no longer references.
const current = new Set(Object.keys(cli.metafile.outputs).map((p) => p.replace(/^dist\/cli\//, "")));
for (const name of readdirSync(`${root}dist/cli/chunks`)) {
  const relative = `chunks/${name}`;
  if (!current.has(relative) && !current.has(relative.replace(/\.map$/, ""))) rmSync(`${root}dist/cli/${relative}`, { force: true });
}

// The library keeps its dependencies external: callers install them with the package.
await build({
  ...shared,
  entryPoints: { index: "core/index.ts" },
  outdir: "dist/lib",
  splitting: false,
  banner: {},
  packages: "external",
});

// Type declarations for library callers. `npm run typecheck` is the gate for type errors, so a
// declaration problem here only warns: the CLI must stay buildable while code is being edited.
try {
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-p", "tsconfig.lib.json"], { cwd: root, stdio: "pipe" });
} catch (error) {
  process.stderr.write(`build: type declarations had errors (run npm run typecheck):\n${error.stdout ?? ""}`);
}
