// `unstick plan` and `unstick confirm` for hosted sessions: look at the surface, say exactly what would be done,
// and hand a confirmation to the session's host, which checks everything again before pressing a key.
import { checkBusTrust } from "../bus/trust";
import type { Prefs } from "../prefs/schema";
import { isProcessAlive } from "../process-liveness";
import { type PendingRequest, pendingRequestsFor } from "./hook/pending-requests";
import { promptFromRequest } from "./hook/request-prompt";
import { confirmThroughJxa, type JxaContext, type JxaPlan, planThroughJxa } from "./jxa/jxa-backend";
import { type JxaRunner, osascriptRunner } from "./jxa/runner";
import { decide } from "./policy/decide";
import { type ActuatorPolicy, actuatorPolicyOf, policyContextFor } from "./policy/context";
import { loadShellParser } from "./policy/shell-parser";
import type { ActResult } from "./pty/carry-out";
import { requestControl } from "./pty/control-socket";
import { listSessionRecords, type SessionRecord } from "./pty/session-paths";
import { recordDecision } from "./record";
import { type Refusal, escalates } from "./refusals";
import { chooseAnswer } from "./screen/answer";
import { hookTarget, planFingerprint, ptyTarget } from "./screen/plan-fingerprint";
import type { PermissionPrompt, ScreenReading } from "./screen/types";
import { markConfirmed, readPlanResult } from "./state/plan-handoff";
import { type Plan, peekPlan, savePlan, takePlan } from "./state/plans";
import { readSwitch } from "./state/safety-switch";
import { surfaceWorkingDir } from "./surface-cwd";

export interface UnstickContext {
  homeDir: string;
  busDir: string;
  prefs: Prefs;
  /** The actuator policy in force when it is not the one `prefs` sets (the app reads it from the file, failing closed). */
  policy?: ActuatorPolicy;
  /** How JXA scripts run: osascript on macOS (the default there); tests pass the simulated System Events. */
  jxa?: JxaRunner;
  /** Where Claude Code's session records are (`CLAUDE_CONFIG_DIR`); default: this process's environment. */
  env?: NodeJS.ProcessEnv;
}

/** The macOS app the jxa backend reads for `surface`, if any. */
function appFor(ctx: UnstickContext, surface: string): string | undefined {
  return ctx.prefs.surfaces.find((s) => s.id === surface)?.app ?? (surface === "otto-desktop" ? "Claude" : undefined);
}

function agentOf(ctx: UnstickContext, surface: string): string {
  return ctx.prefs.surfaces.find((s) => s.id === surface)?.agent ?? "claude-code";
}

function jxaRunner(ctx: UnstickContext): JxaRunner | undefined {
  return ctx.jxa ?? (process.platform === "darwin" ? osascriptRunner() : undefined);
}

// The prompt's text does not say where its command runs: the surface's own working directory does (never this
// process's, which is `/` for an app opened from Finder); unknown, every write counts as outside.
function jxaContext(ctx: UnstickContext, runner: JxaRunner, surface: string): JxaContext {
  const where = surfaceWorkingDir(ctx.busDir, surface, ctx.env);
  const projectDir = where.cwd === null ? { projectDir: null, projectDirWhy: `working directory unknown: ${where.reason}` } : { projectDir: where.cwd, projectDirWhy: `working directory ${where.cwd}, from ${where.source}` };
  const policy = ctx.policy ?? actuatorPolicyOf(ctx.prefs);
  return { homeDir: ctx.homeDir, busDir: ctx.busDir, runner, policy: { extraBlocklist: policy.blocklist, problem: policy.problem }, ...projectDir };
}

/** What `unstick plan` shows: the prompt seen and the exact answer and key. */
export interface PtyPlan extends Plan<{ sessionId: string; socket: string; childPid: number }, { fingerprint: string; title: string; subject: string; question: string; options: string[] }, { answer: string; keys: string }> {
  backend: "pty";
  switchOn: boolean;
}

/** A plan answered by a waiting PermissionRequest hook. */
export interface HookPlan extends Plan<{ requestId: string; hookPid: number; sessionId: string }, PtyPlan["prompt"], PtyPlan["action"]> {
  backend: "hook";
  switchOn: boolean;
}

export type PlanOutcome = { ok: true; plan: PtyPlan | HookPlan | JxaPlan } | { ok: false; refusal: Refusal; reason: string };

function policyContext(ctx: UnstickContext, projectDir: string) {
  return policyContextFor(ctx.policy ?? actuatorPolicyOf(ctx.prefs), projectDir, "manual");
}

/** The live hosted session of `surface`, if any (a record whose host is gone does not count). */
export function liveSessionFor(homeDir: string, surface: string): SessionRecord | undefined {
  return listSessionRecords(homeDir).find((r) => r.surface === surface && isProcessAlive(r.host));
}

/** Looks at the surface and stores a plan, or refuses (and writes down why; refusals that need a person escalate). */
export async function planUnstick(ctx: UnstickContext, surface: string): Promise<PlanOutcome> {
  const refuse = (refusal: Refusal, reason: string, prompt: unknown = null): PlanOutcome => {
    recordDecision(ctx, { surface, backend: "pty", event: "plan", prompt, decision: "refused", reason: `${refusal}: ${reason}` }, { escalate: escalates(refusal) });
    return { ok: false, refusal, reason };
  };
  await loadShellParser();
  const trust = checkBusTrust(ctx.busDir);
  if (!trust.trusted && trust.exists) return refuse("bus-untrusted", trust.reason ?? "the bus is not trusted");
  const agent = agentOf(ctx, surface);
  const codex = agent === "codex";
  const request = pendingRequestsFor(ctx.homeDir, surface).at(-1);
  // Codex's screen is not read (its dialog comes only once the hook has returned): its waiting hook is the backend,
  // hosted or not.
  if (codex && request !== undefined) return planForRequest(ctx, request, refuse);
  if (codex) {
    const wait = ctx.prefs.actuator.codexPermissionWaitSeconds;
    return refuse("no-backend", `no Codex PermissionRequest hook of ${surface} is waiting: Codex's own dialog is the person's once the hook has returned (it waits ${wait} s for a plan, actuator.codexPermissionWaitSeconds); answer it in Codex, or install its hooks (otto-tray hooks install --surface ${surface}) and turn the safety switch on`);
  }
  const session = liveSessionFor(ctx.homeDir, surface);
  if (session === undefined) {
    if (request !== undefined) return planForRequest(ctx, request, refuse);
    const app = appFor(ctx, surface);
    const runner = jxaRunner(ctx);
    if (app !== undefined && runner !== undefined) {
      const planned = await planThroughJxa(jxaContext(ctx, runner, surface), surface, app);
      return planned.ok ? { ok: true, plan: planned.value } : planned;
    }
    if (agent === "gemini") {
      return refuse("no-backend", `Gemini CLI's hooks cannot answer its dialog, and ${surface} is not hosted: answer it in its terminal, or start it as otto-tray run --surface ${surface} -- gemini so that Otto Tray can read its screen`);
    }
    return refuse("no-backend", `no hosted session and no pending permission request for ${surface}: host it with otto-tray run --surface ${surface} -- CMD, or install its hooks and turn the safety switch on`);
  }
  let seen: { reading: ScreenReading; childPid: number; sessionId: string };
  try {
    seen = (await requestControl(session.socket, { op: "screen" })) as typeof seen;
  } catch (error) {
    return refuse("error", `the session did not answer: ${(error as Error).message}`);
  }
  const reading = seen.reading;
  if (reading.kind === "busy" || reading.kind === "idle") return refuse("no-prompt", reading.reason);
  if (reading.kind !== "permission") return refuse("unrecognised", reading.kind === "unrecognised" ? reading.reason : `a dialog that is not a permission prompt: ${reading.question}`);
  const answer = chooseAnswer(reading.options, "allow-once");
  const shown = describePrompt(reading);
  if (answer === undefined) return refuse("unrecognised", "no single single-use Yes among the options", shown);
  const policy = decide(reading, answer, { ...policyContext(ctx, session.cwd), mode: "manual" });
  if (!policy.allowed) return refuse(policy.refusal, policy.reason, shown);
  const keys = answer.keys.kind === "digit" ? answer.keys.key : `${answer.keys.moves.map((m) => (m === "up" ? "↑" : "↓")).join("")}↵`;
  const plan = savePlan<PtyPlan>(ctx.homeDir, {
    surface,
    backend: "pty",
    target: { sessionId: seen.sessionId, socket: session.socket, childPid: seen.childPid },
    prompt: { fingerprint: planFingerprint(reading, { cwd: session.cwd, target: ptyTarget(seen.sessionId) }), ...shown },
    action: { answer: answer.option.label, keys },
    switchOn: readSwitch(ctx.homeDir).on,
  });
  recordDecision(ctx, { surface, backend: "pty", event: "plan", prompt: shown, decision: "info", reason: `plan ${plan.planId}: answer "${answer.option.label}" with ${keys}` });
  return { ok: true, plan };
}

/** The plan for a request a PermissionRequest hook is waiting on: the answer is the hook's allow decision. */
function planForRequest(ctx: UnstickContext, request: PendingRequest, refuse: (refusal: Refusal, reason: string, prompt?: unknown) => PlanOutcome): PlanOutcome {
  const reading = promptFromRequest(request);
  const shown = describePrompt(reading);
  const answer = chooseAnswer(reading.options, "allow-once");
  const policy = answer === undefined ? undefined : decide(reading, answer, { ...policyContext(ctx, request.cwd), mode: "manual" });
  if (policy === undefined || !policy.allowed) return refuse(policy?.refusal ?? "unrecognised", policy?.reason ?? "no single-use allow", shown);
  const plan = savePlan<HookPlan>(ctx.homeDir, {
    surface: request.surface,
    backend: "hook",
    target: { requestId: request.requestId, hookPid: request.hook.pid, sessionId: request.sessionId },
    prompt: { fingerprint: planFingerprint(reading, { cwd: request.cwd, target: hookTarget(request.requestId) }), ...shown },
    action: { answer: "Yes", keys: "PermissionRequest decision: allow" },
    switchOn: readSwitch(ctx.homeDir).on,
  });
  recordDecision(ctx, { surface: request.surface, backend: "hook", event: "plan", prompt: shown, decision: "info", reason: `plan ${plan.planId}: allow once through the PermissionRequest hook` });
  return { ok: true, plan };
}

function describePrompt(reading: PermissionPrompt) {
  return { title: reading.title, subject: reading.subject, question: reading.question, options: reading.options.map((o) => (o.number === null ? o.label : `${o.number}. ${o.label}`)) };
}

/** Hands a confirmation to the plan's session; the host takes the plan and runs every gate itself. */
export async function confirmUnstick(ctx: UnstickContext, planId: string): Promise<ActResult> {
  await loadShellParser();
  const peeked = peekPlan<PtyPlan | HookPlan | JxaPlan>(ctx.homeDir, planId);
  if (peeked?.backend === "hook") return confirmThroughHook(ctx, peeked);
  if (peeked?.backend === "jxa") {
    const runner = jxaRunner(ctx);
    if (runner !== undefined) return confirmThroughJxa(jxaContext(ctx, runner, peeked.surface), planId);
  }
  const plan = peeked as PtyPlan | undefined;
  // An unknown or used plan is still reported by the host's own check when a session exists; without one, here.
  const session = plan === undefined ? undefined : liveSessionFor(ctx.homeDir, plan.surface);
  if (plan === undefined || session === undefined) {
    // No fresh plan file: takePlan only tells used from unknown (there is nothing it could use up).
    const taken = plan === undefined ? takePlan(ctx.homeDir, planId) : undefined;
    const refusal: Refusal = taken === undefined ? "no-backend" : taken.ok || taken.refusal === "unknown-plan" ? "error" : taken.refusal;
    const reason = taken === undefined ? `the session of ${plan?.surface ?? "?"} is gone` : taken.ok ? "internal: plan appeared" : taken.reason;
    recordDecision(ctx, { surface: plan?.surface ?? null, backend: "pty", event: "confirm", prompt: null, decision: "refused", reason: `${refusal}: ${reason}` });
    return { ok: false, refusal, reason };
  }
  try {
    return (await requestControl(session.socket, { op: "act", planId }, 20_000)) as ActResult;
  } catch (error) {
    const reason = `the session did not answer: ${(error as Error).message}`;
    recordDecision(ctx, { surface: plan.surface, backend: "pty", event: "confirm", prompt: null, decision: "refused", reason: `error: ${reason}` }, { escalate: true });
    return { ok: false, refusal: "error", reason };
  }
}

/**
 * Marks a hook plan confirmed and waits for the hook's result. If the hook does not take it in time (it ended, the
 * person answered), the plan is used up here so that it cannot be carried out later, unseen.
 */
async function confirmThroughHook(ctx: UnstickContext, plan: HookPlan): Promise<ActResult> {
  const refused = (refusal: Refusal, reason: string): ActResult => {
    recordDecision(ctx, { surface: plan.surface, backend: "hook", event: "confirm", prompt: null, decision: "refused", reason: `${refusal}: ${reason}` });
    return { ok: false, refusal, reason };
  };
  if (!readSwitch(ctx.homeDir).on) return refused("switch-off", "the safety switch is off");
  markConfirmed(ctx.homeDir, plan.planId, plan.target.requestId);
  const deadline = Date.now() + HOOK_ANSWER_MS;
  for (;;) {
    const result = readPlanResult(ctx.homeDir, plan.planId) as ActResult | undefined;
    if (result !== undefined) return result;
    if (Date.now() > deadline) {
      const cancelled = takePlan(ctx.homeDir, plan.planId);
      if (cancelled.ok || cancelled.refusal === "plan-expired") return refused("no-backend", "the PermissionRequest hook did not take the plan (the dialog was answered or closed); nothing was done");
      if (Date.now() > deadline + 2_000) return refused("error", "the hook took the plan but reported no result");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const HOOK_ANSWER_MS = 5_000;
