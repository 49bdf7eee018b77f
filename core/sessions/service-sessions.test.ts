// The running detector follows Claude Code's registry: a record turning waiting, then its process killed (real files, a real process).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeBus } from "../../test-support/bus";
import { git } from "../../test-support/git-repo";
import { makeTempDir } from "../../test-support/temp";
import { waitFor } from "../../test-support/terminal";
import { parsePrefs } from "../prefs/load";
import { DetectorService } from "../service";
import { ownPidDomain, procStartOf } from "./liveness";
import { registrySessionSource } from "./session-source";

describe("DetectorService and Claude Code's session registry", () => {
  let service: DetectorService | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    await service?.stop();
    if (child?.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  });

  it("a surface with no heartbeat follows its session: idle, waiting, and offline once the process is killed", async () => {
    const { bus } = makeBus();
    const configDir = join(makeTempDir("otto-service-sessions-"), "claude");
    mkdirSync(join(configDir, "sessions"), { recursive: true });
    // The session works in a repository on a branch of its own: the snapshot names the branch for the popover.
    const cwd = makeTempDir("otto-service-sessions-repo-");
    git(cwd, ["init", "-q", "-b", "feature-x"]);
    child = spawn("sleep", ["300"], { stdio: "ignore" });
    const pid = child.pid ?? 0;
    const file = join(configDir, "sessions", `${pid}.json`);
    const write = (status: string, extra: Record<string, unknown> = {}) =>
      writeFileSync(file, JSON.stringify({ pid, sessionId: "abc", cwd, procStart: procStartOf(pid)?.start, pidDomain: ownPidDomain(), entrypoint: "cli", name: "repo-x", status, statusUpdatedAt: Date.now(), ...extra }));
    write("idle");
    const prefs = parsePrefs({ claudeConfigDirs: [configDir] });
    // Only the given config dir: not the machine's ~/.claude.
    const source = registrySessionSource({ HOME: makeTempDir() }, prefs);
    service = new DetectorService({ busDir: bus, prefs, tickMs: 60_000, publishEscalations: false, claudeSessions: source });
    await service.start();
    const cli = () => service?.snapshot().surfaces.find((s) => s.id === "otto-cli");
    expect(cli()).toMatchObject({ state: "idle", reason: "Claude Code session repo-x: idle" });
    expect(service.snapshot().surfaces.find((s) => s.id === "otto-desktop")?.state).toBe("unknown");
    // The tick is a minute away: only the directory's watch can bring this in.
    write("waiting", { waitingFor: "permission prompt" });
    await waitFor(() => cli()?.state === "waiting" || undefined, "otto-cli waiting", { timeoutMs: 10_000 });
    expect(cli()?.waiting).toBe("permission prompt");
    // The snapshot the popover receives carries the session itself, with its branch.
    expect(service.snapshot().sessions).toEqual([
      expect.objectContaining({ pid, sessionId: "abc", surface: "otto-cli", state: "waiting", name: "repo-x", cwd, branch: "feature-x", waitingFor: "permission prompt" }),
    ]);
    process.kill(pid, "SIGKILL");
    await new Promise((resolve) => child?.once("exit", resolve));
    const after = service.evaluate();
    expect(after.surfaces.find((s) => s.id === "otto-cli")).toMatchObject({ state: "offline", reason: "its Claude Code session ended", waiting: null });
    expect(after.sessions).toEqual([expect.objectContaining({ pid, state: "ended", waitingFor: null, since: null })]);
  });
});
