// Small statistics helpers shared by the benchmarks: median, percentiles (nearest rank), rounding.

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank - 1, 0), sorted.length - 1)] as number;
}

/** The median (mean of the two middle values for an even count); NaN for no samples. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rounds to `digits` decimals (for readable JSON). */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** min, median, p99 and max of a sample set, rounded. */
export function summarize(samples: readonly number[], digits = 3): { n: number; min: number; p50: number; p99: number; max: number } {
  return {
    n: samples.length,
    min: round(Math.min(...samples), digits),
    p50: round(median(samples), digits),
    p99: round(percentile(samples, 99), digits),
    max: round(Math.max(...samples), digits),
  };
}

/** A positive integer setting from the environment (benchmark sizes), else `fallback`. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name}=${raw} is not a positive integer`);
  return n;
}
