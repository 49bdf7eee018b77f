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
    expect(t.update(11 * MIN, [member("a"), member("b")]).publish).toBeUndefined();
    expect(t.update(12 * MIN, [member("a"), member("b"), member("c")]).publish).toBeUndefined();
  });

  it("ends the episode when a member works again and waits out the cooldown before the next", () => {
    const t = makeTracker();
    t.update(0, [member("a"), member("b")]);
    expect(t.update(MIN, [member("a")]).ended?.id).toBe("episode-1");
    const during = t.update(2 * MIN, [member("a"), member("b")]);
    expect(during.started?.id).toBe("episode-2");
    expect(during.publish).toBeUndefined();
    expect(t.update(15 * MIN, [member("a"), member("b")]).publish).toBeUndefined();
    expect(t.update(16 * MIN, [member("a"), member("b")]).publish?.episodeId).toBe("episode-2");
  });

  it("adopts an episode already on the bus instead of publishing it again", () => {
    const t = makeTracker();
    const members = [member("a"), member("b")];
    t.adopt({ surfaces: ["a", "b"], windowMinutes: 10, quorumSize: 2, episodeId: "old", since: new Date(0).toISOString() }, members);
    expect(t.update(MIN, members).publish).toBeUndefined();
    expect(t.current?.id).toBe("old");
  });

  it("does not adopt an episode whose surfaces are no longer idle", () => {
    const t = makeTracker();
    t.adopt({ surfaces: ["a", "c"], windowMinutes: 10, quorumSize: 2, episodeId: "old", since: new Date(0).toISOString() }, [member("a"), member("b")]);
    expect(t.update(MIN, [member("a"), member("b")]).publish?.episodeId).toBe("episode-1");
  });
});
