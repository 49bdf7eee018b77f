// What a hosted session's screen says about its surface, as a heartbeat: only what the screen alone shows.
import { type HeartbeatPayload, PTY_SCREEN_EVENT } from "../../bus/envelope";
import type { ScreenReading } from "../screen/types";


/** The heartbeat for a reading; the key says whether it changed since the last one published. */
export function heartbeatForScreen(reading: ScreenReading, childPid: number): { key: string; payload: HeartbeatPayload } {
  const base = { event: PTY_SCREEN_EVENT, pid: childPid };
  switch (reading.kind) {
    case "permission": {
      const waiting = `${reading.title}: ${reading.subject}`.slice(0, 4096);
      return { key: `waiting:${waiting}`, payload: { ...base, status: "alive", waiting } };
    }
    case "other-dialog":
      return { key: `dialog:${reading.question}`, payload: { ...base, status: "alive", waiting: reading.question.slice(0, 4096) } };
    case "busy":
      return { key: "working", payload: { ...base, status: "working" } };
    case "idle":
      return { key: "idle", payload: { ...base, status: "idle" } };
    default:
      return { key: "alive", payload: { ...base, status: "alive" } };
  }
}
