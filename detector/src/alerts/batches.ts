/** Limits of one request of a batch API. */
export interface BatchLimits<T> {
  maxItems: number;
  maxBytes: number;
  /** Bytes an item costs in the request, overhead included. */
  sizeOf(item: T): number;
  /** Optional extra rule: false when `item` cannot join a batch that starts with `first`. */
  fits?(first: T, item: T): boolean;
}

/**
 * Splits items, in order, into the fewest consecutive batches within the limits. An item larger
 * than `maxBytes` on its own is a caller's bug (it must be shrunk first) and throws.
 */
export function splitIntoBatches<T>(items: readonly T[], limits: BatchLimits<T>): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = limits.sizeOf(item);
    if (size > limits.maxBytes) throw new Error(`an item of ${size} bytes exceeds the batch limit of ${limits.maxBytes} bytes`);
    const full = current.length >= limits.maxItems || bytes + size > limits.maxBytes || (current.length > 0 && limits.fits && !limits.fits(current[0], item));
    if (full && current.length) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let out = Buffer.from(text, "utf8").subarray(0, maxBytes).toString("utf8");
  // A cut inside a multi-byte character decodes as U+FFFD: drop it.
  while (out.endsWith("\uFFFD") || utf8Bytes(out) > maxBytes) out = out.slice(0, -1);
  return out;
}
