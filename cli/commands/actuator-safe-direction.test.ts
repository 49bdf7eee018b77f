// The safe direction always works: `actuator off` and `auto off` succeed whatever state the actuator's directory is
// in, and a switch turned off never comes back on by itself once the directory is fixed.
import { chmodSync, chownSync, mkdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

function setup(): { home: string; bus: string; cli: (...args: string[]) => ReturnType<typeof runCli> } {
  const home = makeTempDir();
  const bus = makeTempDir();
  chmodSync(bus, 0o700);
  return { home, bus, cli: (...args) => runCli([...args, "--home", home, "--bus-dir", bus]) };
}

function status(cli: (...args: string[]) => ReturnType<typeof runCli>): { on: boolean; autoActive: boolean; problem: string | null } {
  const result = cli("actuator", "status", "--json");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { on: boolean; autoActive: boolean; problem: string | null };
}

describe("otto-tray actuator off, whatever the state directory", () => {
  it("turns off when the directory is readable by others, and stays off once it is made private again", () => {
    const { home, cli } = setup();
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    chmodSync(join(home, "actuator"), 0o755);
    const off = cli("actuator", "off");
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/safety switch: off/);
    expect(off.stdout + off.stderr).toMatch(/can be read or written by others.*chmod 700/);
    chmodSync(join(home, "actuator"), 0o700);
    expect(status(cli)).toMatchObject({ on: false, problem: null });
  });

  it("turns off through a symlinked directory without writing through it, and a real directory put back stays off until `on`", () => {
    const { home, cli } = setup();
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    renameSync(join(home, "actuator"), join(home, "moved"));
    symlinkSync(join(home, "moved"), join(home, "actuator"));
    const off = cli("actuator", "off", "--json");
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ on: false, problem: expect.stringMatching(/symbolic link/) as unknown });
    // Nothing was written through the link: the record behind it still says on.
    expect(JSON.parse(readFileSync(join(home, "moved", "switch.json"), "utf8"))).toMatchObject({ on: true });
    unlinkSync(join(home, "actuator"));
    renameSync(join(home, "moved"), join(home, "actuator"));
    expect(status(cli)).toMatchObject({ on: false });
    // Only an explicit, confirmed `on` turns it back on.
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    expect(status(cli)).toMatchObject({ on: true, problem: null });
    expect(cli("actuator", "off").code).toBe(0);
    expect(status(cli)).toMatchObject({ on: false, problem: null });
  });

  it("turns off when switch.json is a directory", () => {
    const { home, cli } = setup();
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    unlinkSync(join(home, "actuator", "switch.json"));
    mkdirSync(join(home, "actuator", "switch.json"));
    const off = cli("actuator", "off");
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/safety switch: off/);
    expect(status(cli)).toMatchObject({ on: false, problem: expect.stringMatching(/switch\.json is not a regular file/) as unknown });
  });

  it.runIf(process.getuid?.() === 0)("turns off when the directory belongs to someone else, and stays off when it is given back", () => {
    const { home, cli } = setup();
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    chownSync(join(home, "actuator"), 65534, 65534);
    const off = cli("actuator", "off");
    expect(off.code).toBe(0);
    expect(off.stdout + off.stderr).toMatch(/owned by uid 65534/);
    chownSync(join(home, "actuator"), 0, 0);
    expect(status(cli)).toMatchObject({ on: false });
  });

  it("auto off disarms when the directory is readable by others, and auto mode stays disarmed once it is fixed", () => {
    const { home, cli } = setup();
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    expect(cli("actuator", "auto", "on", "--hours", "2", "--confirm").code).toBe(0);
    expect(status(cli)).toMatchObject({ on: true, autoActive: true });
    chmodSync(join(home, "actuator"), 0o755);
    const off = cli("actuator", "auto", "off");
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/auto mode: off/);
    expect(off.stdout + off.stderr).toMatch(/can be read or written by others/);
    chmodSync(join(home, "actuator"), 0o700);
    expect(status(cli)).toMatchObject({ autoActive: false });
  });
});

describe("refusals of actuator on and auto on with --json", () => {
  it("print one JSON object with the refusal and the reason, and exit 5", () => {
    const { home, cli } = setup();
    const parse = (result: ReturnType<typeof runCli>) => {
      expect(result.code).toBe(5);
      return JSON.parse(result.stdout) as unknown;
    };
    expect(parse(cli("actuator", "on", "--json"))).toMatchObject({ ok: false, refusal: "not-confirmed", reason: expect.stringMatching(/--confirm/) as unknown });
    expect(parse(cli("actuator", "auto", "on", "--hours", "1", "--confirm", "--json"))).toMatchObject({ ok: false, refusal: "switch-off", reason: expect.stringMatching(/actuator on --confirm/) as unknown });
    expect(cli("actuator", "on", "--confirm").code).toBe(0);
    expect(parse(cli("actuator", "auto", "on", "--hours", "1", "--json"))).toMatchObject({ ok: false, refusal: "not-confirmed", reason: expect.stringMatching(/--confirm/) as unknown });
    writeFileSync(join(home, "preferences.json"), JSON.stringify({ actuator: { blocklist: "rm" } }));
    expect(parse(cli("actuator", "auto", "on", "--hours", "1", "--confirm", "--json"))).toMatchObject({ ok: false, refusal: "blocked", reason: expect.stringMatching(/preferences\.json/) as unknown });
  });
});
