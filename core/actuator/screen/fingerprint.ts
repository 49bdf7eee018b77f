// A prompt's identity for "is this still the prompt the plan was made for": what it asks, about what, with which options.
import type { ScreenReading } from "./types";

/** Equal fingerprints mean the same question about the same subject with the same options in the same order. */
export function promptFingerprint(reading: ScreenReading): string {
  if (reading.kind !== "permission" && reading.kind !== "other-dialog") return `${reading.kind}`;
  const subject = reading.kind === "permission" ? [reading.tool, reading.title, reading.subject] : [];
  return JSON.stringify([reading.kind, ...subject, reading.question, reading.options.map((o) => [o.label, o.number])]);
}
