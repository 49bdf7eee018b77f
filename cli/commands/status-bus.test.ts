// `status` and a bus it cannot read: a file in its place says so in text as in JSON and exits 1; no bus yet is "no heartbeats yet".
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

function status(bus: string, ...args: string[]) {
  const dir = makeTempDir();
  return runCli(["status", "--bus-dir", bus, "--home", join(dir, "home"), ...args], { env: { HOME: dir } });
}

describe("status and the bus directory", () => {
  it("a file where the bus should be: said in text and JSON, exit 1", () => {
    const bus = join(makeTempDir(), "bus");
    writeFileSync(bus, "not a directory\n");
    const text = status(bus);
    expect(text.code).toBe(1);
    expect(text.stdout + text.stderr).toMatch(/bus.*cannot be read.*is not a directory/);
    const json = status(bus, "--json");
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { busProblem: string }).busProblem).toMatch(/is not a directory/);
    expect(json.stderr).toMatch(/cannot be read.*is not a directory/);
  });

  it("a bus under a file, or a dangling symlink, cannot be read either: exit 1", () => {
    const root = makeTempDir();
    writeFileSync(join(root, "file"), "");
    expect(status(join(root, "file", "bus")).code).toBe(1);
    symlinkSync(join(root, "gone"), join(root, "link"));
    const dangling = status(join(root, "link"));
    expect(dangling.code).toBe(1);
    expect(dangling.stderr).toMatch(/dangling symlink/);
  });

  it("a bus that does not exist yet is no heartbeats yet, not an error (exit 0)", () => {
    const bus = join(makeTempDir(), "bus");
    const text = status(bus);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/no heartbeats yet/);
    expect(text.stdout).not.toMatch(/NOT trusted/);
    expect(text.stderr).toBe("");
    expect(status(bus, "--json").code).toBe(0);
  });

  it("a readable bus directory exits 0", () => {
    const bus = join(makeTempDir(), "bus");
    mkdirSync(bus, { mode: 0o700 });
    const text = status(bus);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/no heartbeats yet|cannot be read/);
  });
});
