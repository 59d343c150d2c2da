/**
 * Gathers items submitted by concurrent callers for a short while and sends them together, so a
 * busy service makes few large API calls (Security Hub allows 10 per second) instead of many
 * small ones. Each caller gets back the failures among its own items.
 */
export interface Failed {
  alertId: string;
  reason: string;
}

interface Pending<T> {
  items: T[];
  resolve(failures: Failed[]): void;
}

export class Coalescer<T> {
  private queue: Pending<T>[] = [];
  private queued = 0;
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    /** Sends a group of items; returns the failed ones (by id). Must not throw. */
    private readonly sendGroup: (items: T[]) => Promise<Failed[]>,
    private readonly idOf: (item: T) => string,
    private readonly lingerMs: number,
    /** Flush at once when this many items wait. */
    private readonly flushAt: number,
  ) {}

  submit(items: T[]): Promise<Failed[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.queue.push({ items, resolve });
      this.queued += items.length;
      if (this.queued >= this.flushAt) void this.flush();
      else if (!this.timer) this.timer = setTimeout(() => void this.flush(), this.lingerMs);
    });
  }

  /** Sends everything waiting; resolves when it has been sent (or failed). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.queue;
    this.queue = [];
    this.queued = 0;
    // One group at a time, in submission order.
    this.running = this.running.then(async () => {
      if (group.length === 0) return;
      const items = group.flatMap((p) => p.items);
      let failures: Failed[];
      try {
        failures = await this.sendGroup(items);
      } catch (e) {
        failures = items.map((i) => ({ alertId: this.idOf(i), reason: (e as Error).message }));
      }
      const byId = new Map(failures.map((f) => [f.alertId, f]));
      for (const p of group) p.resolve(p.items.map(this.idOf).filter((id) => byId.has(id)).map((id) => byId.get(id)!));
    });
    return this.running;
  }
}
