// Errors and output a person reads: what was wrong and what to do, no raw bus text reaching the terminal, no stack traces.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI_BIN, REPO_ROOT, runCli } from "../test-support/cli";
import { makeRepoWithOrigin } from "../test-support/git";
import { makeTempDir } from "../test-support/temp";

const HOSTILE_NOTE = "\u001b]0;pwned\u0007first\nFORGED otto-x  working\u001b[2J\u009b31m\u202eevil";

/** Writes one heartbeat envelope by hand, the way another tool on the bus could. */
function writeHeartbeat(bus: string, id: string, payload: Record<string, unknown>, at = new Date()): void {
  const envelope = {
    id,
    topic: "heartbeat",
    payload,
    from: "otto-cli",
    to: "*",
    timestamp: at.toISOString(),
    expiresAt: new Date(at.getTime() + 300_000).toISOString(),
  };
  writeFileSync(join(bus, `${id}.json`), JSON.stringify(envelope));
}

function hasControl(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  return /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(text);
}

/** Runs `sh -c "otto-tray ARGS | head -c0"` and returns the CLI's exit code and stderr. */
function runIntoClosedPipe(args: string): { code: number; stderr: string } {
  const script = `"${process.execPath}" "${CLI_BIN}" ${args} 2>"$ERR" | head -c0; echo "\${PIPESTATUS[0]}"`;
  const errFile = join(makeTempDir(), "stderr");
  const result = spawnSync("bash", ["-c", script], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ERR: errFile } });
  return { code: Number(result.stdout.trim()), stderr: readFileSync(errFile, "utf8") };
}

/** A copy of the built CLI (dist/cli, an ES module scope) in `dir`, readable by every user; returns its entry. */
function builtCliCopy(dir: string): string {
  const copy = join(dir, "cli");
  cpSync(join(REPO_ROOT, "dist", "cli"), join(copy, "dist", "cli"), { recursive: true });
  writeFileSync(join(copy, "package.json"), '{"type":"module"}\n');
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(copy, { recursive: true, withFileTypes: true })) chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  chmodSync(copy, 0o755);
  return join(copy, "dist", "cli", "main.js");
}

describe("otto-tray errors and human output", () => {
  it("heartbeat refuses, with exit 2 and nothing written, what every reader would reject", () => {
    const bus = makeTempDir();
    const base = ["heartbeat", "--bus-dir", bus, "--surface", "otto-cli", "--status", "idle"];
    const longEvent = runCli([...base, "--event", "e".repeat(129)]);
    expect(longEvent.code).toBe(2);
    expect(longEvent.stderr).toMatch(/--event: 129 characters is over the limit of 128/);
    const longNote = runCli([...base, "--note", "n".repeat(4097)]);
    expect(longNote.code).toBe(2);
    expect(longNote.stderr).toMatch(/--note: 4097 characters is over the limit of 4096/);
    const longWaiting = runCli([...base, "--waiting", "w".repeat(5000)]);
    expect(longWaiting.code).toBe(2);
    expect(longWaiting.stderr).toMatch(/--waiting: 5000 characters/);
    expect(readdirSync(bus)).toEqual([]);
    expect(runCli([...base, "--note", "n".repeat(4096)]).code).toBe(0);
  });

  it("status, detect and bus list show bus text without escape sequences or forged lines", () => {
    const bus = makeTempDir();
    chmodSync(bus, 0o700);
    writeHeartbeat(bus, "11111111-2222-4333-8444-555555555555", { status: "alive", waiting: HOSTILE_NOTE, note: HOSTILE_NOTE });
    const status = runCli(["status", "--bus-dir", bus]);
    expect(status.code).toBe(0);
    expect(hasControl(status.stdout)).toBe(false);
    expect(status.stdout).toMatch(/otto-cli\s+waiting.*first FORGED otto-x {2}working/);
    expect(status.stdout.split("\n").filter((l) => l.includes("FORGED"))).toHaveLength(1);
    const list = runCli(["bus", "list", "--bus-dir", bus]);
    expect(hasControl(list.stdout)).toBe(false);
    const detect = runCli(["detect", "--once", "--bus-dir", bus]);
    expect(detect.code).toBe(0);
    expect(detect.stdout).toMatch(/otto-cli/);
    expect(hasControl(detect.stdout)).toBe(false);
    // JSON keeps the text exactly (escaped by JSON itself): machines get the data, people a safe rendering.
    const json = JSON.parse(runCli(["status", "--json", "--bus-dir", bus]).stdout) as { surfaces: { waiting: string }[] };
    expect(json.surfaces[0]?.waiting).toBe(HOSTILE_NOTE);
  });

  it("a negative number names the allowed range instead of node's 'ambiguous argument' text", () => {
    const bus = makeTempDir();
    const pid = runCli(["heartbeat", "--bus-dir", bus, "--surface", "otto-cli", "--status", "idle", "--pid", "-5"]);
    expect(pid.code).toBe(2);
    expect(pid.stderr).toMatch(/--pid: "-5" is not an integer from 1 to 2147483647/);
    expect(pid.stderr).not.toMatch(/ambiguous/);
    const wait = runCli(["pool", "allocate", "--repo", bus, "--identity", "a", "--wait", "-3"]);
    expect(wait.code).toBe(2);
    expect(wait.stderr).toMatch(/--wait: "-3" is not a number of seconds from 0/);
  });

  it("a bus path that is a file, or a bus that cannot be written, is named with what to do", () => {
    const dir = makeTempDir();
    const file = join(dir, "not-a-dir");
    writeFileSync(file, "");
    const onFile = runCli(["heartbeat", "--bus-dir", file, "--surface", "otto-cli", "--status", "idle"]);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toMatch(/the bus directory .*not-a-dir is not a directory \(a file is in the way\)/);
    expect(onFile.stderr).toMatch(/hint: move that file away or pass --bus-dir/);
    expect(onFile.stderr).not.toMatch(/EEXIST|mkdir/);

    const readOnly = join(dir, "read-only-bus");
    mkdirSync(readOnly, { mode: 0o755 });
    chmodSync(dir, 0o755);
    // Root writes anywhere: run the CLI as an unprivileged user where the tests run as root. That user may not read
    // the checkout (CI clones into a private directory), so it runs a copy of the built CLI placed beside the bus.
    const asRoot = process.getuid?.() === 0;
    const asNobody = asRoot ? { uid: 65534, gid: 65534 } : {};
    if (!asRoot) chmodSync(readOnly, 0o555);
    const cli = asRoot ? builtCliCopy(dir) : CLI_BIN;
    const result = spawnSync(process.execPath, [cli, "heartbeat", "--bus-dir", readOnly, "--surface", "otto-cli", "--status", "idle"], {
      encoding: "utf8",
      cwd: "/",
      ...asNobody,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot write to the bus directory .*read-only-bus: permission denied/);
    expect(result.stderr).not.toMatch(/\.tmp-/);
  });

  it("names the subcommand once in an error prefix", () => {
    const t = makeRepoWithOrigin();
    const result = runCli(["pool", "with", "--repo", t.repo, "--", "true"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^otto-tray pool with: --identity is required/);
    const stray = runCli(["bus", "list", "extra", "--bus-dir", t.root]);
    expect(stray.stderr).toMatch(/^otto-tray bus list: unexpected argument "extra"/);
    expect(`${result.stderr}${stray.stderr}`).not.toMatch(/(pool with|bus list): \1/);
  });

  it("prints its version and suggests the command or subcommand that was meant", () => {
    const version = runCli(["--version"]);
    expect(version.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    expect(version.stdout).toBe(`otto-tray ${pkg.version}\n`);
    const typo = runCli(["stauts"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command "stauts"/);
    expect(typo.stderr).toMatch(/did you mean "status"\?/);
    const subTypo = runCli(["pool", "alocate"]);
    expect(subTypo.code).toBe(2);
    expect(subTypo.stderr).toMatch(/did you mean "allocate"\?/);
    expect(runCli(["bus", "lsit"]).stderr).toMatch(/did you mean "list"\?/);
  });

  it("a reader that closes the pipe early gets no stack trace (status, pool status, help)", () => {
    const t = makeRepoWithOrigin();
    const home = join(t.root, "home");
    for (const args of [`status --json --bus-dir "${t.root}"`, `pool status --json --repo "${t.repo}" --home "${home}"`, "--help"]) {
      const result = runIntoClosedPipe(args);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
  });
});
