// switchCertainlyOff, the hook's cheap look at the switch: it only ever says "certainly off", and agrees with the full
// reader wherever it does; on, garbage, a FIFO or a symlink are left to the full reader.
import { execFileSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { readSwitch, turnSwitchOff, turnSwitchOn } from "./safety-switch";
import { switchCertainlyOff, switchFile } from "./switch-record";

describe("switchCertainlyOff", () => {
  it("no record, and a record turned off: certainly off, as the full reader says", async () => {
    const home = makeTempDir();
    expect(await switchCertainlyOff(home)).toBe(true);
    turnSwitchOn(home, true);
    expect(await switchCertainlyOff(home)).toBe(false);
    expect(readSwitch(home).on).toBe(true);
    turnSwitchOff(home);
    expect(await switchCertainlyOff(home)).toBe(true);
    expect(readSwitch(home).on).toBe(false);
  });

  it("leaves everything unclear to the full reader: garbage, a FIFO, a symlink to an off record", async () => {
    const home = makeTempDir();
    turnSwitchOn(home, true);
    writeFileSync(switchFile(home), "{ on: fals");
    expect(await switchCertainlyOff(home)).toBe(false);
    const fifoHome = makeTempDir();
    turnSwitchOn(fifoHome, true);
    execFileSync("rm", [switchFile(fifoHome)]);
    execFileSync("mkfifo", [switchFile(fifoHome)]);
    expect(await switchCertainlyOff(fifoHome)).toBe(false);
    const linkHome = makeTempDir();
    turnSwitchOn(linkHome, true);
    const elsewhere = join(makeTempDir(), "off.json");
    writeFileSync(elsewhere, JSON.stringify({ on: false }));
    execFileSync("rm", [switchFile(linkHome)]);
    symlinkSync(elsewhere, switchFile(linkHome));
    expect(await switchCertainlyOff(linkHome)).toBe(false);
  });
});
