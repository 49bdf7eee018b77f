// CPU time and resident memory of another process, read from /proc (Linux); null where /proc is not there.
import { existsSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far, or null. */
export function cpuSeconds(pid: number): number | null {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return null;
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const text = readFileSync(file, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size in MB, or null. */
export function rssMb(pid: number): number | null {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return null;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(file, "utf8"));
  return match === null ? null : Number(match[1]) / 1024;
}

/** Measures `pid` over `seconds` while `during` runs: CPU share of one core (%) and the largest RSS seen (MB). */
export async function measure(pid: number, seconds: number, during: () => void = () => undefined): Promise<{ cpuPercent: number | null; rssMbMax: number | null; rssMbEnd: number | null; seconds: number }> {
  const startCpu = cpuSeconds(pid);
  const started = performance.now();
  let rssMax = rssMb(pid);
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    during();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rss = rssMb(pid);
    if (rss !== null) rssMax = Math.max(rssMax ?? 0, rss);
  }
  const elapsed = (performance.now() - started) / 1000;
  const endCpu = cpuSeconds(pid);
  const cpuPercent = startCpu === null || endCpu === null ? null : ((endCpu - startCpu) / elapsed) * 100;
  return { cpuPercent, rssMbMax: rssMax, rssMbEnd: rssMb(pid), seconds: elapsed };
}
