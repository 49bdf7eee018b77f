// The app service and a huge or unreadable audit log: switching the actuator and listing the audit stay within the read bound, and an unreadable log is an error, not an empty list.
import { execFileSync } from "node:child_process";
import { appendFileSync, closeSync, mkdirSync, openSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUDIT_READ_MAX_BYTES, auditFile } from "./actuator/state/audit-log";
import { ensureActuatorDir } from "./actuator/state/private-dir";
import { boundsMeter } from "./diagnostics/bounds-meter";
import { startedService } from "../test-support/app-services";
import { makeBus } from "../test-support/bus";

describe("AppService and the audit log", () => {
  it("turns the switch off and lists the audit of a 600 MB log within the read bound", async () => {
    const { home, bus } = makeBus();
    ensureActuatorDir(home);
    closeSync(openSync(auditFile(home), "w", 0o600));
    execFileSync("truncate", ["-s", String(600 * 1024 * 1024), auditFile(home)]);
    appendFileSync(auditFile(home), `\n${JSON.stringify({ at: "2026-05-16T07:00:00.000Z", surface: null, backend: null, event: "switch-on", prompt: null, decision: "info", reason: "before" })}\n`);
    const service = await startedService({ home, busDir: bus });
    await service.handlers.actuatorOff({});
    expect(service.snapshot().audit.map((e) => e.event).slice(-2)).toEqual(["switch-on", "switch-off"]);
    expect((await service.handlers.audit({ limit: 2 })).map((e) => e.reason)).toEqual(["before", "the safety switch was turned off in the app"]);
    expect(boundsMeter.snapshot()["audit.readBytes"]?.highWater).toBeLessThanOrEqual(AUDIT_READ_MAX_BYTES);
  });

  it("fails the audit call, naming the file, when the log cannot be read", async () => {
    const { home, bus } = makeBus();
    mkdirSync(auditFile(home), { recursive: true });
    const service = await startedService({ home, busDir: bus });
    await expect(service.handlers.audit({})).rejects.toThrow(`${auditFile(home)} is not a regular file`);
    expect(service.snapshot().audit).toMatchObject([{ event: "audit-unreadable", decision: "failed" }]);
  });
});
