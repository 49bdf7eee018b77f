// The one handler of a Claude Code hook event (heartbeat, then the actuator's step); the command hook and the HTTP endpoint are two doors onto it.
import { describeError } from "../errors";
import { DEFAULT_CODEX_PERMISSION_WAIT_SECONDS } from "../agents";
import type { Agent, Prefs } from "../prefs/schema";
import type { HookLogRecord } from "./log";
import { DEFAULT_BRIEF_ACK_MAX_CHARS, runHook } from "./run";
import { DEFAULT_PERMISSION_WAIT_SECONDS } from "./settings";

export interface HookEventOptions {
  /** The event JSON as Claude Code sent it. */
  text: string;
  /** The input was cut at the door's size cap: the top-level fields are recovered from its head. */
  truncated?: boolean;
  surface: string;
  /** Claude Code's pid: passed by the command hook ($PPID); the HTTP door looks it up by the event's session id. */
  pid?: number | ((sessionId: string | undefined) => number | undefined) | undefined;
  homeDir: string;
  busDir: string;
  /** Undefined: no preferences file (the defaults apply). */
  prefs: Prefs | undefined;
  /** Why the preferences could not be used: the actuator then answers nothing (its lists may be wider by default). */
  prefsProblem?: string | undefined;
  /** Ends a PermissionRequest wait at once: the command hook's SIGTERM, or the HTTP request closed (Esc on the dialog). */
  signal: AbortSignal;
  log: (record: HookLogRecord) => void;
  /** Told what the handler is doing, so a door's deadline can say where it was stuck. */
  onStage?: (stage: string) => void;
  /**
   * Called before a PermissionRequest starts waiting for a plan, with the wait's bound in seconds: the door replaces
   * its short deadline by this one (Claude Code's own timeout for the event sits above it).
   */
  onLongWait?: (seconds: number) => void;
  /** The agent that sent the event (its own map and actuator rules); Claude Code when absent. */
  agent?: Agent;
}

export interface HookEventResult {
  /** What Claude Code gets back: a decision's JSON, or "" for none. */
  output: string;
  /** The event's name, when the input had one. */
  event?: string;
  sessionId?: string;
}

/** Whether an event is a PermissionRequest, read from the raw text before parsing (a door sizes its deadline by it). */
export function isPermissionRequest(text: string): boolean {
  return /"hook_event_name"\s*:\s*"PermissionRequest"/.test(text);
}

/**
 * Handles one event: publishes its heartbeat, then (while the safety switch is on) notes it as session progress and,
 * for a PermissionRequest, waits for a confirmed plan. Never throws: problems go to `log`, and the answer is then "".
 */
export async function handleHookEvent(options: HookEventOptions): Promise<HookEventResult> {
  const { surface, log } = options;
  const result = await runHook({
    text: options.text,
    truncated: options.truncated === true,
    surface,
    pid: options.pid,
    busDir: () => options.busDir,
    briefAckMaxChars: () => options.prefs?.briefAckMaxChars ?? DEFAULT_BRIEF_ACK_MAX_CHARS,
    ...(options.agent === undefined ? {} : { agent: options.agent }),
    ...(options.onStage === undefined ? {} : { onStage: options.onStage }),
  });
  for (const problem of result.problems) log(problem);
  const answer: HookEventResult = { output: "" };
  if (result.event !== undefined) answer.event = result.event;
  if (result.sessionId !== undefined) answer.sessionId = result.sessionId;
  try {
    options.onStage?.("the actuator step");
    answer.output = await actuatorStep(options, result.pid);
  } catch (error) {
    log({ level: "error", message: `actuator step failed: ${describeError(error)}`, surface });
  }
  return answer;
}

/**
 * While the safety switch is on: note the event as session progress, and on PermissionRequest wait for a confirmed
 * plan (its own bound: permissionWaitSeconds, or codexPermissionWaitSeconds for Codex; the signal ends it at once).
 * Returns what to answer.
 */
async function actuatorStep(options: HookEventOptions, pid: number | undefined): Promise<string> {
  // The switch is one small file: read it before loading anything else, so the hot path stays light while it is off.
  // Gemini CLI's hooks cannot answer its dialog: nothing to step (its prompts are shown and escalated).
  if (options.agent === "gemini") return "";
  // Off (no record, or one saying off) ends the step before the full reader and the policy schema it loads.
  const { switchCertainlyOff } = await import("../actuator/state/switch-record");
  if (switchCertainlyOff(options.homeDir)) return "";
  const { readSwitch } = await import("../actuator/state/safety-switch");
  if (!readSwitch(options.homeDir).on) return "";
  const permission = isPermissionRequest(options.text);
  const codex = options.agent === "codex";
  if (permission && options.prefsProblem !== undefined) {
    // Fail closed: no wait, no decision; the agent's own dialog stays for the person.
    options.log({ level: "warn", message: `PermissionRequest not awaited: the preferences cannot be used (${options.prefsProblem})`, surface: options.surface });
    return "";
  }
  // Codex shows its dialog only once this hook returns (Claude Code shows it at once): its wait is its own, short bound.
  const waitSeconds = codex
    ? (options.prefs?.actuator.codexPermissionWaitSeconds ?? DEFAULT_CODEX_PERMISSION_WAIT_SECONDS)
    : (options.prefs?.actuator.permissionWaitSeconds ?? DEFAULT_PERMISSION_WAIT_SECONDS);
  if (permission && codex && waitSeconds === 0) {
    options.log({ level: "info", message: "Codex PermissionRequest not awaited (actuator.codexPermissionWaitSeconds is 0): Codex's own dialog is the person's", surface: options.surface });
    return "";
  }
  if (permission) options.onLongWait?.(waitSeconds);
  const { actuatorHookStep } = await import("../actuator/hook/hook-step");
  const result = await actuatorHookStep({
    homeDir: options.homeDir,
    busDir: options.busDir,
    surface: options.surface,
    text: options.text,
    permissionWaitSeconds: waitSeconds,
    autoAllowlist: options.prefs?.actuator.autoAllowlist,
    blocklist: options.prefs?.actuator.blocklist ?? [],
    signal: options.signal,
    ownerPid: pid,
    agentName: codex ? "Codex" : "Claude Code",
  });
  // Not for Codex: its dialog is still to come when its hook is ended (Esc on a running hook kills it outright).
  if (!codex && result.outcome?.decision === "none" && result.outcome.why === "dismissed") {
    // Esc on the dialog sends no other event: say at once that the surface is no longer waiting.
    const { publishAsync } = await import("../bus/writer");
    const payload = { status: "idle" as const, event: "PermissionDismissed", note: "the person dismissed the permission dialog (Esc)", ...(pid === undefined ? {} : { pid }) };
    await publishAsync(options.busDir, { topic: "heartbeat", payload, from: options.surface }).catch((error: unknown) =>
      options.log({ level: "warn", message: `cannot publish the dismissal: ${describeError(error)}`, surface: options.surface }),
    );
  }
  return result.stdout;
}
