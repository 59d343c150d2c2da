import { SortedItems } from "./sortedItems";
import type { Partition, RangeOptions, StateItem, StateStore, StoreMetrics } from "./store";

/**
 * State in this process: for `s3guard scan` and a connector that runs as a single task.
 *
 * Memory is bounded twice. Per rule kind, at most `maxGroupsPerScope` groups are kept; when a new
 * group would pass the cap, the group written least recently is dropped (and counted), so a
 * high-cardinality `group_by` (one group per object key, say) costs a fixed amount of memory.
 * Per group, at most `maxItemsPerGroup` items are kept, the ones expiring first being dropped.
 * Besides, items whose event-time expiry has passed the latest event time seen are dropped as
 * the store goes, so scanning months of logs keeps only the last windows in memory.
 */

export interface MemoryStoreOptions {
  /** Default 10,000. */
  maxGroupsPerScope?: number;
  /** Default 20,000. */
  maxItemsPerGroup?: number;
}

interface Part {
  items: SortedItems;
  maxExpiresAt: number;
  /** Length at which expired items are next filtered out. */
  pruneAt: number;
}

/** Calls to `advanceTo` between sweeps of expired groups. */
const SWEEP_EVERY = 1024;

export class MemoryStore implements StateStore {
  private readonly scopes = new Map<string, Map<string, Part>>();
  /** The group last written in each scope: already at the recent end, it need not move. */
  private readonly lastWritten = new Map<string, string>();
  private readonly maxGroups: number;
  private readonly maxItems: number;
  private watermark = 0;
  private untilSweep = SWEEP_EVERY;
  private readonly counts: StoreMetrics = { evictedGroups: 0, evictedItems: 0, conflicts: 0 };

  constructor(options: MemoryStoreOptions = {}) {
    this.maxGroups = options.maxGroupsPerScope ?? 10_000;
    this.maxItems = options.maxItemsPerGroup ?? 20_000;
  }

  async putIfAbsent(p: Partition, item: StateItem): Promise<boolean> {
    const part = this.writable(p);
    if (part.items.get(item.sk)) return false;
    part.items.set(item);
    this.written(part, item);
    return true;
  }

  async get(p: Partition, sk: string): Promise<StateItem | undefined> {
    return this.scopes.get(p.scope)?.get(p.group)?.items.get(sk);
  }

  async putIfVersion(p: Partition, item: StateItem, expected: number | undefined): Promise<boolean> {
    const part = this.writable(p);
    if (part.items.get(item.sk)?.version !== expected) {
      this.counts.conflicts++;
      return false;
    }
    part.items.set(item);
    this.written(part, item);
    return true;
  }

  async range(p: Partition, from: string, to: string, options: RangeOptions): Promise<StateItem[]> {
    const items = this.scopes.get(p.scope)?.get(p.group)?.items;
    return items ? items.range(from, to, !!options.descending, options.limit) : [];
  }

  advanceTo(eventTimeSeconds: number): void {
    if (eventTimeSeconds > this.watermark) this.watermark = eventTimeSeconds;
    if (--this.untilSweep > 0) return;
    this.untilSweep = SWEEP_EVERY;
    for (const groups of this.scopes.values()) {
      // Least recently written first: stop at the first group still alive.
      for (const [group, part] of groups) {
        if (part.maxExpiresAt >= this.watermark) break;
        groups.delete(group);
      }
    }
  }

  metrics(): StoreMetrics {
    return { ...this.counts };
  }

  /** Groups held now, over all scopes (for tests and metrics). */
  groupCount(): number {
    let n = 0;
    for (const groups of this.scopes.values()) n += groups.size;
    return n;
  }

  /** The partition for a write, created if needed, and moved to the most recent end of its scope. */
  private writable(p: Partition): Part {
    let groups = this.scopes.get(p.scope);
    if (!groups) this.scopes.set(p.scope, (groups = new Map()));
    let part = groups.get(p.group);
    if (part && this.lastWritten.get(p.scope) === p.group) return part;
    this.lastWritten.set(p.scope, p.group);
    if (part) {
      groups.delete(p.group);
    } else {
      part = { items: new SortedItems(), maxExpiresAt: 0, pruneAt: 64 };
      if (groups.size >= this.maxGroups) this.evictOldest(groups);
    }
    groups.set(p.group, part);
    return part;
  }

  private evictOldest(groups: Map<string, Part>): void {
    const oldest = groups.keys().next();
    if (oldest.done) return;
    groups.delete(oldest.value);
    this.counts.evictedGroups++;
  }

  private written(part: Part, item: StateItem): void {
    if (item.expiresAt > part.maxExpiresAt) part.maxExpiresAt = item.expiresAt;
    if (part.items.size < part.pruneAt && part.items.size <= this.maxItems) return;
    part.items.retain((x) => x.expiresAt >= this.watermark);
    if (part.items.size > this.maxItems) {
      // Drop the tenth of the items that expire first, so the cost is paid once in a while.
      const drop = part.items.size - Math.floor(this.maxItems * 0.9);
      const cutoff = part.items
        .values()
        .map((x) => x.expiresAt)
        .sort((a, b) => a - b)[drop - 1];
      let dropped = 0;
      this.counts.evictedItems += part.items.retain((x) => !(x.expiresAt <= cutoff && dropped++ < drop));
    }
    part.pruneAt = Math.max(64, part.items.size * 2);
  }
}
