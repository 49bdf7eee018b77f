// What hooks installed from the menu-bar app run: the stable link when packaged, the checkout on PATH's node in development.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { hookExecutable, nodeOnPath } from "./hook-command";

const stableLink = "/Users/me/Library/Application Support/Otto Tray/bin/otto-tray";
const shippedCli = "/Applications/Otto Tray.app/Contents/Resources/cli/bin/otto-tray";

describe("hookExecutable", () => {
  it("packaged: the stable link (quoted for a shell) while it leads to this app, else the CLI inside the bundle", () => {
    const base = { packaged: true, stableLink, shippedCli, checkoutBin: "/nowhere", pathEnv: "" };
    expect(hookExecutable({ ...base, stableLinkCurrent: true })).toBe(`'${stableLink}'`);
    expect(hookExecutable({ ...base, stableLinkCurrent: false })).toBe(`'${shippedCli}'`);
  });

  it("development: the first node on PATH and this checkout's bin/otto-tray, both absolute; none when either is missing", () => {
    const root = makeTempDir("otto-hook-cmd-");
    const [relative, empty, nodeDir] = ["rel", "empty", "node dir"].map((d) => join(root, d)) as [string, string, string];
    for (const dir of [empty, nodeDir]) mkdirSync(dir);
    for (const file of [join(nodeDir, "node"), join(root, "otto-tray")]) {
      writeFileSync(file, "#!/bin/sh\n");
      chmodSync(file, 0o755);
    }
    const base = { packaged: false, stableLink, stableLinkCurrent: false, shippedCli, checkoutBin: join(root, "otto-tray") };
    const pathEnv = ["relative/bin", relative, empty, nodeDir].join(":");
    expect(nodeOnPath(pathEnv)).toBe(join(nodeDir, "node"));
    expect(hookExecutable({ ...base, pathEnv })).toBe(`'${join(nodeDir, "node")}' ${join(root, "otto-tray")}`);
    expect(hookExecutable({ ...base, pathEnv: empty })).toBeUndefined();
    expect(hookExecutable({ ...base, pathEnv, checkoutBin: join(root, "missing") })).toBeUndefined();
  });
});
