// What a leaf forwards of its own quorums, and what other machines accept of it (the schema every consumer applies).
import { describe, expect, it } from "vitest";
import type { Envelope } from "../bus/envelope";
import { crossEscalationSchema } from "./escalation-stream";
import { LeafForward, localEscalation, MAX_PENDING } from "./leaf-forward";

const EPISODE = "0f8fad5b-d9cb-469f-a165-70867728950e";
const payload = { surfaces: ["otto-cli", "otto-desktop"], windowMinutes: 10, quorumSize: 2, episodeId: EPISODE, since: "2025-01-01T00:00:00.000Z" };
const envelope = (p: object, topic = "standing-by-quorum"): Envelope => ({ id: "x", topic, payload: p, from: "otto-tray", to: "*", timestamp: "", expiresAt: "" });

describe("a leaf's local quorums", () => {
  it("forwards only quorums told locally, naming this machine's surfaces as <host>.<surface>", () => {
    expect(localEscalation("mac-laptop", envelope({ ...payload, scope: "local" }))).toEqual({
      topic: "standing-by-quorum",
      ...payload,
      surfaces: ["mac-laptop.otto-cli", "mac-laptop.otto-desktop"],
      publishedBy: "mac-laptop",
      scope: "local",
    });
    expect(localEscalation("mac-laptop", envelope({ ...payload, scope: "machines" }))).toBeUndefined();
    expect(localEscalation("mac-laptop", envelope(payload))).toBeUndefined();
    expect(localEscalation("mac-laptop", envelope({ ...payload, scope: "local" }, "infinite-backlog-nudge"))).toBeUndefined();
  });

  it("is refused when a local escalation names another machine's surface; without a scope it is one across machines", () => {
    const base = { topic: "standing-by-quorum", ...payload, publishedBy: "mac-laptop" };
    expect(crossEscalationSchema.safeParse({ ...base, scope: "local", surfaces: ["mac-laptop.otto-cli", "mac-other.otto-cli"] }).success).toBe(false);
    expect(crossEscalationSchema.parse({ ...base, episodeId: `q-${"a".repeat(32)}`, surfaces: ["mac-a.otto-cli", "mac-b.otto-cli"] }).scope).toBe("machines");
    expect(crossEscalationSchema.safeParse({ ...base, episodeId: "not-an-id", scope: "local", surfaces: ["mac-laptop.otto-cli"] }).success).toBe(false);
  });

  it("keeps at most MAX_PENDING waiting, dropping the oldest", () => {
    const forward = new LeafForward();
    const one = localEscalation("mac-laptop", envelope({ ...payload, scope: "local" }));
    if (one === undefined) throw new Error("no escalation");
    for (let i = 0; i < MAX_PENDING + 3; i++) forward.add(one);
    expect(forward.waiting).toBe(MAX_PENDING);
    expect(forward.dropped).toBe(3);
  });
});
