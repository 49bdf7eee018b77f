// The CLI as the app ships it (scripts/stage-cli.mjs): runs with no node on PATH, through symlinks, and its hooks survive the app moving.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureStableCli, stableCliPath } from "../core/app/cli-link";
import { shellQuote } from "../core/hooks/settings";
import { FIXTURES, REPO_ROOT } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const root = makeTempDir("otto-shipped-");
const home = join(root, "home");
/** An empty directory as the whole PATH: no node (and no readlink: the wrapper falls back to /usr/bin/readlink). */
const tools = join(root, "empty-path");
const PATH = tools;
const appCli = (parent: string) => join(root, parent, "Otto Tray.app", "Contents", "Resources", "cli");

function sh(command: string, input = ""): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync("/bin/sh", ["-c", command], { input, encoding: "utf8", env: { PATH, HOME: home }, timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, "dist", "cli", "main.js"))) throw new Error("the CLI is not built: run `npm run build` first");
  mkdirSync(tools);
  const staged = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "stage-cli.mjs"), "--out", appCli("Downloads")], { encoding: "utf8" });
  if (staged.status !== 0) throw new Error(`stage-cli failed: ${staged.stderr}`);
});

describe("the CLI shipped inside the app", () => {
  it("runs its own Node with no node on PATH", () => {
    expect(sh("command -v node").code).not.toBe(0);
    expect(sh("command -v readlink").code).not.toBe(0);
    const result = sh(`'${appCli("Downloads")}/bin/otto-tray' --version`);
    expect(result).toMatchObject({ code: 0, stdout: `otto-tray ${VERSION}\n` });
  });

  it("runs through a chain of symlinks from other directories, relative and absolute", () => {
    const elsewhere = join(root, "usr-local-bin");
    mkdirSync(elsewhere);
    symlinkSync(`${appCli("Downloads")}/bin/otto-tray`, join(elsewhere, "otto-tray-abs"));
    symlinkSync("otto-tray-abs", join(elsewhere, "otto-tray"));
    expect(sh(`'${join(elsewhere, "otto-tray")}' --version`)).toMatchObject({ code: 0, stdout: `otto-tray ${VERSION}\n` });
    // Found on PATH by name, as `ln -s …/otto-tray /usr/local/bin/otto-tray` is used.
    const onPath = spawnSync("/bin/sh", ["-c", "otto-tray --version"], { encoding: "utf8", env: { PATH: `${tools}:${elsewhere}` } });
    expect(onPath.stdout).toBe(`otto-tray ${VERSION}\n`);
  });

  it("installs hooks through the stable link, and they keep beating after the app is moved and the link re-pointed", () => {
    const stableLink = stableCliPath(home, process.platform, {});
    expect(ensureStableCli({ stableLink, target: `${appCli("Downloads")}/bin/otto-tray` }).status).toBe("created");
    const settings = join(root, "settings.json");
    const bus = join(root, "bus");
    const install = sh(`'${stableLink}' hooks install --surface otto-cli --settings '${settings}' --bus-dir '${bus}' --home '${join(root, "state")}' --json`);
    expect(install.code, install.stderr).toBe(0);
    const command = (JSON.parse(install.stdout) as { command: string }).command;
    // The stable link itself, not the copy inside this app location, and no node in front of it.
    expect(command.startsWith(`${shellQuote(stableLink)} hook --surface otto-cli`)).toBe(true);
    const event = readFileSync(join(FIXTURES, "claude-code", "hook-events", "session-start.json"), "utf8");
    expect(sh(command, event)).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(readdirSync(bus).filter((name) => name.endsWith(".json"))).toHaveLength(1);

    mkdirSync(join(root, "Applications"));
    renameSync(join(root, "Downloads", "Otto Tray.app"), join(root, "Applications", "Otto Tray.app"));
    expect(sh(command, event).code).not.toBe(0);
    // What the app does at start, with its new resources path.
    expect(ensureStableCli({ stableLink, target: `${appCli("Applications")}/bin/otto-tray` }).status).toBe("repointed");
    expect(sh(command, event)).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(readdirSync(bus).filter((name) => name.endsWith(".json"))).toHaveLength(2);
    const status = sh(`'${stableLink}' hooks status --settings '${settings}' --surface otto-cli --home '${join(root, "state")}'`);
    expect(status.stdout).toMatch(/otto-cli: current/);
  });

  it("without the stable link, installs hooks that run the app's wrapper directly (still no node on PATH)", () => {
    const settings = join(root, "settings-direct.json");
    const env = { PATH, HOME: join(root, "other-home") };
    const direct = spawnSync("/bin/sh", ["-c", `'${appCli("Applications")}/bin/otto-tray' hooks install --surface otto-desktop --settings '${settings}' --home '${join(root, "state")}' --json`], { encoding: "utf8", env });
    expect(direct.status, direct.stderr).toBe(0);
    const command = (JSON.parse(direct.stdout) as { command: string }).command;
    expect(command.startsWith(`'${appCli("Applications")}/bin/otto-tray' hook --surface otto-desktop`)).toBe(true);
  });

  it("staging refuses a Node runtime that loads a shared libnode or Homebrew libraries, naming them", () => {
    const fake = join(root, "fake-node");
    // An ELF x86-64/arm64 header, then the dynamic string table entry of a distribution's shared-library build.
    const header = Buffer.alloc(64);
    header.writeUInt32BE(0x7f454c46, 0);
    header.writeUInt16LE(process.arch === "arm64" ? 183 : 62, 18);
    writeFileSync(fake, Buffer.concat([header, Buffer.from("\0libnode.so.115\0/opt/homebrew/opt/icu4c/lib/libicui18n.76.dylib\0")]));
    const out = join(root, "refused-stage");
    const staged = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "stage-cli.mjs"), "--platform", "linux", "--arch", process.arch, "--node", fake, "--out", out], { encoding: "utf8" });
    expect(staged.status).toBe(1);
    expect(staged.stderr).toMatch(/loads libnode\.so\.115, \/opt\/homebrew\/opt\/icu4c\/lib\/libicui18n\.76\.dylib, which a Mac without them lacks: use --download/);
    expect(existsSync(out)).toBe(false);
  });
});
