// Hands a confirmed plan to a backend that runs in another process (the PermissionRequest hook) and its result
// back: a `.confirmed` marker the backend looks for, and a `.result` file it writes when done. Owner-only files.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../../fs/atomic-write";
import { PLAN_ID, plansDir } from "./plans";

/** Marks `planId` confirmed for `requestId` (the backend still takes the plan and checks everything itself). */
export function markConfirmed(homeDir: string, planId: string, requestId: string): void {
  writeFileAtomic(join(plansDir(homeDir), `${planId}.confirmed`), `${JSON.stringify({ requestId })}\n`, { mode: 0o600 });
}

/** The confirmed plan ids waiting for `requestId`. */
export function confirmedFor(homeDir: string, requestId: string): string[] {
  let names: string[];
  try {
    names = readdirSync(plansDir(homeDir));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".confirmed") && PLAN_ID.test(n.slice(0, -".confirmed".length)))
    .filter((n) => {
      try {
        return (readJsonFile(join(plansDir(homeDir), n)) as { requestId?: unknown } | undefined)?.requestId === requestId;
      } catch {
        return false;
      }
    })
    .map((n) => n.slice(0, -".confirmed".length));
}

export function writePlanResult(homeDir: string, planId: string, result: unknown): void {
  writeFileAtomic(join(plansDir(homeDir), `${planId}.result`), `${JSON.stringify(result)}\n`, { mode: 0o600 });
}

export function readPlanResult(homeDir: string, planId: string): unknown {
  return PLAN_ID.test(planId) ? readJsonFile(join(plansDir(homeDir), `${planId}.result`)) : undefined;
}
