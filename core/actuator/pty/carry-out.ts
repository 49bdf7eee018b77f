// Carries out a confirmed plan inside the pty host: takes the plan, reads the screen again, runs every gate, and
// only then presses the answer's keys, each one only while the whole prompt is still the one judged.
import { checkBusTrust } from "../../bus/trust";
import { manualGate } from "../gates";
import { decide, type PolicyContext } from "../policy/decide";
import { loadShellParser } from "../policy/shell-parser";
import { recordDecision } from "../record";
import { type Refusal, escalates } from "../refusals";
import { chooseAnswer } from "../screen/answer";
import { promptFingerprint } from "../screen/fingerprint";
import { planFingerprint, ptyTarget } from "../screen/plan-fingerprint";
import type { ScreenReading } from "../screen/types";
import { type Plan, takePlan } from "../state/plans";
import { readSwitch } from "../state/safety-switch";
import { keySequence, pressChecked } from "./press-checked";

/** What the host gives the carry-out: its identity, the screen, and the keyboard. */
export interface HostAccess {
  homeDir: string;
  busDir: string;
  surface: string;
  sessionId: string;
  policy: Omit<PolicyContext, "mode">;
  /** Waits for output to settle, then reads the screen. */
  readScreen(): Promise<{ reading: ScreenReading; promptSince: number | undefined }>;
  writeKeys(keys: string): void;
  sleep(ms: number): Promise<void>;
  now(): number;
}

export type ActResult = { ok: true; pressed: string; keys: string } | { ok: false; refusal: Refusal; reason: string };

/** A pty plan's target and action. */
export interface PtyPlanTarget {
  sessionId: string;
}

// Claude Code takes keys reliably only once its dialog has been up a moment.
const DIALOG_SETTLE_MS = 500;

export async function carryOutPlan(host: HostAccess, planId: string): Promise<ActResult> {
  await loadShellParser();
  const taken = takePlan<Plan<PtyPlanTarget, { fingerprint: string }>>(host.homeDir, planId, host.now());
  const refuse = (refusal: Refusal, reason: string, prompt: unknown = null): ActResult => {
    recordDecision(host, { surface: host.surface, backend: "pty", event: "confirm", prompt, decision: "refused", reason: `${refusal}: ${reason}` }, { escalate: escalates(refusal) });
    return { ok: false, refusal, reason };
  };
  if (taken.ok && (taken.plan.backend !== "pty" || taken.plan.surface !== host.surface || taken.plan.target.sessionId !== host.sessionId)) {
    return refuse("error", "the plan is for another surface or session");
  }
  const { reading, promptSince } = await host.readScreen();
  const answer = reading.kind === "permission" ? chooseAnswer(reading.options, "allow-once") : undefined;
  const mode = taken.ok && taken.plan.mode === "auto" ? "auto" : "manual";
  const policy = reading.kind === "permission" && answer !== undefined ? decide(reading, answer, { ...host.policy, mode }) : undefined;
  const verdict = manualGate({
    now: host.now(),
    switchState: readSwitch(host.homeDir),
    busTrusted: checkBusTrust(host.busDir).trusted,
    plan: taken.ok ? { ok: true } : taken,
    reading,
    samePromptAsPlan: taken.ok && planFingerprint(reading, { cwd: host.policy.projectDir, target: ptyTarget(host.sessionId) }) === taken.plan.prompt.fingerprint,
    policy: reading.kind === "permission" && answer === undefined ? { allowed: false, refusal: "unrecognised", reason: "no single-use Yes among the options" } : policy,
  });
  if (!verdict.act) return refuse(verdict.refusal, verdict.reason, reading.kind === "permission" ? { subject: reading.subject, question: reading.question } : null);
  if (reading.kind !== "permission" || answer === undefined) return refuse("error", "internal: gate passed without a prompt");

  const shownFor = promptSince === undefined ? 0 : host.now() - promptSince;
  if (shownFor < DIALOG_SETTLE_MS) await host.sleep(DIALOG_SETTLE_MS - shownFor);
  const shown = { subject: reading.subject, question: reading.question };
  const pressed = await pressChecked(host, promptFingerprint(reading), keySequence(answer.keys));
  if (!pressed.ok) {
    // Another prompt (or none) is on screen now: what was pressed so far is said, and a person takes over.
    recordDecision(host, { surface: host.surface, backend: "pty", event: "act", prompt: shown, decision: "refused", reason: `prompt-changed: ${pressed.reason}` }, { escalate: true });
    return { ok: false, refusal: "prompt-changed", reason: pressed.reason };
  }
  const keys = pressed.keys;
  // Say only what happened: if the same prompt is still there, the key was not taken (nothing is pressed again).
  const after = await host.readScreen();
  if (promptFingerprint(after.reading) === promptFingerprint(reading)) {
    recordDecision(host, { surface: host.surface, backend: "pty", event: "act", prompt: shown, decision: "failed", reason: "the key was sent but the prompt is still on screen" }, { escalate: true });
    return { ok: false, refusal: "error", reason: `sent ${JSON.stringify(keys)} but the prompt is still on screen; nothing more was pressed` };
  }
  recordDecision(host, { surface: host.surface, backend: "pty", event: "act", prompt: shown, decision: "done", reason: `answered "${answer.option.label}"`, result: { keys: JSON.stringify(keys) } });
  return { ok: true, pressed: answer.option.label, keys };
}
