// Plans: what exactly would be done, stored owner-only with a short expiry; each can be used once (atomic rename).
import { removeEntriesOlderThan } from "../../fs/remove-old-entries";
import { randomBytes } from "node:crypto";
import { lstatSync, renameSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../../fs/atomic-write";
import { actuatorDir, ensureActuatorDir } from "./private-dir";

/** A plan as `unstick plan` returns it and `unstick confirm` carries it out. */
export interface Plan<Target = unknown, Prompt = unknown, Action = unknown> {
  planId: string;
  surface: string;
  backend: "pty" | "hook" | "jxa";
  /** `auto`: made by auto mode; the backend then applies auto mode's narrower allowlist. Default manual. */
  mode?: "manual" | "auto";
  target: Target;
  prompt: Prompt;
  action: Action;
  createdAt: string;
  expiresAt: string;
}

/** Why a plan cannot be used. */
export type PlanRefusal = "plan-expired" | "plan-used" | "unknown-plan";

export type TakenPlan<T extends Plan> = { ok: true; plan: T } | { ok: false; refusal: PlanRefusal; reason: string };

/** How long a plan stays good: long enough to read it and confirm, short enough that the screen is still the same. */
export const PLAN_TTL_MS = 60_000;

export const PLAN_ID = /^[0-9a-f]{32}$/;

export function plansDir(homeDir: string): string {
  return join(actuatorDir(homeDir), "plans");
}

/**
 * How long a plan's files (the plan, its `.used` mark, `.confirmed` and `.result`) are kept: plans expire within a
 * minute, and a day still tells "already used" from "unknown" for anyone who asks again. Without it every plan ever
 * made stayed, and a waiting hook lists the directory every look.
 */
export const PLAN_FILES_KEPT_MS = 24 * 3600_000;

/** Removes plan files older than {@link PLAN_FILES_KEPT_MS}. */
function removeOldPlanFiles(homeDir: string, now: number): void {
  removeEntriesOlderThan(plansDir(homeDir), PLAN_FILES_KEPT_MS, now, (stat) => !stat.isDirectory());
}

/** Stores a new plan and returns it with its id and expiry (removing plan files past their keeping time). */
export function savePlan<T extends Plan>(homeDir: string, draft: Omit<T, "planId" | "createdAt" | "expiresAt">, now: Date = new Date(), ttlMs = PLAN_TTL_MS): T {
  ensureActuatorDir(homeDir);
  removeOldPlanFiles(homeDir, now.getTime());
  const plan = { ...draft, planId: randomBytes(16).toString("hex"), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString() } as T;
  writeFileAtomic(join(plansDir(homeDir), `${plan.planId}.json`), `${JSON.stringify(plan)}\n`, { mode: 0o600, durable: true });
  return plan;
}

/** Reads a plan without using it (to route a confirmation to the right backend); undefined when there is none. */
export function peekPlan<T extends Plan>(homeDir: string, planId: string): T | undefined {
  if (!PLAN_ID.test(planId)) return undefined;
  // Never blocks: a FIFO at the plan's name reads as no plan.
  const plan = readJsonFile(join(plansDir(homeDir), `${planId}.json`));
  return typeof plan === "object" && plan !== null ? (plan as T) : undefined;
}

function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Takes a plan for use: renames it to `.used` first, so of two confirmations racing only one gets it; then checks
 * its expiry (an expired plan is used up too). A hostile id never reaches the file system.
 */
export function takePlan<T extends Plan>(homeDir: string, planId: string, now: number = Date.now()): TakenPlan<T> {
  if (!PLAN_ID.test(planId)) return { ok: false, refusal: "unknown-plan", reason: `${JSON.stringify(planId.slice(0, 80))} is not a plan id` };
  const dir = plansDir(homeDir);
  const fresh = join(dir, `${planId}.json`);
  const used = join(dir, `${planId}.used`);
  try {
    renameSync(fresh, used);
  } catch {
    // Only whether it is there: opening it (a FIFO put there) could block.
    if (present(used)) return { ok: false, refusal: "plan-used", reason: `plan ${planId} was already used` };
    return { ok: false, refusal: "unknown-plan", reason: `there is no plan ${planId}` };
  }
  // Never blocks, and only a regular file of ours within the bound: anything else cannot be read.
  const plan = readJsonFile(used) as T | undefined;
  if (typeof plan !== "object" || plan === null) return { ok: false, refusal: "unknown-plan", reason: `plan ${planId} cannot be read` };
  if (!(Date.parse(plan.expiresAt) > now)) return { ok: false, refusal: "plan-expired", reason: `plan ${planId} expired at ${plan.expiresAt}` };
  return { ok: true, plan };
}
