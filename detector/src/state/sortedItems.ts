import type { StateItem } from "./store";

/**
 * The items of one partition in sort-key order, as a list of small sorted chunks: finding a key
 * is a binary search over chunks then within one, and an insertion moves at most one chunk's
 * items, so a group of tens of thousands of items written out of order stays cheap.
 */

const MAX_CHUNK = 512;

export class SortedItems {
  private chunks: StateItem[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(sk: string): StateItem | undefined {
    const c = this.chunkFor(sk);
    if (c < 0) return undefined;
    const chunk = this.chunks[c];
    const item = chunk[lowerBound(chunk, sk)];
    return item?.sk === sk ? item : undefined;
  }

  /** Adds or replaces the item with its sort key. */
  set(item: StateItem): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.count = 1;
      return;
    }
    let c = this.chunkFor(item.sk);
    if (c < 0) c = this.chunks.length - 1;
    const chunk = this.chunks[c];
    const i = lowerBound(chunk, item.sk);
    if (chunk[i]?.sk === item.sk) {
      chunk[i] = item;
      return;
    }
    chunk.splice(i, 0, item);
    this.count++;
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c, 1, chunk.slice(0, MAX_CHUNK / 2), chunk.slice(MAX_CHUNK / 2));
  }

  /** Items with from <= sk <= to, in order or reversed, at most `limit`. */
  range(from: string, to: string, descending: boolean, limit: number): StateItem[] {
    const out: StateItem[] = [];
    if (this.count === 0 || from > to) return out;
    if (descending) {
      let c = this.chunkFor(to);
      if (c < 0) c = this.chunks.length - 1;
      for (; c >= 0 && out.length < limit; c--) {
        const chunk = this.chunks[c];
        for (let i = upperBound(chunk, to) - 1; i >= 0 && out.length < limit; i--) {
          if (chunk[i].sk < from) return out;
          out.push(chunk[i]);
        }
      }
    } else {
      const first = this.chunkFor(from);
      if (first < 0) return out;
      for (let c = first; c < this.chunks.length && out.length < limit; c++) {
        const chunk = this.chunks[c];
        for (let i = lowerBound(chunk, from); i < chunk.length && out.length < limit; i++) {
          if (chunk[i].sk > to) return out;
          out.push(chunk[i]);
        }
      }
    }
    return out;
  }

  /** Keeps the items `keep` accepts; returns how many were dropped. */
  retain(keep: (item: StateItem) => boolean): number {
    const before = this.count;
    this.chunks = this.chunks.map((chunk) => chunk.filter(keep)).filter((chunk) => chunk.length > 0);
    this.count = this.chunks.reduce((n, chunk) => n + chunk.length, 0);
    return before - this.count;
  }

  values(): StateItem[] {
    return this.chunks.flat();
  }

  /** The first chunk whose last key is >= sk; -1 when sk is past every chunk. */
  private chunkFor(sk: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid];
      if (chunk[chunk.length - 1].sk < sk) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.chunks.length ? lo : -1;
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
