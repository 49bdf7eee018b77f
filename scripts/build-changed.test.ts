// `npm start`'s decision to rebuild (scripts/build-changed.mjs) over real files: a changed, added or removed source, or an
// output changed or gone, means rebuild; nothing changed since the stamp means none; a missing or broken stamp means rebuild.
import { mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";
import { BUILDS, type Build, fingerprint, staleReason, writeStamp } from "./build-changed.mjs";

const BUILD: Build = { name: "cli", inputs: ["src", "package.json", "tsconfig.extra.json"], outputs: ["dist/cli"], command: [] };
const AN_HOUR_AGO = new Date(Date.now() - 3_600_000);

/** A project with two sources, a config file, one output, and the build recorded as done from them. */
function builtProject(): string {
  const root = makeTempDir("otto-build-changed-");
  mkdirSync(join(root, "src", "nested"), { recursive: true });
  mkdirSync(join(root, "dist", "cli"), { recursive: true });
  for (const [path, text] of [
    ["src/main.ts", "export const a = 1;\n"],
    ["src/nested/util.ts", "export const b = 2;\n"],
    ["package.json", "{}\n"],
    ["dist/cli/main.js", "console.log(1);\n"],
  ]) {
    writeFileSync(join(root, path as string), text as string);
    utimesSync(join(root, path as string), AN_HOUR_AGO, AN_HOUR_AGO);
  }
  writeStamp(root, BUILD, fingerprint(root, BUILD.inputs));
  return root;
}

describe("whether npm start rebuilds", () => {
  it("does not rebuild what has not changed since its last build", () => {
    const root = builtProject();
    expect(staleReason(root, BUILD)).toBeUndefined();
    expect(staleReason(root, BUILD)).toBeUndefined();
  });

  it("rebuilds when a source is edited, even to the same size", () => {
    const root = builtProject();
    writeFileSync(join(root, "src", "nested", "util.ts"), "export const b = 3;\n");
    expect(staleReason(root, BUILD)).toBe("sources changed");
  });

  it("rebuilds when a source is added or removed, or a config file that was missing appears", () => {
    const added = builtProject();
    writeFileSync(join(added, "src", "new.ts"), "export {};\n");
    expect(staleReason(added, BUILD)).toBe("sources changed");
    const removed = builtProject();
    rmSync(join(removed, "src", "main.ts"));
    expect(staleReason(removed, BUILD)).toBe("sources changed");
    const appeared = builtProject();
    writeFileSync(join(appeared, "tsconfig.extra.json"), "{}\n");
    expect(staleReason(appeared, BUILD)).toBe("sources changed");
  });

  it("rebuilds when its output was changed by another build, or removed", () => {
    const changed = builtProject();
    writeFileSync(join(changed, "dist", "cli", "main.js"), "console.log(22);\n");
    expect(staleReason(changed, BUILD)).toBe("its output changed or is missing");
    const removed = builtProject();
    rmSync(join(removed, "dist", "cli"), { recursive: true });
    expect(staleReason(removed, BUILD)).toBe("its output changed or is missing");
  });

  it("rebuilds when there is no stamp, or one it did not write", () => {
    const root = makeTempDir("otto-build-changed-");
    expect(staleReason(root, BUILD)).toBe("no record of a previous build");
    const broken = builtProject();
    writeFileSync(join(broken, "dist", ".build-stamps", "cli.json"), "{ not json");
    expect(staleReason(broken, BUILD)).toBe("no record of a previous build");
  });

  it("stamps each of the project's builds on its own: one build's stamp says nothing of another's", () => {
    const root = builtProject();
    expect(staleReason(root, { ...BUILD, name: "ui" })).toBe("no record of a previous build");
    expect(BUILDS.map((b) => b.name)).toEqual(["cli", "electron", "ui"]);
  });
});

describe("the project's builds' declared inputs", () => {
  it("cover every source file the CLI and Electron bundles are made from (esbuild's own list, nothing written)", async () => {
    const { build } = await import("esbuild");
    const { electronBundle, mainBundle } = await import("./electron-main-build.mjs");
    const cliOptions = { bundle: true, platform: "node" as const, format: "esm" as const, packages: "external" as const };
    const graphs = {
      cli: [{ ...cliOptions, entryPoints: ["cli/main.ts", "core/index.ts"] }],
      electron: [
        { ...mainBundle, entryPoints: ["electron/main/index.ts"], packages: "external" as const },
        { ...electronBundle, banner: {}, entryPoints: ["electron/preload/index.ts"], external: ["electron"] },
      ],
    };
    for (const [name, optionsList] of Object.entries(graphs)) {
      const declared = BUILDS.find((b) => b.name === name)?.inputs ?? [];
      for (const options of optionsList) {
        const result = await build({ ...options, absWorkingDir: REPO_ROOT, write: false, metafile: true, outdir: "out", logLevel: "silent" });
        const sources = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("node_modules/") && !p.includes(":"));
        expect(sources.length).toBeGreaterThan(0);
        expect(sources.filter((p) => !declared.some((d) => p === d || p.startsWith(`${d}/`)))).toEqual([]);
      }
    }
  });
});
