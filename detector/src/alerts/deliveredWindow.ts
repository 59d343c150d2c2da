/**
 * Alert ids recently accepted by one sink, so a record seen twice (two trails sharing a bucket,
 * an SQS redelivery) does not alert twice. Bounded both in time (`ttlMs`) and in size
 * (`maxIds`, oldest forgotten first): a forgotten id can alert again, which is the safe side.
 */
export class DeliveredWindow {
  /** Insertion order is acceptance order, so the first entry is always the oldest. */
  private readonly acceptedAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxIds: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(id: string): boolean {
    const at = this.acceptedAt.get(id);
    if (at === undefined) return false;
    if (this.now() - at >= this.ttlMs) {
      this.acceptedAt.delete(id);
      return false;
    }
    return true;
  }

  add(id: string): void {
    this.acceptedAt.delete(id);
    this.acceptedAt.set(id, this.now());
    this.evict();
  }

  get size(): number {
    return this.acceptedAt.size;
  }

  private evict(): void {
    const oldest = this.now() - this.ttlMs;
    for (const [id, at] of this.acceptedAt) {
      if (this.acceptedAt.size <= this.maxIds && at > oldest) break;
      this.acceptedAt.delete(id);
    }
  }
}
