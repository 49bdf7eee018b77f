// Surface records on the bridge: what leaves the machine by default, and how a record from the hub is judged.
import { describe, expect, it } from "vitest";
import type { SurfaceSnapshot } from "../snapshot";
import { parseRecord, recordOf, waitingKindOf } from "./surface-record";

const surface: SurfaceSnapshot = {
  id: "otto-cli",
  state: "waiting",
  reason: "waiting: permission for Bash: rm -rf build",
  lastHeartbeatAt: "2026-12-07T10:00:00.000Z",
  lastStatus: "working",
  waiting: "permission for Bash: rm -rf build",
  briefAckStreak: 0,
  note: "refactoring billing",
  pid: 4242,
  alive: true,
  idleSince: null,
};
const now = new Date("2026-12-07T10:00:05.000Z");
const bytes = (value: unknown) => new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value));

describe("surface records", () => {
  it("sends the state, ages and the kind of prompt; texts, pid and transcript only as details when shared", () => {
    const record = recordOf("mac-a", surface, now, false);
    expect(record).toEqual({ v: 1, host: "mac-a", surface: "otto-cli", agent: "claude-code", state: "waiting", lastHeartbeatAt: "2026-12-07T10:00:00.000Z", idleSince: null, waitingKind: "permission for Bash", publishedAt: now.toISOString(), quorumMember: false, memberSince: null, toldSince: null });
    expect(JSON.stringify(record)).not.toMatch(/rm -rf|billing|4242/);
    expect(recordOf("mac-a", surface, now, true).details).toEqual({ waiting: "permission for Bash: rm -rf build", note: "refactoring billing", reason: "waiting: permission for Bash: rm -rf build" });
    expect(recordOf("mac-a", { ...surface, state: "working" }, now, false).waitingKind).toBeNull();
    // A quorum member says so, and since when it is idle: the quorum across machines counts it.
    expect(recordOf("mac-a", { ...surface, state: "idle" }, now, false, { idleSince: "2026-12-07T09:59:00.000Z" })).toMatchObject({ quorumMember: true, memberSince: "2026-12-07T09:59:00.000Z" });
  });

  it("takes the kind of a prompt up to its first colon", () => {
    expect(waitingKindOf("idle_prompt: Claude is waiting for your input")).toBe("idle_prompt");
    expect(waitingKindOf("permission_prompt")).toBe("permission_prompt");
    expect(waitingKindOf("")).toBeNull();
    expect(waitingKindOf(null)).toBeNull();
  });

  it("reads back its own records and refuses bad ones by name", () => {
    const record = recordOf("mac-a", surface, now, true);
    expect(parseRecord("mac-a.otto-cli", bytes(record))).toEqual({ ok: true, record });
    // The agent crosses; an older machine's record without one reads as Claude Code.
    expect(recordOf("mac-a", { ...surface, agent: "codex" }, now, false).agent).toBe("codex");
    const { agent: _omitted, ...older } = record;
    expect(parseRecord("mac-a.otto-cli", bytes(older))).toMatchObject({ ok: true, record: { agent: "claude-code" } });
    // A newer version's extra field is dropped, not a refusal.
    expect(parseRecord("mac-a.otto-cli", bytes({ ...record, future: 1 }))).toMatchObject({ ok: true });
    expect(parseRecord("mac-a.otto-cli", bytes("nope"))).toEqual({ ok: false, reason: "mac-a.otto-cli: not JSON" });
    expect(parseRecord("mac-b.otto-cli", bytes(record))).toEqual({ ok: false, reason: "mac-b.otto-cli: the record says it is mac-a.otto-cli" });
    expect(parseRecord("mac-a.otto-cli", bytes({ ...record, state: "pressing-keys" }))).toMatchObject({ ok: false, reason: expect.stringMatching(/^mac-a\.otto-cli: state /) as unknown as string });
    expect(parseRecord("mac-a.otto-cli", bytes({ ...record, host: "../../etc" }))).toMatchObject({ ok: false });
    expect(parseRecord("mac-a.otto-cli", bytes({ ...record, details: { waiting: "x".repeat(501), note: null, reason: "" } }))).toMatchObject({ ok: false });
    expect(parseRecord("mac-a.otto-cli", new Uint8Array(5000))).toEqual({ ok: false, reason: "mac-a.otto-cli: 5000 bytes, over the 4096-byte limit" });
  });
});
