// The app's safe direction: turning off, disarming and pausing succeed when the actuator's directory is not private.
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startedService } from "../test-support/app-services";
import { makeBus } from "../test-support/bus";

describe("AppService with an actuator directory others can read", () => {
  it("turns the switch off, pauses and resumes, says what remains, and the switch stays off once the directory is fixed", async () => {
    const { bus, home } = makeBus();
    const service = await startedService({ home, busDir: bus });
    expect((await service.handlers.actuatorOn({ confirm: true })).on).toBe(true);
    const problems: string[] = [];
    service.on("problem", (message) => problems.push(message));
    chmodSync(join(home, "actuator"), 0o755);

    const off = await service.handlers.actuatorOff({});
    expect(off).toMatchObject({ on: false, problem: expect.stringMatching(/can be read or written by others/) as unknown });
    expect((await service.handlers.autoOff({})).autoActive).toBe(false);
    expect((await service.handlers.setPaused({ paused: true })).pausedSince).not.toBeNull();
    expect((await service.handlers.setPaused({ paused: false })).pausedSince).toBeNull();
    expect(problems.join("\n")).toMatch(/switch-off was done, but the audit log could not record it/);

    chmodSync(join(home, "actuator"), 0o700);
    expect(await service.handlers.actuatorStatus({})).toMatchObject({ on: false, problem: null });
  });
});
