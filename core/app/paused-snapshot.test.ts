// While detection is paused no state is claimed: not for surfaces, and not for Claude Code sessions (an ended one stays ended).
import { describe, expect, it } from "vitest";
import type { AppSnapshot, SessionView } from "../api";
import { pausedDetectorSnapshot } from "./paused-snapshot";

const session = (pid: number, over: Partial<SessionView> = {}): SessionView => ({
  pid,
  sessionId: `id-${pid}`,
  surface: "otto-cli",
  state: "waiting",
  name: "repo-fix",
  cwd: "/tmp/repo",
  branch: "main",
  waitingFor: "permission prompt",
  since: "2026-05-16T09:59:00Z",
  source: ["registry"],
  version: null,
  entrypoint: "cli",
  ...over,
});

describe("the paused snapshot", () => {
  it("names the sessions without their state, what they wait for or since when", () => {
    const last: AppSnapshot["detector"] = {
      generatedAt: "2026-05-16T10:00:00Z",
      busDir: "/tmp/bus",
      busTrusted: true,
      busProblem: null,
      busMissing: false,
      surfaces: [],
      quorum: { active: false, surfaces: [], since: null, episodeId: null, members: [] },
      bus: { envelopes: 0, foreign: 0, rejected: 0, pending: 0 },
      wakeGraceUntil: null,
      allSilent: false,
      sessions: [session(1), session(2, { state: "ended", since: null, waitingFor: null })],
    };
    expect(pausedDetectorSnapshot(last).sessions.map((s) => [s.pid, s.state, s.waitingFor, s.since, s.name])).toEqual([
      [1, "unknown", null, null, "repo-fix"],
      [2, "ended", null, null, "repo-fix"],
    ]);
  });
});
