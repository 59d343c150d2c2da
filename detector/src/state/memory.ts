import { getHeapStatistics } from "node:v8";
import { newStoreMetrics, type DocKey, type DocMeta, type EvictionReport, type SaveRequest, type StateDoc, type StateStore, type StoreMetrics } from "./store";

/**
 * State in this process: for `s3guard scan` and a connector that runs as a single task.
 *
 * Memory is bounded by a budget in bytes, not by a count of groups. Documents no record can need
 * any more (their event-time horizon has passed the latest event time seen) go first, as the
 * store goes. When live documents still pass the budget, the ones whose loss costs least go:
 * idle groups far from their threshold before groups close to it, or inside an episode, or with a
 * sequence step waiting; among equals, the least recently active. Each live document dropped is a
 * window lost: counted, and reported through `onEvicted` (the connector raises an alert), never
 * silent.
 */

export interface MemoryStoreOptions {
  /** Memory for state, in bytes. Default: S3GUARD_STATE_MEMORY_MB, else a quarter of the heap limit. */
  budgetBytes?: number;
}

interface Entry {
  doc: StateDoc;
  meta: DocMeta;
  /** When the group was last saved, in saves: eviction among equals takes the least recent first. */
  active: number;
}

/** Saves between sweeps of expired documents. */
const SWEEP_EVERY = 4096;

/** The default budget: S3GUARD_STATE_MEMORY_MB, or a quarter of the heap this process may use. */
export function defaultStateBudget(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.S3GUARD_STATE_MEMORY_MB);
  if (Number.isFinite(mb) && mb > 0) return mb * 1024 * 1024;
  return Math.floor(getHeapStatistics().heap_size_limit / 4);
}

export class MemoryStore implements StateStore {
  /**
   * Documents by scope, then group: the group key is the very string the batch grouped matches by,
   * whose hash is already known, where a key made of both would be new text to hash at each look.
   */
  private readonly docs = new Map<string, Map<string, Entry>>();
  private size = 0;
  private saves = 0;
  private readonly budget: number;
  private bytes = 0;
  private watermark = 0;
  private untilSweep = SWEEP_EVERY;
  private readonly counts = newStoreMetrics();
  onEvicted?: (evicted: EvictionReport) => void;

  constructor(options: MemoryStoreOptions = {}) {
    this.budget = options.budgetBytes ?? defaultStateBudget();
  }

  async load(): Promise<void> {
    // Everything is here already.
  }

  get(key: DocKey): StateDoc | undefined {
    return this.docs.get(key.scope)?.get(key.group)?.doc;
  }

  async save(docs: readonly SaveRequest[]): Promise<DocKey[]> {
    for (const { key, doc, meta } of docs) {
      let scope = this.docs.get(key.scope);
      if (!scope) this.docs.set(key.scope, (scope = new Map()));
      const entry = scope.get(key.group);
      const active = ++this.saves;
      if (entry) {
        this.bytes += meta.bytes - entry.meta.bytes;
        entry.doc = doc;
        entry.meta = meta;
        entry.active = active;
      } else {
        this.bytes += meta.bytes;
        this.size++;
        scope.set(key.group, { doc, meta, active });
      }
    }
    if (--this.untilSweep <= 0) this.sweep();
    if (this.bytes > this.budget) {
      this.sweep();
      if (this.bytes > this.budget) this.evict();
    }
    return [];
  }

  async records(key: DocKey, ids: readonly string[]): Promise<Map<string, string>> {
    const recs = this.get(key)?.recs ?? {};
    const out = new Map<string, string>();
    for (const id of ids) if (recs[id] !== undefined) out.set(id, recs[id]);
    return out;
  }

  advanceTo(eventTimeUs: number): void {
    if (eventTimeUs > this.watermark) this.watermark = eventTimeUs;
  }

  metrics(): StoreMetrics {
    return { ...this.counts, groups: this.size, bytes: this.bytes };
  }

  private remove(scope: string, group: string, entry: Entry): void {
    const groups = this.docs.get(scope)!;
    groups.delete(group);
    if (groups.size === 0) this.docs.delete(scope);
    this.size--;
    this.bytes -= entry.meta.bytes;
  }

  /** Drops the documents whose horizon has passed. */
  private sweep(): void {
    this.untilSweep = SWEEP_EVERY;
    for (const [scope, groups] of this.docs) {
      for (const [group, e] of groups) {
        if (e.meta.expiresAt >= this.watermark) continue;
        this.remove(scope, group, e);
        this.counts.expired++;
      }
    }
  }

  /** Drops live documents, least costly first (the least recently active among equals), down to nine tenths of the budget. */
  private evict(): void {
    const target = this.budget * 0.9;
    const order: { scope: string; group: string; e: Entry }[] = [];
    for (const [scope, groups] of this.docs) for (const [group, e] of groups) order.push({ scope, group, e });
    order.sort((a, b) => a.e.meta.keep - b.e.meta.keep || a.e.active - b.e.active);
    const byScope = new Map<string, number>();
    for (const { scope, group, e } of order) {
      if (this.bytes <= target) break;
      this.remove(scope, group, e);
      this.counts.evictedLive++;
      byScope.set(scope, (byScope.get(scope) ?? 0) + 1);
    }
    if (byScope.size) this.onEvicted?.({ byScope, budget: this.budget });
  }
}
