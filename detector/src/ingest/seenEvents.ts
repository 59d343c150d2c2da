/**
 * Which CloudTrail events were already evaluated, so that one event delivered twice (two trails
 * recording the same call, a log file delivered twice, an overlapping download) is evaluated
 * once. An event is its `eventID`; records without one are always evaluated.
 *
 * Memory is bounded: the last `maxIds` events are remembered (the oldest is forgotten first), as
 * 64-bit hashes in typed arrays, 16 bytes per event: 16 MB for the default million. Two different
 * event ids share a hash with odds of about one in 2^64 per pair, less than one in ten million
 * for a whole million-event window.
 */

export const DEFAULT_MAX_SEEN_EVENTS = 1_000_000;
const INITIAL_CAPACITY = 1024;

/** The identity that de-duplication uses: a non-empty string `eventID`. */
export function eventIdOf(record: unknown): string | undefined {
  if (record === null || typeof record !== "object") return undefined;
  const id = (record as Record<string, unknown>).eventID;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Two independent 32-bit hashes of a string (FNV-1a, and a multiply-xorshift with a final mix). */
function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b ^= b >>> 16;
  return [a >>> 0, b >>> 0];
}

export interface SeenEventsCounts {
  /** Events remembered now. */
  remembered: number;
  /** Events forgotten to stay within the bound. */
  forgotten: number;
}

/**
 * A bounded set of event ids. `add` says whether an id is new; `has` only looks. An insertion-
 * ordered ring holds the hashes (for forgetting the oldest), an open-addressing table with linear
 * probing indexes the ring (for lookups); both grow by doubling up to the bound.
 */
export class SeenEvents {
  private ringHi: Uint32Array;
  private ringLo: Uint32Array;
  /** Ring position + 1 of the hash in each slot; 0 is an empty slot. */
  private table: Int32Array;
  private mask: number;
  /** Next ring position to write; the ring is full once `count` reaches its length. */
  private head = 0;
  private count = 0;
  private forgottenCount = 0;

  constructor(readonly maxIds: number = DEFAULT_MAX_SEEN_EVENTS) {
    if (!Number.isInteger(maxIds) || maxIds < 1) throw new RangeError(`maxIds must be a whole number of at least 1, not ${maxIds}`);
    const ring = Math.min(maxIds, INITIAL_CAPACITY);
    this.ringHi = new Uint32Array(ring);
    this.ringLo = new Uint32Array(ring);
    this.table = new Int32Array(tableSizeFor(ring));
    this.mask = this.table.length - 1;
  }

  /** Whether the id was seen (and not yet forgotten). */
  has(id: string): boolean {
    const [hi, lo] = hash64(id);
    return this.find(hi, lo) >= 0;
  }

  /** Remembers the id; false when it was already remembered (the event is a repeat). */
  add(id: string): boolean {
    const [hi, lo] = hash64(id);
    if (this.find(hi, lo) >= 0) return false;
    if (this.count === this.ringHi.length) {
      if (this.ringHi.length < this.maxIds) this.grow();
      else this.forgetOldest();
    }
    const pos = this.head;
    this.ringHi[pos] = hi;
    this.ringLo[pos] = lo;
    this.head = (pos + 1) % this.ringHi.length;
    this.count++;
    this.place(lo, pos);
    return true;
  }

  counts(): SeenEventsCounts {
    return { remembered: this.count, forgotten: this.forgottenCount };
  }

  /** Table slot holding the hash, or -1. */
  private find(hi: number, lo: number): number {
    for (let slot = lo & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.table[slot];
      if (entry === 0) return -1;
      if (this.ringHi[entry - 1] === hi && this.ringLo[entry - 1] === lo) return slot;
    }
  }

  /** Slots come from the well-mixed half of the hash (`lo`), so similar ids spread out. */
  private place(lo: number, pos: number): void {
    let slot = lo & this.mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    this.table[slot] = pos + 1;
  }

  private forgetOldest(): void {
    const oldest = (this.head - this.count + this.ringHi.length) % this.ringHi.length;
    this.removeSlot(this.find(this.ringHi[oldest], this.ringLo[oldest]));
    this.count--;
    this.forgottenCount++;
  }

  /** Deletes a slot and moves later entries of its probe run back, so lookups never stop early. */
  private removeSlot(slot: number): void {
    let hole = slot;
    for (let next = (hole + 1) & this.mask; this.table[next] !== 0; next = (next + 1) & this.mask) {
      const home = this.ringLo[this.table[next] - 1] & this.mask;
      // Move the entry into the hole unless its home lies cyclically in (hole, next].
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (!stays) {
        this.table[hole] = this.table[next];
        hole = next;
      }
    }
    this.table[hole] = 0;
  }

  /** Doubles the ring (up to the bound) and rebuilds the table; the ring is full and in order from `head`. */
  private grow(): void {
    const size = Math.min(this.ringHi.length * 2, this.maxIds);
    const hi = new Uint32Array(size);
    const lo = new Uint32Array(size);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.ringHi.length;
      hi[i] = this.ringHi[from];
      lo[i] = this.ringLo[from];
    }
    this.ringHi = hi;
    this.ringLo = lo;
    this.head = this.count;
    this.table = new Int32Array(tableSizeFor(size));
    this.mask = this.table.length - 1;
    for (let i = 0; i < this.count; i++) this.place(lo[i], i);
  }
}

/** A power of two at least twice the ring, so probe runs stay short. */
function tableSizeFor(ring: number): number {
  let size = 2;
  while (size < ring * 2) size *= 2;
  return size;
}
