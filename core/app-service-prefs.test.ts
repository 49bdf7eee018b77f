// The app service and its preferences file, with real files: it follows hand edits, names each key that fell back in
// the snapshot, and a save from the form keeps what was edited by hand meanwhile.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { API } from "./api";
import { startedService } from "../test-support/app-services";
import { makeBus } from "../test-support/bus";

describe("AppService preferences", () => {
  it("follows a hand edit of the preferences file while it runs, naming a bad key in the snapshot and keeping the rest", async () => {
    const { home, bus } = makeBus();
    const file = join(home, "preferences.json");
    writeFileSync(file, JSON.stringify({ quorumSize: 3 }));
    const service = await startedService({ home, busDir: bus, tickMs: 50 });
    expect((await service.handlers.prefsGet({})).prefs.quorumSize).toBe(3);
    writeFileSync(file, JSON.stringify({ quorumSize: 4, quorumCooldownSeconds: 123, hungAfterSecs: 5 }));
    await expect.poll(async () => (await service.handlers.prefsGet({})).prefs.quorumCooldownSeconds, { timeout: 10_000 }).toBe(123);
    const got = await service.handlers.prefsGet({});
    expect(got).toMatchObject({ problem: null, problems: [expect.stringMatching(/hungAfterSecs: unknown key, ignored \(did you mean hungAfterSeconds\?\)/)] });
    expect(got.prefs.quorumSize).toBe(4);
    const snapshot = service.snapshot();
    expect(API.snapshot.result.safeParse(snapshot).success).toBe(true);
    expect(snapshot.prefsProblems).toEqual(got.problems);
  });

  it("saves the form's change without writing back the stale copy over a hand edit", async () => {
    const { home, bus } = makeBus();
    const file = join(home, "preferences.json");
    writeFileSync(file, JSON.stringify({ poolSize: 2 }));
    const service = await startedService({ home, busDir: bus });
    const base = (await service.handlers.prefsGet({})).prefs;
    writeFileSync(file, JSON.stringify({ poolSize: 2, quorumCooldownSeconds: 123 }));
    const saved = await service.handlers.prefsSet({ base, prefs: { ...base, quorumSize: 3 } });
    expect(saved.ok).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ poolSize: 2, quorumCooldownSeconds: 123, quorumSize: 3 });
    expect((await service.handlers.prefsGet({})).prefs).toMatchObject({ quorumCooldownSeconds: 123, quorumSize: 3 });
  });
});
