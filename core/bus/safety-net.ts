// What catches the changes the platform's directory events missed, at a cost that does not grow with every idle second.
import { readdirSync } from "node:fs";
import { sameNames, stampDir } from "./dir-stamp";
import { classifyBusFileName } from "./paths";
import type { BusReader } from "./reader";

/**
 * Lists names only: reads files never seen (and ones still pending), forgets files gone; files already known are
 * not stat'ed (see {@link RoundRobinVerifier}). When the directory has not changed since the last complete listing
 * (its mtime moves with every file added, removed or renamed in it), not even the listing is made.
 * Returns the files parsed. `now`: the wall clock, compared with the directory's times.
 */
export function rescanNames(reader: BusReader, now: number = Date.now()): number {
  const stamp = stampDir(reader.dir, now);
  if (sameNames(reader.lastListing, stamp)) {
    reader.settlePending();
    return 0;
  }
  let names: string[];
  try {
    names = readdirSync(reader.dir);
  } catch {
    // A missing or unreadable directory is reported by the trust check; keep what we know.
    return 0;
  }
  const seen = new Set<string>();
  let parsed = 0;
  for (const name of names) {
    if (classifyBusFileName(name) !== "envelope") continue;
    seen.add(name);
    if (!reader.knowsSettled(name) && reader.refresh(name)) parsed++;
  }
  // Deleting the entry being visited is safe while iterating a Map.
  for (const name of reader.knownNames()) if (!seen.has(name)) reader.forget(name);
  reader.settlePending();
  reader.lastListing = stamp;
  return parsed;
}

/**
 * Checks known files a few at a time, going round all of them (an lstat each; read again when changed, forgotten
 * when gone): a file rewritten in place, or replaced under its own name, while no event said so. Spread out, so a
 * big bus costs a little every few seconds instead of a burst of 20,000 lstats.
 */
export class RoundRobinVerifier {
  private cursor: Iterator<string> | undefined;

  constructor(private readonly reader: BusReader) {}

  /** Checks the next `count` files; returns the files parsed again. */
  next(count: number): number {
    let parsed = 0;
    for (let i = 0; i < count; i++) {
      this.cursor ??= this.reader.knownNames();
      const step = this.cursor.next();
      if (step.done === true) {
        // One round is done; the next call starts the next round.
        this.cursor = undefined;
        break;
      }
      if (this.reader.refresh(step.value)) parsed++;
    }
    return parsed;
  }
}
