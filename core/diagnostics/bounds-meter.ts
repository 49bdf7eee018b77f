// High-water marks of the process's bounded resources (stream queues, bytes read from growable files), for the soak test and `serve`'s diagnostics.

export interface BoundReading {
  /** The most ever seen at once (queue bytes, bytes read by one read). */
  highWater: number;
  /** The bound the code promises never to pass. */
  bound: number;
  /** How many times the bound made the code drop, coalesce or cut something. */
  limited: number;
}

/**
 * One meter per process: each bounded place records what it held or read against its bound, so a test or
 * `otto-tray serve`'s diagnostics can check the bound itself instead of timings. Keys are a fixed set of names.
 */
export class BoundsMeter {
  private readonly readings = new Map<string, BoundReading>();

  /** Records that `name` held or read `amount` now, under `bound`. */
  observe(name: string, amount: number, bound: number): void {
    const reading = this.readings.get(name) ?? { highWater: 0, bound, limited: 0 };
    reading.highWater = Math.max(reading.highWater, amount);
    reading.bound = bound;
    this.readings.set(name, reading);
  }

  /** Records that the bound of `name` dropped, coalesced or cut something. */
  limitedOnce(name: string, bound: number): void {
    const reading = this.readings.get(name) ?? { highWater: 0, bound, limited: 0 };
    reading.limited += 1;
    this.readings.set(name, reading);
  }

  /** Every reading, by name. */
  snapshot(): Record<string, BoundReading> {
    return Object.fromEntries([...this.readings].map(([name, r]) => [name, { ...r }]));
  }
}

/** The process's meter. */
export const boundsMeter = new BoundsMeter();
