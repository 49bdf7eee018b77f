// `actuator off` (and `auto off`) when already off changes nothing, so they write no audit entry.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../test-support/cli";
import { makeTempDir } from "../../test-support/temp";

function world() {
  const dir = makeTempDir();
  const cli = (...args: string[]) => runCli([...args, "--home", join(dir, "home"), "--bus-dir", join(dir, "bus")], { env: { HOME: dir } });
  const events = () => (JSON.parse(cli("audit", "--json").stdout) as { event: string }[]).map((e) => e.event);
  return { cli, events };
}

describe("turning off what is already off", () => {
  it("actuator off on a switch that was never on writes no audit entry", () => {
    const w = world();
    expect(w.cli("actuator", "off").code).toBe(0);
    expect(w.cli("actuator", "auto", "off").code).toBe(0);
    expect(w.events()).toEqual([]);
  });

  it("the first off after on is audited, a second one is not", () => {
    const w = world();
    expect(w.cli("actuator", "on", "--confirm").code).toBe(0);
    expect(w.cli("actuator", "off").code).toBe(0);
    expect(w.cli("actuator", "off").code).toBe(0);
    expect(w.events()).toEqual(["switch-on", "switch-off"]);
  });
});
