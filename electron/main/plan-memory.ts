// Plans this app made, by id, so a confirmation dialog can name exactly what a plan will do; each is taken once.

/** A small bounded map: the oldest plan is forgotten first (plans expire within minutes anyway). */
export class PlanMemory<T> {
  private readonly plans = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  remember(id: string, plan: T): void {
    this.plans.delete(id);
    this.plans.set(id, plan);
    while (this.plans.size > this.capacity) {
      const oldest = this.plans.keys().next().value;
      if (oldest === undefined) break;
      this.plans.delete(oldest);
    }
  }

  /** The plan, removed: a confirmation is asked once per plan. */
  take(id: string): T | undefined {
    const plan = this.plans.get(id);
    this.plans.delete(id);
    return plan;
  }
}
