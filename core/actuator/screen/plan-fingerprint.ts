// A plan's identity for "is this exactly what the person confirmed": the whole prompt, where it would run, and the target.
import { createHash } from "node:crypto";
import type { ScreenReading } from "./types";

/** Where a plan's answer would take effect: the command's working directory and the backend's target. */
export interface PlanScope {
  /** The directory the command would run in (the projectDir the policy judged it against; null where unknown). */
  cwd: string | null;
  /** The backend's target, from one of the helpers below: the hosted session, the waiting hook's request, the window. */
  target: string;
}

export const ptyTarget = (sessionId: string) => JSON.stringify(["pty", sessionId]);
export const hookTarget = (requestId: string) => JSON.stringify(["hook", requestId]);

/**
 * Equal fingerprints mean the same prompt, to the last character of its command and description (invisible ones
 * included: nothing is normalised), with the same options, running in the same directory, through the same target.
 * promptFingerprint (fingerprint.ts) stays the cheaper "did the screen change"; plans are made and checked with this.
 * Hashed, so that a plan file does not hold the command twice.
 */
export function planFingerprint(reading: ScreenReading, scope: PlanScope): string {
  const prompt =
    reading.kind === "permission"
      ? [reading.kind, reading.tool, reading.title, reading.subject, reading.description, reading.question, reading.options.map((o) => [o.label, o.number, o.meaning])]
      : reading.kind === "other-dialog"
        ? [reading.kind, reading.question, reading.options.map((o) => [o.label, o.number, o.meaning])]
        : [reading.kind];
  return createHash("sha256").update(JSON.stringify(["plan-v1", prompt, scope.cwd, scope.target])).digest("hex");
}
