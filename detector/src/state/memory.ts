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
  scope: string;
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
  private readonly docs = new Map<string, Entry>();
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
    return this.docs.get(keyText(key))?.doc;
  }

  async save(docs: readonly SaveRequest[]): Promise<DocKey[]> {
    for (const { key, doc, meta } of docs) {
      const k = keyText(key);
      const entry = this.docs.get(k);
      if (entry) {
        this.bytes += meta.bytes - entry.meta.bytes;
        entry.doc = doc;
        entry.meta = meta;
        // Most recently active last: eviction among equals starts at the front.
        this.docs.delete(k);
        this.docs.set(k, entry);
      } else {
        this.bytes += meta.bytes;
        this.docs.set(k, { doc, meta, scope: key.scope });
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
    const recs = this.docs.get(keyText(key))?.doc.recs ?? {};
    const out = new Map<string, string>();
    for (const id of ids) if (recs[id] !== undefined) out.set(id, recs[id]);
    return out;
  }

  advanceTo(eventTimeUs: number): void {
    if (eventTimeUs > this.watermark) this.watermark = eventTimeUs;
  }

  metrics(): StoreMetrics {
    return { ...this.counts, groups: this.docs.size, bytes: this.bytes };
  }

  /** Drops the documents whose horizon has passed. */
  private sweep(): void {
    this.untilSweep = SWEEP_EVERY;
    for (const [k, e] of this.docs) {
      if (e.meta.expiresAt >= this.watermark) continue;
      this.docs.delete(k);
      this.bytes -= e.meta.bytes;
      this.counts.expired++;
    }
  }

  /** Drops live documents, least costly first, down to nine tenths of the budget. */
  private evict(): void {
    const target = this.budget * 0.9;
    // Insertion order is activity order: a stable sort by `keep` keeps the least active first among equals.
    const order = [...this.docs].sort((a, b) => a[1].meta.keep - b[1].meta.keep);
    const byScope = new Map<string, number>();
    for (const [k, e] of order) {
      if (this.bytes <= target) break;
      this.docs.delete(k);
      this.bytes -= e.meta.bytes;
      this.counts.evictedLive++;
      byScope.set(e.scope, (byScope.get(e.scope) ?? 0) + 1);
    }
    if (byScope.size) this.onEvicted?.({ byScope, budget: this.budget });
  }
}

function keyText(key: DocKey): string {
  return `${key.scope}\0${key.group}`;
}
