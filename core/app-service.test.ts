// The app service: one snapshot from detector + pool records + switch, preferences validated and applied live.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { API } from "./api";
import { runCli } from "../test-support/cli";
import { startedService } from "../test-support/app-services";
import { makeBus, writeHeartbeat } from "../test-support/bus";
import { makeRepoWithOrigin } from "../test-support/git";

const started = startedService;

describe("AppService", () => {
  it("builds one snapshot that matches the API schema and names the paths it uses and where they came from", async () => {
    const { bus, home } = makeBus();
    writeHeartbeat(bus, "otto-cli", { status: "working", note: "tests" });
    const service = await started({ home, busDir: bus });
    const snapshot = service.snapshot();
    expect(API.snapshot.result.safeParse(snapshot).success).toBe(true);
    expect(snapshot.paths).toMatchObject({ homeDir: home, homeSource: "option", busDir: bus, busSource: "option", prefsFile: join(home, "preferences.json") });
    expect(snapshot.detector.surfaces.find((s) => s.id === "otto-cli")?.state).toBe("working");
    expect(snapshot.actuator.on).toBe(false);
  });

  it("without shell variables finds the bus through the preferences in the state directory (an app started from the Finder)", async () => {
    const { bus, home } = makeBus();
    const service = await started({ home });
    const result = await service.handlers.prefsSet({ prefs: { busDir: bus } });
    expect(result.ok).toBe(true);
    expect(service.snapshot().paths).toMatchObject({ busDir: bus, busSource: "preferences" });
    // A second process with the same state directory and no environment sees the same bus.
    const other = await started({ home });
    expect(other.snapshot().detector.busDir).toBe(bus);
  });

  it("rejects an invalid pool size with the field named and writes nothing", async () => {
    const { home, bus } = makeBus();
    const service = await started({ home, busDir: bus });
    const result = await service.handlers.prefsSet({ prefs: { poolSize: 99 } });
    expect(result).toMatchObject({ ok: false, errors: { poolSize: expect.stringMatching(/8/) } });
    expect(existsSync(join(home, "preferences.json"))).toBe(false);
  });

  it("grows the pool at once for a bigger size and, for a smaller one, removes only free sideticks and says what it kept", async () => {
    const { root, repo } = makeRepoWithOrigin();
    const { home, bus } = makeBus();
    const poolRoot = join(root, "pool");
    const service = await started({ home, busDir: bus });
    const grow = await service.handlers.prefsSet({ prefs: { repo, poolRoot, poolSize: 2, identities: ["otto-cli"] } });
    expect(grow.ok && grow.pool[0]?.created.length).toBe(2);
    const leases = () => service.snapshot().pool.identities[0]?.sideticks.map((s) => s.state);
    expect(leases()).toEqual(["free", "free"]);
    const config = join(home, "preferences.json");
    const held = runCli(["pool", "allocate", "--config", config, "--home", home, "--identity", "otto-cli", "--ttl", "600"]);
    expect(held.code, held.stderr).toBe(0);
    expect(leases()?.filter((s) => s === "leased")).toHaveLength(1);
    const shrink = await service.handlers.prefsSet({ prefs: { repo, poolRoot, poolSize: 1, identities: ["otto-cli"] } });
    expect(shrink.ok).toBe(true);
    if (!shrink.ok) return;
    const kept = shrink.pool[0]?.kept ?? [];
    const removed = shrink.pool[0]?.removed ?? [];
    // The leased sidetick stays whichever number it has; a free one beyond the size goes.
    expect(kept.length + removed.length).toBe(1);
    expect(existsSync(held.stdout.trim())).toBe(true);
    expect(JSON.parse(readFileSync(config, "utf8")).poolSize).toBe(1);
  });

  it("resizes the pool on a hand edit of poolSize too, as a save from the form does, keeping a leased sidetick", async () => {
    const { root, repo } = makeRepoWithOrigin();
    const { home, bus } = makeBus();
    const poolRoot = join(root, "pool");
    const service = await started({ home, busDir: bus });
    const made = await service.handlers.prefsSet({ prefs: { repo, poolRoot, poolSize: 1, identities: ["otto-cli"] } });
    expect(made.ok).toBe(true);
    const states = () => service.snapshot().pool.identities[0]?.sideticks.map((s) => s.state) ?? [];
    expect(states()).toEqual(["free"]);
    const config = join(home, "preferences.json");
    const edit = (poolSize: number) => writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, "utf8")), poolSize }));
    edit(3);
    await expect.poll(states, { timeout: 20_000 }).toEqual(["free", "free", "free"]);
    const held = runCli(["pool", "allocate", "--config", config, "--home", home, "--identity", "otto-cli", "--ttl", "600"]);
    expect(held.code, held.stderr).toBe(0);
    edit(1);
    // Free sideticks beyond the size go; the leased one stays whatever its number.
    await expect.poll(() => states().length, { timeout: 20_000 }).toBeLessThanOrEqual(2);
    expect(states()).toContain("leased");
    expect(existsSync(held.stdout.trim())).toBe(true);
  });

  it("looks up rescued work and doctor's problems only when asked, and says why when there is no repository", async () => {
    const { home, bus } = makeBus();
    const bare = await started({ home, busDir: bus });
    expect(await bare.handlers.doctor({})).toMatchObject({ problem: expect.stringMatching(/no repository/), problems: [] });
    expect(await bare.handlers.poolRescued({})).toMatchObject({ problem: expect.stringMatching(/no repository/), branches: [] });
    const { root, repo } = makeRepoWithOrigin();
    await bare.handlers.prefsSet({ prefs: { repo, poolRoot: join(root, "pool"), poolSize: 1, identities: ["otto-cli"] } });
    const doctor = await bare.handlers.doctor({});
    expect(doctor.problem).toBeNull();
    expect(API.doctor.result.safeParse(doctor).success).toBe(true);
    expect(await bare.handlers.poolRescued({})).toEqual({ problem: null, branches: [] });
  });

  it("pushes a snapshot when something changed and stays quiet on ticks that change nothing", async () => {
    const { bus, home } = makeBus();
    writeHeartbeat(bus, "otto-cli", { status: "working", note: "first" });
    const service = await started({ home, busDir: bus, tickMs: 20 });
    const pushed: string[] = [];
    service.on("snapshot", (s) => pushed.push(s.detector.surfaces.find((x) => x.id === "otto-cli")?.note ?? ""));
    // Many ticks of an unchanged bus: nothing is pushed.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pushed).toEqual([]);
    writeHeartbeat(bus, "otto-cli", { status: "working", note: "second" });
    await expect.poll(() => pushed).toContain("second");
  });
});

describe("AppService pause (the menu's Pause detection)", () => {
  it("while paused claims no state, frees the publisher lock for another detector, ignores new heartbeats; resume picks them up", async () => {
    const { bus, home } = makeBus();
    writeHeartbeat(bus, "otto-cli", { status: "working", note: "tests" });
    const service = await started({ home, busDir: bus });
    expect(service.snapshot().publisher).toBe(true);

    const { pausedSince } = await service.handlers.setPaused({ paused: true });
    expect(pausedSince).not.toBeNull();
    const paused = service.snapshot();
    expect(API.snapshot.result.safeParse(paused).success).toBe(true);
    expect(paused.pausedSince).toBe(pausedSince);
    expect(paused.publisher).toBe(false);
    expect(paused.detector.surfaces.find((s) => s.id === "otto-cli")).toMatchObject({ state: "unknown", reason: expect.stringMatching(/paused/) });

    // Another detector on the same bus can publish while this one is paused.
    const other = await started({ home, busDir: bus });
    expect(other.snapshot().publisher).toBe(true);
    await other.stop();

    writeHeartbeat(bus, "otto-cli", { status: "idle", note: "done" });
    expect(service.snapshot().detector.surfaces.find((s) => s.id === "otto-cli")?.state).toBe("unknown");
    // Pausing twice changes nothing; resuming reads the bus again.
    expect((await service.handlers.setPaused({ paused: true })).pausedSince).toBe(pausedSince);
    expect((await service.handlers.setPaused({ paused: false })).pausedSince).toBeNull();
    const resumed = service.snapshot();
    expect(resumed.pausedSince).toBeNull();
    expect(resumed.detector.surfaces.find((s) => s.id === "otto-cli")?.state).toBe("idle");
  });

  it("a platform-reported wake starts the wake grace at once", async () => {
    const { bus, home } = makeBus();
    const service = await started({ home, busDir: bus });
    expect(service.snapshot().detector.wakeGraceUntil).toBeNull();
    service.noteWake();
    const until = service.snapshot().detector.wakeGraceUntil;
    expect(until).not.toBeNull();
    expect(Date.parse(until ?? "")).toBeGreaterThan(Date.now());
  });
});
