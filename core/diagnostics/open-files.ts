// How many files this process has open, from /proc/self/fd (Linux); null where there is no /proc (macOS).
import { readdirSync } from "node:fs";

/** Entries in /proc/self/fd (the directory's own descriptor, open while it is read, included); null without /proc. */
export function openFileCount(): number | null {
  try {
    return readdirSync("/proc/self/fd").length;
  } catch {
    return null;
  }
}
