import type { Partition, RangeOptions, StateItem, StateStore, StoreMetrics } from "./store";

/**
 * State in this process: for `detector scan` and a connector that runs as a single task.
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
  /** Sorted by sort key. */
  items: StateItem[];
  maxExpiresAt: number;
  /** Length at which expired items are next filtered out. */
  pruneAt: number;
}

/** Calls to `advanceTo` between sweeps of expired groups. */
const SWEEP_EVERY = 1024;

export class MemoryStore implements StateStore {
  private readonly scopes = new Map<string, Map<string, Part>>();
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
    const i = lowerBound(part.items, item.sk);
    if (part.items[i]?.sk === item.sk) return false;
    part.items.splice(i, 0, item);
    this.written(part, item);
    return true;
  }

  async get(p: Partition, sk: string): Promise<StateItem | undefined> {
    const part = this.scopes.get(p.scope)?.get(p.group);
    if (!part) return undefined;
    const found = part.items[lowerBound(part.items, sk)];
    return found?.sk === sk ? found : undefined;
  }

  async putIfVersion(p: Partition, item: StateItem, expected: number | undefined): Promise<boolean> {
    const part = this.writable(p);
    const i = lowerBound(part.items, item.sk);
    const existing = part.items[i]?.sk === item.sk ? part.items[i] : undefined;
    if (existing?.version !== expected) {
      this.counts.conflicts++;
      return false;
    }
    if (existing) part.items[i] = item;
    else part.items.splice(i, 0, item);
    this.written(part, item);
    return true;
  }

  async range(p: Partition, from: string, to: string, options: RangeOptions): Promise<StateItem[]> {
    const items = this.scopes.get(p.scope)?.get(p.group)?.items;
    if (!items) return [];
    const out: StateItem[] = [];
    if (options.descending) {
      for (let i = upperBound(items, to) - 1; i >= 0 && items[i].sk >= from && out.length < options.limit; i--) out.push(items[i]);
    } else {
      for (let i = lowerBound(items, from); i < items.length && items[i].sk <= to && out.length < options.limit; i++) out.push(items[i]);
    }
    return out;
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
    if (part) {
      groups.delete(p.group);
    } else {
      part = { items: [], maxExpiresAt: 0, pruneAt: 64 };
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
    if (part.items.length < part.pruneAt && part.items.length <= this.maxItems) return;
    part.items = part.items.filter((x) => x.expiresAt >= this.watermark);
    if (part.items.length > this.maxItems) {
      // Drop the tenth of the items that expire first, so the cost is paid once in a while.
      const drop = part.items.length - Math.floor(this.maxItems * 0.9);
      const cutoff = part.items.map((x) => x.expiresAt).sort((a, b) => a - b)[drop - 1];
      let dropped = 0;
      part.items = part.items.filter((x) => !(x.expiresAt <= cutoff && dropped++ < drop));
      this.counts.evictedItems += dropped;
    }
    part.pruneAt = Math.max(64, part.items.length * 2);
  }
}

/** Index of the first item whose sort key is >= sk. */
function lowerBound(items: readonly StateItem[], sk: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].sk < sk) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first item whose sort key is > sk. */
function upperBound(items: readonly StateItem[], sk: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].sk <= sk) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
