/**
 * The arithmetic of sliding windows over event time, kept pure so it can be tested on its own.
 *
 * For a group, let C(τ) be the number of matches (or of distinct values) whose event time lies in
 * the window (τ - W, τ]: matches count together when they are less than W apart. The threshold is
 * reached wherever C(τ) >= count. Adding a match never lowers C anywhere, so the set of times where
 * the threshold is reached only grows as records arrive, in whatever order: it is the same for
 * every arrival order. A match at time t changes C only on [t, t + W), which is all this module
 * computes for it.
 */

export interface Point {
  t: bigint;
  /** What is counted: the event's key, or the value of the `distinct` field. */
  v: string;
  /** The event's key, for samples. */
  id: string;
}

/** A half-open interval of event time, [s, f). */
export interface Span {
  s: bigint;
  f: bigint;
}

/**
 * The parts of [from, from + W) where C >= count, as disjoint spans in time order. `points` must be
 * sorted by time and hold every match of the group within W of the interval (the caller may pass
 * fewer: the result then only shrinks, never grows).
 */
export function thresholdSpans(points: readonly Point[], windowNs: bigint, count: number, from: bigint): Span[] {
  const end = from + windowNs;
  // C is constant between these instants: the interval's start, arrivals, and departures.
  const instants = new Set<bigint>([from]);
  for (const p of points) {
    if (p.t > from && p.t < end) instants.add(p.t);
    const leave = p.t + windowNs;
    if (leave > from && leave < end) instants.add(leave);
  }
  const sorted = [...instants].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const spans: Span[] = [];
  const inWindow = new Map<string, number>();
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < sorted.length; k++) {
    const tau = sorted[k];
    for (; hi < points.length && points[hi].t <= tau; hi++) inWindow.set(points[hi].v, (inWindow.get(points[hi].v) ?? 0) + 1);
    while (lo < hi && points[lo].t <= tau - windowNs) {
      const left = (inWindow.get(points[lo].v) as number) - 1;
      if (left === 0) inWindow.delete(points[lo].v);
      else inWindow.set(points[lo].v, left);
      lo++;
    }
    if (inWindow.size < count) continue;
    const f = k + 1 < sorted.length ? sorted[k + 1] : end;
    const last = spans[spans.length - 1];
    if (last && last.f === tau) last.f = f;
    else spans.push({ s: tau, f });
  }
  return spans;
}

/** What an alert says about the window that ends at `at`: (at - W, at]. */
export interface WindowSummary {
  count: number;
  first: bigint;
  last: bigint;
  sampleIds: string[];
}

/** Most event ids an alert carries as a sample. */
export const SAMPLE_SIZE = 5;

export function windowSummary(points: readonly Point[], windowNs: bigint, at: bigint): WindowSummary {
  const inside = points.filter((p) => p.t <= at && p.t > at - windowNs);
  const values = new Set(inside.map((p) => p.v));
  return {
    count: values.size,
    first: inside.length ? inside[0].t : at,
    last: inside.length ? inside[inside.length - 1].t : at,
    sampleIds: inside.slice(0, SAMPLE_SIZE).map((p) => p.id),
  };
}

/** Do two spans overlap or touch? (Touching spans are one stretch where the threshold holds.) */
export function meets(a: Span, b: Span): boolean {
  return a.s <= b.f && b.s <= a.f;
}
