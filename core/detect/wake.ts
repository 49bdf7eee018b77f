// Sleep/wake detection: a jump between the wall clock and the monotonic clock starts a grace period.

/** Wall-clock moves this much more (or less) than the monotonic clock between two ticks: the machine slept. */
export const DEFAULT_JUMP_THRESHOLD_MS = 30_000;

export class WakeDetector {
  private last: { wall: number; mono: number } | undefined;
  private graceUntil = -Infinity;

  constructor(
    private readonly graceMs: number,
    private readonly jumpThresholdMs = DEFAULT_JUMP_THRESHOLD_MS,
  ) {}

  /**
   * Feed both clocks on every tick. The monotonic clock stops while the machine sleeps (Linux
   * CLOCK_MONOTONIC, macOS mach_absolute_time), the wall clock does not; a big difference is a wake,
   * or a wall-clock step, and either way every heartbeat age is suddenly wrong.
   */
  observe(wallMs: number, monoMs: number): boolean {
    const previous = this.last;
    this.last = { wall: wallMs, mono: monoMs };
    if (previous === undefined) return false;
    const drift = wallMs - previous.wall - (monoMs - previous.mono);
    if (Math.abs(drift) < this.jumpThresholdMs) return false;
    this.noteWake(wallMs);
    return true;
  }

  /** Called when the platform reports a wake directly (Electron's powerMonitor). */
  noteWake(wallMs: number): void {
    this.graceUntil = wallMs + this.graceMs;
  }

  inGrace(wallMs: number): boolean {
    return wallMs < this.graceUntil;
  }

  /** End of the current grace period, if one is running. */
  graceEndsAt(wallMs: number): number | undefined {
    return this.inGrace(wallMs) ? this.graceUntil : undefined;
  }
}
