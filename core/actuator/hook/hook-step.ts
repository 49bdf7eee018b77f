// The actuator's part of `otto-tray hook`, run after the heartbeat: while the safety switch is on, every event is
// noted as session progress, and a PermissionRequest the policy does not refuse waits (bounded) for a confirmed plan.
// Returns what to print.
import { appendHookLog } from "../../hooks/log";
import type { ArgvTemplate } from "../policy/argv-template-schema";
import { allowlistOf } from "../policy/context";
import { allowDecisionOutput, awaitDecision, type HookOutcome } from "./await-decision";
import { recordProgress } from "./session-progress";

export interface HookStepOptions {
  homeDir: string;
  busDir: string;
  surface: string;
  /** The event JSON as Claude Code wrote it (tool_input and tool_use_id are read from it here). */
  text: string;
  permissionWaitSeconds: number;
  /** The preferences' allowlist entries as written (undefined: the default). */
  autoAllowlist: readonly (string | ArgvTemplate)[] | undefined;
  blocklist: readonly string[];
  /** Aborted by SIGTERM: Claude Code sends it when the person presses Esc on the dialog. */
  signal: AbortSignal;
  /** Claude Code's pid (`--pid "$PPID"`): the wait ends when it dies. */
  ownerPid?: number | undefined;
  /** Who shows the dialog left for the person (said in the log and the audit); Claude Code when absent. */
  agentName?: string;
}

/** What the step did: the outcome of a PermissionRequest wait (if any) and the text for stdout ("" for none). */
export interface HookStepResult {
  outcome?: HookOutcome;
  stdout: string;
}

function record(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * The caller (`otto-tray hook`) runs this only while the switch is on, having read it before loading this module;
 * the PermissionRequest wait reads it again at every step, so nothing acts once it is off.
 */
export async function actuatorHookStep(options: HookStepOptions): Promise<HookStepResult> {
  const event = record(options.text);
  const name = str(event?.hook_event_name);
  const sessionId = str(event?.session_id);
  if (event === undefined || name === undefined || sessionId === undefined) return { stdout: "" };
  const toolName = str(event.tool_name);
  const toolUseId = str(event.tool_use_id);
  if (name !== "PermissionRequest") {
    recordProgress(options.homeDir, sessionId, { event: name, ...(toolName ? { toolName, toolInput: event.tool_input } : {}), ...(toolUseId ? { toolUseId } : {}) });
    return { stdout: "" };
  }
  const cwd = str(event.cwd);
  const dialog = `${options.agentName ?? "Claude Code"}'s own dialog is left for the person`;
  const note = (message: string) => appendHookLog(options.homeDir, { level: "info", message, surface: options.surface, event: name, sessionId });
  // Without the project directory no write can be judged inside or outside it: do not wait (fail closed).
  if (toolName === undefined || cwd === undefined) {
    note(`not waiting for a plan: the request names no ${toolName === undefined ? "tool" : "working directory"}; ${dialog}`);
    return { stdout: "" };
  }
  const autoAllowlist = allowlistOf({ actuator: { autoAllowlist: options.autoAllowlist } }).templates;
  const outcome = await awaitDecision({
    homeDir: options.homeDir,
    busDir: options.busDir,
    surface: options.surface,
    request: { sessionId, toolName, toolInput: event.tool_input, cwd },
    waitMs: options.permissionWaitSeconds * 1000,
    policy: { projectDir: cwd, autoAllowlist, extraBlocklist: options.blocklist },
    signal: options.signal,
    ...(options.ownerPid === undefined ? {} : { ownerPid: options.ownerPid }),
    ...(options.agentName === undefined ? {} : { agentName: options.agentName }),
  });
  if (outcome.decision === "none" && outcome.why === "refused") {
    note(`not waiting for a plan for ${toolName}: ${outcome.refusal}: ${outcome.reason}; ${dialog}`);
  }
  return { outcome, stdout: outcome.decision === "allow" ? allowDecisionOutput() : "" };
}
