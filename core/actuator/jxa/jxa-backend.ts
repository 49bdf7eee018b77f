// The jxa backend of `unstick`: reads a macOS app's prompt through System Events, plans "Allow once", and presses it
// only after taking the plan, reading the prompt again and running every gate (the script re-checks the button too).
import { checkBusTrust } from "../../bus/trust";
import { manualGate } from "../gates";
import type { PolicyContext } from "../policy/decide";
import { decideDesktopPrompt } from "../policy/desktop";
import { recordDecision, type RecordContext } from "../record";
import { type Refusal, escalates } from "../refusals";
import { type Plan, savePlan, takePlan } from "../state/plans";
import { readSwitch } from "../state/safety-switch";
import { type DesktopPrompt, findDesktopPrompt, type UiListing } from "./desktop-prompt";
import type { JxaRunner } from "./runner";

export interface JxaPlan extends Plan<{ app: string; window: { index: number; name: string }; projectDir: string | null }, { fingerprint: string; title: string; subject: string; question: string; options: string[] }, { answer: string; keys: string }> {
  backend: "jxa";
  switchOn: boolean;
}

export interface JxaContext extends RecordContext {
  runner: JxaRunner;
  /** The person's blocklist, and why the actuator preferences cannot be used (then every answer is refused). */
  policy: Pick<PolicyContext, "extraBlocklist" | "problem">;
  /** The surface's working directory, or null when unknown (every write is then outside the project). */
  projectDir: string | null;
  /** How it was found, or why it is unknown: written down with the plan. */
  projectDirWhy: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal; reason: string };

// Covers the whole prompt, the directory it was judged against and the target (app and window), as planFingerprint does.
const fingerprint = (p: DesktopPrompt, projectDir: string | null, app: string) => JSON.stringify([p.window.name, p.texts, p.options.map((o) => o.label), projectDir, app, p.window.index]);

/** Reads the app's windows; a missing permission is said plainly (what to grant, and where). */
async function readPrompt(ctx: JxaContext, app: string): Promise<Outcome<DesktopPrompt>> {
  let listing: UiListing | { ok: false; reason: string; message: string };
  try {
    listing = (await ctx.runner.run("list-ui", { app })) as typeof listing;
  } catch (error) {
    return { ok: false, refusal: "error", reason: `cannot read ${app}'s windows: ${(error as Error).message}` };
  }
  if (!listing.ok) {
    const permission = listing.reason === "accessibility" ? "Accessibility" : listing.reason === "automation" ? "Automation (System Events)" : undefined;
    const reason = permission ? `Otto Tray needs the ${permission} permission: System Settings → Privacy & Security → ${permission.split(" ")[0]}` : listing.message;
    return { ok: false, refusal: "error", reason };
  }
  const prompt = findDesktopPrompt(listing);
  if ("none" in prompt) return { ok: false, refusal: "no-prompt", reason: prompt.none };
  return { ok: true, value: prompt };
}

/** Plans "Allow once" for `app`'s prompt, or refuses (written down; refusals that need a person escalate). */
export async function planThroughJxa(ctx: JxaContext, surface: string, app: string): Promise<Outcome<JxaPlan>> {
  const refuse = (refusal: Refusal, reason: string, prompt: unknown = null): Outcome<JxaPlan> => {
    recordDecision(ctx, { surface, backend: "jxa", event: "plan", prompt, decision: "refused", reason: `${refusal}: ${reason}` }, { escalate: escalates(refusal) });
    return { ok: false, refusal, reason };
  };
  const read = await readPrompt(ctx, app);
  if (!read.ok) return refuse(read.refusal, read.reason);
  const prompt = read.value;
  const shown = { title: app, subject: prompt.texts.join(" / "), question: prompt.texts[0] ?? "", options: prompt.options.map((o) => o.label) };
  const once = prompt.options.filter((o) => o.meaning === "allow-once");
  if (once.length !== 1) return refuse("unrecognised", "not exactly one single-use Allow among the buttons", shown);
  const policy = decideDesktopPrompt(prompt.texts, { ...ctx.policy, projectDir: ctx.projectDir, mode: "manual" });
  if (!policy.allowed) return refuse(policy.refusal, `${policy.reason} (${ctx.projectDirWhy})`, shown);
  const plan = savePlan<JxaPlan>(ctx.homeDir, {
    surface,
    backend: "jxa",
    target: { app, window: prompt.window, projectDir: ctx.projectDir },
    prompt: { fingerprint: fingerprint(prompt, ctx.projectDir, app), ...shown },
    action: { answer: once[0]?.label ?? "", keys: `press the button "${once[0]?.label ?? ""}"` },
    switchOn: readSwitch(ctx.homeDir).on,
  });
  recordDecision(ctx, { surface, backend: "jxa", event: "plan", prompt: shown, decision: "info", reason: `plan ${plan.planId}: press "${plan.action.answer}" in ${app} (${ctx.projectDirWhy})` });
  return { ok: true, value: plan };
}

/** Carries out a jxa plan: take it, read again, gate, press (the script checks window, texts and button once more). */
export async function confirmThroughJxa(ctx: JxaContext, planId: string): Promise<{ ok: true; pressed: string; keys: string } | { ok: false; refusal: Refusal; reason: string }> {
  const taken = takePlan<JxaPlan>(ctx.homeDir, planId);
  const surface = taken.ok ? taken.plan.surface : null;
  const refuse = (refusal: Refusal, reason: string) => {
    recordDecision(ctx, { surface, backend: "jxa", event: "confirm", prompt: null, decision: "refused", reason: `${refusal}: ${reason}` }, { escalate: escalates(refusal) });
    return { ok: false as const, refusal, reason };
  };
  if (!taken.ok) return refuse(taken.refusal === "unknown-plan" ? "error" : taken.refusal, taken.reason);
  const plan = taken.plan;
  // The plan was judged in one directory: a surface that moved since (or a plan from before it was recorded) is not the one confirmed.
  if (plan.target.projectDir !== ctx.projectDir) return refuse("prompt-changed", `the surface's working directory is not the one the plan was judged in (${ctx.projectDirWhy})`);
  const read = await readPrompt(ctx, plan.target.app);
  if (!read.ok) return readSwitch(ctx.homeDir).on ? refuse(read.refusal, read.reason) : refuse("switch-off", "the safety switch is off");
  const prompt = read.value;
  const option = prompt?.options.find((o) => o.label === plan.action.answer && o.meaning === "allow-once");
  const verdict = manualGate({
    now: Date.now(),
    switchState: readSwitch(ctx.homeDir),
    busTrusted: checkBusTrust(ctx.busDir).trusted,
    plan: { ok: true },
    reading: { kind: "permission", tool: "other", title: plan.target.app, subject: prompt.texts.join(" / "), description: null, question: prompt.texts[0] ?? "", options: prompt.options },
    samePromptAsPlan: fingerprint(prompt, ctx.projectDir, plan.target.app) === plan.prompt.fingerprint && option !== undefined,
    policy: decideDesktopPrompt(prompt.texts, { ...ctx.policy, projectDir: ctx.projectDir, mode: plan.mode === "auto" ? "auto" : "manual" }),
  });
  if (!verdict.act || option === undefined) return refuse(verdict.act ? "prompt-changed" : verdict.refusal, verdict.act ? "the button is gone" : verdict.reason);
  const pressed = (await ctx.runner.run("press-button", { app: plan.target.app, window: prompt.window, button: { name: option.label, path: option.path }, requireTexts: prompt.texts })) as { ok: boolean; reason?: string; message?: string };
  if (!pressed.ok) return refuse(pressed.reason === "prompt-changed" || pressed.reason === "button-gone" || pressed.reason === "window-changed" ? "prompt-changed" : "error", pressed.message ?? "the press was refused");
  recordDecision(ctx, { surface, backend: "jxa", event: "act", prompt: { subject: prompt.texts.join(" / ") }, decision: "done", reason: `pressed "${option.label}" in ${plan.target.app}` });
  return { ok: true, pressed: option.label, keys: plan.action.keys };
}
