// What the detector part of the snapshot says while detection is paused: every surface unknown, with why.
import type { AppSnapshot } from "../api";

type DetectorSnapshot = AppSnapshot["detector"];

/** The last picture before the pause, with no state claimed: nothing is being watched, so nothing is known. */
export function pausedDetectorSnapshot(last: DetectorSnapshot): DetectorSnapshot {
  // The banner and the tray say since when; the row says why it claims nothing.
  const reason = "detection is paused: not watched until it resumes (Resume, or the menu's Pause detection)";
  return {
    ...last,
    generatedAt: new Date().toISOString(),
    surfaces: last.surfaces.map((s) => ({ ...s, state: "unknown", reason, waiting: null, alive: null })),
    quorum: { active: false, surfaces: [], since: null, episodeId: null, members: [] },
    wakeGraceUntil: null,
    allSilent: false,
    // The sessions are named, but no state is claimed for them either.
    sessions: last.sessions.map((s) => (s.state === "ended" ? s : { ...s, state: "unknown", waitingFor: null, since: null })),
  };
}
