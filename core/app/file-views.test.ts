// The snapshot's file-backed parts follow their files (real files, a clock that makes them look still so they are
// cached), and what depends on live processes is judged on every call, cached records or not.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { appendAudit, auditFile } from "../actuator/state/audit-log";
import { turnSwitchOff, turnSwitchOn } from "../actuator/state/safety-switch";
import { QUIET_MS } from "../fs/stat-keyed-cache";
import { identityLayout, writeIdentityConfig } from "../pool/layout";
import { parsePrefs } from "../prefs/load";
import { processRef } from "../process-liveness";
import { AppFileViews } from "./file-views";

const later = () => Date.now() + 10 * QUIET_MS;

describe("AppFileViews", () => {
  it("shows the safety switch and the audit log as their files change", () => {
    const home = makeTempDir("otto-views-home-");
    const views = new AppFileViews(home, parsePrefs({}), { CLAUDE_CONFIG_DIR: join(home, "claude") }, { poolRoot: null, problem: "none" }, later);
    expect(views.actuator().on).toBe(false);
    turnSwitchOn(home, true);
    expect(views.actuator().on).toBe(true);
    expect(views.actuator().on).toBe(true);
    turnSwitchOff(home);
    expect(views.actuator().on).toBe(false);
    expect(views.audit()).toEqual([]);
    appendAudit(home, { at: new Date().toISOString(), surface: "otto-cli", backend: null, event: "switch-on", prompt: null, decision: "info", reason: "first" });
    expect(views.audit().map((e) => e.reason)).toEqual(["first"]);
    appendAudit(home, { at: new Date().toISOString(), surface: "otto-cli", backend: null, event: "switch-off", prompt: null, decision: "info", reason: "second" });
    expect(views.audit().map((e) => e.reason)).toEqual(["first", "second"]);
  });

  it("shows an audit log that cannot be read as a failed entry saying why, not as an empty one", () => {
    const home = makeTempDir("otto-views-audit-");
    mkdirSync(auditFile(home), { recursive: true });
    const views = new AppFileViews(home, parsePrefs({}), { CLAUDE_CONFIG_DIR: join(home, "claude") }, { poolRoot: null, problem: "none" }, later);
    expect(views.audit()).toMatchObject([{ event: "audit-unreadable", decision: "failed", reason: expect.stringContaining(`${auditFile(home)} is not a regular file`) }]);
  });

  it("shows hooks installed once Claude Code's settings file changes", () => {
    const home = makeTempDir("otto-views-hooks-");
    const claude = join(home, "claude");
    mkdirSync(claude);
    const views = new AppFileViews(home, parsePrefs({}), { CLAUDE_CONFIG_DIR: claude }, { poolRoot: null, problem: null }, later);
    expect(views.hooks().surfaces.every((s) => !s.installed)).toBe(true);
    writeFileSync(join(claude, "settings.json"), "not json");
    expect(views.hooks().problem).toMatch(/not valid JSON/);
  });

  it("frees a lease whose holder died, with no file changed (liveness is judged on every call)", async () => {
    const root = makeTempDir("otto-views-pool-");
    const poolRoot = join(root, "pool");
    const layout = identityLayout(poolRoot, "otto-cli");
    mkdirSync(layout.metaDir, { recursive: true });
    mkdirSync(layout.sidetickPath(1));
    writeIdentityConfig(layout, { version: 1, identity: "otto-cli", repo: root, size: 1, base: null, createdAt: new Date().toISOString() });
    const holder = spawn("sleep", ["60"], { stdio: "ignore" });
    const pid = holder.pid as number;
    const lease = { leaseId: "lease-1", holder: processRef(pid), pending: null, since: new Date().toISOString(), expiresAt: null, ttlSeconds: null, branch: "work", base: "main", head: null };
    writeFileSync(layout.recordFile(1), JSON.stringify({ version: 1, sidetick: 1, lease, releasedAt: null }));
    const prefs = parsePrefs({ identities: ["otto-cli"], poolSize: 1 });
    const views = new AppFileViews(root, prefs, {}, { poolRoot, problem: null }, later);
    try {
      expect(views.poolView().identities[0]?.sideticks[0]).toMatchObject({ state: "leased", holderPid: pid, branch: "work" });
    } finally {
      const exited = new Promise((resolve) => holder.once("exit", resolve));
      holder.kill("SIGKILL");
      await exited;
    }
    expect(views.poolView().identities[0]?.sideticks[0]).toMatchObject({ state: "free", holderPid: null });
  });
});
