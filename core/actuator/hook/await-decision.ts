// The PermissionRequest hook's side of the race with the person: records the pending request and waits, bounded,
// for a confirmed plan for it; answers only after taking the plan and checking the switch and the policy itself.
// It ends at once when the switch is off, when the policy refuses the request (no plan could ever be made: the person
// answers Claude Code's own dialog), when Claude Code signals it (Esc), or when the session moved on.
import { checkBusTrust } from "../../bus/trust";
import { isProcessAlive, processRef } from "../../process-liveness";
import { manualGate } from "../gates";
import { decide, type PolicyContext, type PolicyRefusal } from "../policy/decide";
import { loadShellParser } from "../policy/shell-parser";
import { recordDecision } from "../record";
import { escalates } from "../refusals";
import { chooseAnswer } from "../screen/answer";
import { hookTarget, planFingerprint } from "../screen/plan-fingerprint";
import { confirmedFor, writePlanResult } from "../state/plan-handoff";
import { type Plan, takePlan } from "../state/plans";
import { readSwitch } from "../state/safety-switch";
import { refusalBeforeWaiting } from "./judge-request";
import { removePendingRequest, savePendingRequest } from "./pending-requests";
import { type PermissionRequestInput, promptFromRequest, toolKey } from "./request-prompt";
import { progressStart, readProgressSince, settles } from "./session-progress";

export type HookOutcome =
  | { decision: "allow"; planId: string }
  | { decision: "none"; why: "switch-off" | "settled" | "dismissed" | "timeout" }
  /** The policy refuses the request: not waited on, Claude Code's own dialog stays for the person. */
  | { decision: "none"; why: "refused"; refusal: PolicyRefusal; reason: string };

export interface AwaitDecisionOptions {
  homeDir: string;
  busDir: string;
  surface: string;
  request: PermissionRequestInput;
  waitMs: number;
  policy: Omit<PolicyContext, "mode">;
  /** Aborted when Claude Code sends SIGTERM (the person pressed Esc on the dialog). */
  signal?: AbortSignal;
  /** Claude Code's pid (the hook's `--pid "$PPID"`): if it dies, its dialog is gone and the wait ends at once. */
  ownerPid?: number;
  /** Who shows the dialog when nothing is answered (the audit says so); Claude Code when absent. */
  agentName?: string;
  pollMs?: number;
}

/** A hook plan's target. */
export interface HookPlanTarget {
  requestId: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

export async function awaitDecision(options: AwaitDecisionOptions): Promise<HookOutcome> {
  const { homeDir, request } = options;
  if (!readSwitch(homeDir).on) return { decision: "none", why: "switch-off" };
  const prompt = promptFromRequest(request);
  // The parser loads only when a prompt is to be judged; one that failed to load leaves the policy refusing
  // everything as unjudgeable, so then nothing is waited on.
  await loadShellParser();
  const refused = refusalBeforeWaiting(prompt, options.policy);
  if (refused !== undefined) {
    const reason = `${refused.refusal}: ${refused.reason}; not waited on, ${options.agentName ?? "Claude Code"}'s own dialog is left for the person`;
    recordDecision(options, { surface: options.surface, backend: "hook", event: "plan", prompt: { subject: prompt.subject, question: prompt.question }, decision: "refused", reason }, { escalate: true });
    return { decision: "none", why: "refused", ...refused };
  }
  const pending = savePendingRequest(homeDir, options.surface, request);
  const key = toolKey(request.toolName, request.toolInput);
  const start = progressStart(homeDir, request.sessionId, key);
  let cursor = start.cursor;
  const toolUseId = start.toolUseId;
  const deadline = Date.now() + options.waitMs;
  const owner = options.ownerPid === undefined ? undefined : processRef(options.ownerPid);
  try {
    while (Date.now() < deadline) {
      if (options.signal?.aborted) return { decision: "none", why: "dismissed" };
      if (owner !== undefined && !isProcessAlive(owner)) return { decision: "none", why: "settled" };
      if (!readSwitch(homeDir).on) return { decision: "none", why: "switch-off" };
      const progress = readProgressSince(homeDir, request.sessionId, cursor);
      cursor = progress.cursor;
      if (settles(progress.events, key, toolUseId)) return { decision: "none", why: "settled" };
      for (const planId of confirmedFor(homeDir, pending.requestId)) {
        if (tryPlan(options, planId, pending.requestId, prompt)) return { decision: "allow", planId };
      }
      await sleep(options.pollMs ?? 150, options.signal);
    }
    return { decision: "none", why: options.signal?.aborted ? "dismissed" : "timeout" };
  } finally {
    removePendingRequest(homeDir, pending.requestId);
  }
}

// Takes the plan (once), runs every gate on the request itself, records and reports the result. True: allow now.
function tryPlan(options: AwaitDecisionOptions, planId: string, requestId: string, prompt: ReturnType<typeof promptFromRequest>): boolean {
  const { homeDir } = options;
  const taken = takePlan<Plan<HookPlanTarget, { fingerprint: string }>>(homeDir, planId);
  const answer = chooseAnswer(prompt.options, "allow-once");
  const mode = taken.ok && taken.plan.mode === "auto" ? "auto" : "manual";
  const policy = answer === undefined ? undefined : decide(prompt, answer, { ...options.policy, mode });
  const forUs = taken.ok && taken.plan.backend === "hook" && taken.plan.target.requestId === requestId && taken.plan.surface === options.surface;
  const verdict = manualGate({
    now: Date.now(),
    switchState: readSwitch(homeDir),
    busTrusted: checkBusTrust(options.busDir).trusted,
    plan: taken.ok ? { ok: true } : taken,
    reading: prompt,
    samePromptAsPlan: forUs && taken.ok && taken.plan.prompt.fingerprint === planFingerprint(prompt, { cwd: options.policy.projectDir, target: hookTarget(requestId) }),
    policy,
  });
  const shown = { subject: prompt.subject, question: prompt.question };
  if (!verdict.act) {
    const result = { ok: false, refusal: verdict.refusal, reason: verdict.reason };
    writePlanResult(homeDir, planId, result);
    recordDecision(options, { surface: options.surface, backend: "hook", event: "confirm", prompt: shown, decision: "refused", reason: `${verdict.refusal}: ${verdict.reason}` }, { escalate: escalates(verdict.refusal) });
    return false;
  }
  writePlanResult(homeDir, planId, { ok: true, pressed: "Yes", keys: "PermissionRequest decision: allow" });
  recordDecision(options, { surface: options.surface, backend: "hook", event: "act", prompt: shown, decision: "done", reason: "allowed once through the PermissionRequest hook" });
  return true;
}

/** The hook's stdout for an allow decision (DESIGN.md): printed only when a confirmed plan allowed it. */
export function allowDecisionOutput(): string {
  return `${JSON.stringify({ hookSpecificOutput: { hookEventName: "PermissionRequest", decision: { behavior: "allow" } } })}\n`;
}
