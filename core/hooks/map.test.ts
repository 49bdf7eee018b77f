// Event → heartbeat mapping: every handled event, the notification types, and events that say nothing.
import { describe, expect, it } from "vitest";
import type { HookInput } from "./input";
import { mapHookEvent, needsTranscript, notificationTypeOf } from "./map";

const session = "9a1f3c2e-5b7d-4e60-8c21-0f4e6d2b1a99";
const event = (hookEventName: string, extra: Partial<HookInput> = {}): HookInput => ({ hookEventName, sessionId: session, ...extra });

describe("mapHookEvent", () => {
  it.each([
    ["SessionStart", { source: "startup" }, { status: "idle", note: "startup" }],
    ["SessionStart", { source: "compact" }, { status: "alive", note: "compact" }],
    ["UserPromptSubmit", {}, { status: "working" }],
    ["PreToolUse", { toolName: "Bash" }, { status: "working", note: "Bash" }],
    ["PostToolUse", { toolName: "Edit" }, { status: "working", note: "Edit" }],
    ["Stop", {}, { status: "idle" }],
    ["SessionEnd", { reason: "prompt_input_exit" }, { status: "idle", note: "prompt_input_exit" }],
  ] as const)("maps %s", (name, extra, expected) => {
    expect(mapHookEvent(event(name, extra), { pid: 4242 })).toEqual({ ...expected, event: name, sessionId: session, pid: 4242 });
  });

  it("keeps SessionEnd's status inside alive|idle|working and marks it by event", () => {
    const payload = mapHookEvent(event("SessionEnd"));
    expect(payload?.status).toBe("idle");
    expect(payload?.event).toBe("SessionEnd");
  });

  it("carries the session's working directory only when it is a whole absolute path", () => {
    expect(mapHookEvent(event("UserPromptSubmit", { cwd: "/Users/dev/src/app" }))?.cwd).toBe("/Users/dev/src/app");
    expect(mapHookEvent(event("UserPromptSubmit", { cwd: "src/app" }))).not.toHaveProperty("cwd");
    // At the input parser's cap the path may have been cut, and a cut path names another directory.
    expect(mapHookEvent(event("UserPromptSubmit", { cwd: `/${"a".repeat(4095)}` }))).not.toHaveProperty("cwd");
  });

  it("carries briefAck on Stop only when it is known", () => {
    expect(mapHookEvent(event("Stop"), { briefAck: true })?.briefAck).toBe(true);
    expect(mapHookEvent(event("Stop"), { briefAck: false })?.briefAck).toBe(false);
    expect(mapHookEvent(event("Stop"), {})).not.toHaveProperty("briefAck");
    expect(mapHookEvent(event("PostToolUse"), { briefAck: true })).not.toHaveProperty("briefAck");
  });

  it.each(["permission_prompt", "elicitation_dialog"])("reports %s as alive and waiting", (type) => {
    const payload = mapHookEvent(event("Notification", { notificationType: type, message: "Claude needs your permission to use Bash" }));
    expect(payload).toMatchObject({ status: "alive", event: "Notification", waiting: `${type}: Claude needs your permission to use Bash` });
  });

  it("reports idle_prompt as idle", () => {
    expect(mapHookEvent(event("Notification", { notificationType: "idle_prompt", message: "Claude is waiting for your input" }))).toMatchObject({
      status: "idle",
      note: "idle_prompt",
    });
  });

  it("ignores other notification types and unknown events", () => {
    expect(mapHookEvent(event("Notification", { notificationType: "auth_success" }))).toBeUndefined();
    expect(mapHookEvent(event("SubagentStop"))).toBeUndefined();
    expect(mapHookEvent(event("__proto__"))).toBeUndefined();
  });

  it("leaves out what is unknown (no session, no pid)", () => {
    expect(mapHookEvent({ hookEventName: "UserPromptSubmit" })).toEqual({ status: "working", event: "UserPromptSubmit" });
  });

  it("clips long notes and waiting texts to one short line", () => {
    const payload = mapHookEvent(event("Notification", { notificationType: "permission_prompt", message: `line one\n${"x".repeat(1000)}` }));
    expect(payload?.waiting?.length).toBeLessThanOrEqual(300);
    expect(payload?.waiting).not.toContain("\n");
    expect(mapHookEvent(event("PreToolUse", { toolName: "t".repeat(500) }))?.note?.length).toBeLessThanOrEqual(200);
  });
});

describe("notificationTypeOf", () => {
  it("prefers notification_type and infers it from older messages", () => {
    expect(notificationTypeOf(event("Notification", { notificationType: "idle_prompt", message: "needs your permission" }))).toBe("idle_prompt");
    expect(notificationTypeOf(event("Notification", { message: "Claude needs your permission to use Bash" }))).toBe("permission_prompt");
    expect(notificationTypeOf(event("Notification", { message: "Claude is waiting for your input" }))).toBe("idle_prompt");
    expect(notificationTypeOf(event("Notification", { message: "something else" }))).toBeUndefined();
  });
});

describe("needsTranscript", () => {
  it("is true for Stop only", () => {
    expect(needsTranscript(event("Stop"))).toBe(true);
    expect(needsTranscript(event("PostToolUse"))).toBe(false);
  });
});
