// `pool with` forwards signals to its command, returns the command's exit code, and frees the sidetick after.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CLI_BIN, runCli } from "../../../test-support/cli";
import { makeRepoWithOrigin } from "../../../test-support/git";

describe("pool with and signals", () => {
  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)("hands %s to the command and returns its exit code", async (signal) => {
    const { root, repo } = makeRepoWithOrigin();
    const common = ["--repo", repo, "--pool-root", join(root, "pool"), "--home", join(root, "home"), "--identity", "otto-cli"];
    expect(runCli(["pool", "init", ...common, "--size", "1"]).code).toBe(0);
    const ready = join(root, "ready");
    const got = join(root, "got");
    // The command says where it runs, then waits for a signal and exits 42 after noting which one it got.
    const script = `
      const fs = require("node:fs");
      for (const s of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(s, () => { fs.writeFileSync(${JSON.stringify(got)}, s); process.exit(42); });
      fs.writeFileSync(${JSON.stringify(ready)}, process.cwd());
      setInterval(() => {}, 1000);`;
    const wrapper = spawn(process.execPath, [CLI_BIN, "pool", "with", ...common, "--", process.execPath, "-e", script], { stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => wrapper.on("exit", (code) => resolve(code)));
    // The file exists a moment before its content does (writeFileSync is open, then write).
    for (let i = 0; i < 200 && !(existsSync(ready) && readFileSync(ready, "utf8") !== ""); i++) await sleep(50);
    expect(readFileSync(ready, "utf8")).toBe(join(root, "pool", "otto-cli", "sidetick-1"));

    wrapper.kill(signal);
    expect(await exited).toBe(42);
    expect(readFileSync(got, "utf8")).toBe(signal);
    const status = JSON.parse(runCli(["pool", "status", ...common, "--json"]).stdout);
    expect(status.identities[0].sideticks[0].state).toBe("free");
  });

  it("ends the command's whole process tree when the wrapper is SIGKILLed", async () => {
    const { root, repo } = makeRepoWithOrigin();
    const common = ["--repo", repo, "--pool-root", join(root, "pool"), "--home", join(root, "home"), "--identity", "otto-cli"];
    expect(runCli(["pool", "init", ...common, "--size", "1"]).code).toBe(0);
    const pids = join(root, "pids");
    // A shell that starts a grandchild (as `sh -c "npm test"` would) and waits for it.
    const script = `sleep 300 & echo "$$ $!" > ${JSON.stringify(pids)}; wait`;
    const wrapper = spawn(process.execPath, [CLI_BIN, "pool", "with", ...common, "--", "/bin/sh", "-c", script], { stdio: "ignore" });
    const exited = new Promise((resolve) => wrapper.on("exit", resolve));
    for (let i = 0; i < 200 && !(existsSync(pids) && readFileSync(pids, "utf8").includes("\n")); i++) await sleep(50);
    const [shell, grandchild] = readFileSync(pids, "utf8").trim().split(" ").map(Number) as [number, number];
    expect(alive(shell) && alive(grandchild)).toBe(true);

    wrapper.kill("SIGKILL");
    await exited;
    for (let i = 0; i < 100 && (alive(shell) || alive(grandchild)); i++) await sleep(50);
    expect({ shell: alive(shell), grandchild: alive(grandchild) }).toEqual({ shell: false, grandchild: false });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
