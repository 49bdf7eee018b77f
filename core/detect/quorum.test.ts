// The quorum tracker: one publication per episode, episodes end when the quorum breaks, cooldown between episodes.
import { describe, expect, it } from "vitest";
import { QuorumTracker } from "./quorum";

const MIN = 60_000;
const config = { quorumSize: 2, quorumWindowSeconds: 600, quorumCooldownSeconds: 900 };
const member = (id: string, idleSince?: number) => ({ id, idleSince });
const makeTracker = () => {
  let i = 0;
  return new QuorumTracker(config, () => `episode-${++i}`);
};

describe("QuorumTracker", () => {
  it("publishes nothing below the quorum size", () => {
    const t = makeTracker();
    expect(t.update(0, [member("a", 0)]).publish).toBeUndefined();
    expect(t.current).toBeUndefined();
  });

  it("publishes once when two surfaces are idle, with the time the quorum formed", () => {
    const t = makeTracker();
    const first = t.update(10 * MIN, [member("b", 7 * MIN), member("a", 5 * MIN)]);
    expect(first.publish).toEqual({
      surfaces: ["a", "b"],
      windowMinutes: 10,
      quorumSize: 2,
      episodeId: "episode-1",
      since: new Date(7 * MIN).toISOString(),
    });
    t.markPublished("episode-1");
    expect(t.update(11 * MIN, [member("a"), member("b")]).publish).toBeUndefined();
    expect(t.update(12 * MIN, [member("a"), member("b"), member("c")]).publish).toBeUndefined();
  });

  it("ends the episode when a member works again and waits out the cooldown before the next", () => {
    const t = makeTracker();
    t.markPublished(t.update(0, [member("a"), member("b")]).publish?.episodeId ?? "");
    expect(t.update(MIN, [member("a")]).ended?.id).toBe("episode-1");
    const during = t.update(2 * MIN, [member("a"), member("b")]);
    expect(during.started?.id).toBe("episode-2");
    expect(during.publish).toBeUndefined();
    expect(t.update(15 * MIN, [member("a"), member("b")]).publish).toBeUndefined();
    expect(t.update(16 * MIN, [member("a"), member("b")]).publish?.episodeId).toBe("episode-2");
  });

  it("ends the episode when a member worked between two looks (idle again since after the last one), cooldown from then", () => {
    const t = makeTracker();
    t.markPublished(t.update(10 * MIN, [member("a", 5 * MIN), member("b", 5 * MIN)]).publish?.episodeId ?? "");
    // At the next look b is idle again, but since after the last look: it worked in between.
    const next = t.update(11 * MIN, [member("a", 5 * MIN), member("b", 10 * MIN + 30_000)]);
    expect(next.ended?.id).toBe("episode-1");
    expect(next.started?.id).toBe("episode-2");
    // The cooldown (15 min) runs from b's new idle run: nothing told before it has passed.
    expect(next.publish).toBeUndefined();
    expect(t.update(10 * MIN + 30_000 + 15 * MIN, [member("a", 5 * MIN), member("b", 10 * MIN + 30_000)]).publish?.episodeId).toBe("episode-2");
  });

  it("offers the episode again until it is marked published (a failed write is retried)", () => {
    const t = makeTracker();
    expect(t.update(0, [member("a"), member("b")]).publish?.episodeId).toBe("episode-1");
    expect(t.update(MIN, [member("a"), member("b")]).publish?.episodeId).toBe("episode-1");
    t.markPublished("episode-1");
    expect(t.update(2 * MIN, [member("a"), member("b")]).publish).toBeUndefined();
  });

  const recorded = (surfaces: string[], lastSeenAt: number, lastEndedAt: number | null = null) => ({
    episode: { id: "old", since: 0, surfaces, published: true, lastSeenAt },
    lastEndedAt,
  });

  it("resumes a recorded episode whose members stayed idle instead of publishing it again", () => {
    const t = makeTracker();
    const members = [member("a", 0), member("b", 0)];
    t.resume(recorded(["a", "b"], 30 * MIN), members);
    expect(t.update(31 * MIN, members).publish).toBeUndefined();
    expect(t.current?.id).toBe("old");
  });

  it("does not resume a recorded episode whose surfaces are no longer idle", () => {
    const t = makeTracker();
    t.resume(recorded(["a", "c"], MIN), [member("a", 0), member("b", 0)]);
    expect(t.update(2 * MIN, [member("a"), member("b")]).publish).toBeUndefined(); // its end starts the cooldown
    expect(t.update(16 * MIN, [member("a"), member("b")]).publish?.episodeId).toBe("episode-1");
  });

  it("does not resume a recorded episode a member left and rejoined after it was last seen", () => {
    const t = makeTracker();
    t.resume(recorded(["a", "b"], 10 * MIN), [member("a", 0), member("b", 20 * MIN)]);
    expect(t.update(40 * MIN, [member("a", 0), member("b", 20 * MIN)]).publish?.episodeId).toBe("episode-1");
  });

  it("keeps the recorded cooldown", () => {
    const t = makeTracker();
    t.resume({ episode: null, lastEndedAt: 10 * MIN }, [member("a", 11 * MIN), member("b", 11 * MIN)]);
    expect(t.update(12 * MIN, [member("a"), member("b")]).publish).toBeUndefined();
    expect(t.update(25 * MIN, [member("a"), member("b")]).publish?.episodeId).toBe("episode-1");
  });

  it("records the running episode, when it was last seen and when the last one ended", () => {
    const t = makeTracker();
    t.update(0, [member("a"), member("b")]);
    t.update(MIN, [member("a")]);
    t.update(2 * MIN, [member("a", 2 * MIN), member("b", 2 * MIN)]);
    t.update(3 * MIN, [member("a"), member("b")]);
    expect(t.record()).toEqual({
      episode: { id: "episode-2", since: 2 * MIN, surfaces: ["a", "b"], published: false, lastSeenAt: 3 * MIN },
      lastEndedAt: MIN,
    });
  });
});
