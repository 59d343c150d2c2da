/**
 * Windows are written as a whole number and a unit: `30s`, `10m`, `1h`, `1d`. Nothing else is
 * accepted (no `1.5h`, no `10min`, no bare number), so a window reads the same to everyone.
 */

const UNIT_NS: Record<string, bigint> = {
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

/** The longest window: state is kept for a window plus the lateness allowance. */
export const MAX_WINDOW = "7d";
export const MAX_WINDOW_NS = 7n * UNIT_NS.d;

/** Nanoseconds of a window text, or undefined when the text is not a window. */
export function parseWindow(text: string): bigint | undefined {
  const m = /^([1-9][0-9]{0,6})([smhd])$/.exec(text);
  return m ? BigInt(m[1]) * UNIT_NS[m[2]] : undefined;
}

export const NS_PER_SECOND = UNIT_NS.s;

/**
 * State keeps event times as microseconds since the epoch in plain numbers: exact (they stay far
 * below 2^53 until the year 2255) and fast, where nanoseconds would need BigInt. CloudTrail writes
 * whole seconds.
 */
export const US_PER_SECOND = 1_000_000;

export function micros(ns: bigint): number {
  return Number(ns / 1000n);
}

export function nanos(us: number): bigint {
  return BigInt(us) * 1000n;
}
