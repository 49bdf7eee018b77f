// A session's progress stays bounded: small lines whatever the tool input, reads within a bound that lose no event across a rotation, old sessions' files removed.
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../../test-support/temp";
import { boundsMeter } from "../../diagnostics/bounds-meter";
import { actuatorDir } from "../state/private-dir";
import { toolKey } from "./request-prompt";
import { PROGRESS_READ_MAX_BYTES, type ProgressCursor, type ProgressEvent, progressKey, progressStart, readProgressSince, recordProgress } from "./session-progress";

const file = (home: string, session = "s1") => join(actuatorDir(home), "progress", `${session}.jsonl`);

/** Reads until nothing new comes, as a waiter polling would. */
function drain(home: string, cursor: ProgressCursor): { events: ProgressEvent[]; cursor: ProgressCursor } {
  const events: ProgressEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const read = readProgressSince(home, "s1", cursor);
    const moved = read.cursor.ino !== cursor.ino || read.cursor.offset !== cursor.offset;
    events.push(...read.events);
    cursor = read.cursor;
    if (!moved && read.events.length === 0) break;
  }
  return { events, cursor };
}

describe("session progress", () => {
  it("writes a small line for a tool whose input is megabytes (a Write of a big file)", () => {
    const home = makeTempDir();
    const input = { file_path: "/p/big.txt", content: "x".repeat(2 * 1024 * 1024) };
    recordProgress(home, "s1", { event: "PreToolUse", toolName: "Write", toolInput: input, toolUseId: "toolu_1" });
    expect(statSync(file(home)).size).toBeLessThan(1024);
    expect(progressStart(home, "s1", toolKey("Write", input)).toolUseId).toBe("toolu_1");
  });

  it("finds the PreToolUse at the end of 20 MB of progress reading only its end", () => {
    const home = makeTempDir();
    recordProgress(home, "s1", { event: "Stop" });
    const line = `${JSON.stringify({ at: "2026-05-16T07:00:00.000Z", event: "PostToolUse", toolName: "Bash", toolKey: progressKey("other"), toolUseId: "toolu_old" })}\n`;
    appendFileSync(file(home), line.repeat(Math.ceil((20 * 1024 * 1024) / line.length)));
    recordProgress(home, "s1", { event: "PreToolUse", toolName: "Bash", toolInput: { command: "npm test" }, toolUseId: "toolu_ours" });
    const start = progressStart(home, "s1", toolKey("Bash", { command: "npm test" }));
    expect(start.toolUseId).toBe("toolu_ours");
    expect(start.cursor.offset).toBe(statSync(file(home)).size);
    expect(boundsMeter.snapshot()["progress.readBytes"]?.highWater).toBeLessThanOrEqual(PROGRESS_READ_MAX_BYTES);
  });

  it("reads a burst of events a bounded piece at a time, and follows a rotation without losing one", () => {
    const home = makeTempDir();
    recordProgress(home, "s1", { event: "SessionStart" });
    const start = progressStart(home, "s1", "none").cursor;
    // Past one rotation and a little more between two looks (two rotations would drop a generation unread).
    let count = 0;
    const record = () => recordProgress(home, "s1", { event: "PostToolUse", toolName: "Bash", toolInput: { command: `echo ${count}` }, toolUseId: `toolu_${count++}` });
    while (!existsSync(`${file(home)}.1`)) record();
    for (let i = 0; i < 100; i++) record();
    expect(existsSync(`${file(home)}.1`)).toBe(true);
    const { events } = drain(home, start);
    expect(events.map((e) => e.toolUseId)).toEqual(Array.from({ length: count }, (_, i) => `toolu_${i}`));
    expect(boundsMeter.snapshot()["progress.readBytes"]?.highWater).toBeLessThanOrEqual(PROGRESS_READ_MAX_BYTES);
  });

  it("removes the progress of sessions silent for a week when a new session starts", () => {
    const home = makeTempDir();
    recordProgress(home, "old", { event: "Stop" });
    recordProgress(home, "recent", { event: "Stop" });
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    utimesSync(file(home, "old"), weekAgo, weekAgo);
    recordProgress(home, "recent", { event: "Stop" });
    expect(existsSync(file(home, "old"))).toBe(true);
    recordProgress(home, "new", { event: "SessionStart" });
    expect(readdirSync(join(actuatorDir(home), "progress")).sort()).toEqual(["new.jsonl", "recent.jsonl"]);
    expect(readFileSync(file(home, "recent"), "utf8").trim().split("\n")).toHaveLength(2);
  });
});
