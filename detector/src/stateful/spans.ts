/**
 * The arithmetic of sliding windows over event time, kept pure so it can be tested on its own.
 *
 * For a group, let C(τ) be the number of matches (or of distinct values) whose event time lies in
 * the window (τ - W, τ]: matches count together when they are less than W apart. The threshold is
 * reached wherever C(τ) >= count. Adding a match never lowers C anywhere, so the set of times where
 * the threshold is reached only grows as records arrive, in whatever order: it is the same for
 * every arrival order. A match at time t changes C only on [t, t + W), which is all this module
 * computes for it.
 *
 * Times here are numbers of nanoseconds from a base the caller picks near the match (event times
 * themselves pass 2^53, offsets within a few windows do not): arithmetic on them is exact and fast.
 */

export interface Point {
  t: number;
  /** What is counted: the event's key, or the value of the `distinct` field. */
  v: string;
  /** The event's key, for samples. */
  id: string;
}

/** A half-open interval of event time, [s, f). */
export interface Span {
  s: number;
  f: number;
}

/**
 * The parts of [from, from + W) where C >= count, as disjoint spans in time order. `points` must be
 * sorted by time and hold every match of the group within W of the interval (the caller may pass
 * fewer: the result then only shrinks, never grows). `distinct: false` says every point has a value
 * of its own (counting matches), which is faster to count.
 */
export function thresholdSpans(points: readonly Point[], windowNs: number, count: number, from: number, distinct = true): Span[] {
  const end = from + windowNs;
  const instants = changeInstants(points, windowNs, from, end);
  // Counting values, repeated values count once; counting matches (each point its own value), no map is needed.
  const inWindow = new Map<string, number>();
  const spans: Span[] = [];
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < instants.length; k++) {
    const tau = instants[k];
    for (; hi < points.length && points[hi].t <= tau; hi++) if (distinct) inWindow.set(points[hi].v, (inWindow.get(points[hi].v) ?? 0) + 1);
    for (; lo < hi && points[lo].t <= tau - windowNs; lo++) {
      if (!distinct) continue;
      const left = (inWindow.get(points[lo].v) as number) - 1;
      if (left === 0) inWindow.delete(points[lo].v);
      else inWindow.set(points[lo].v, left);
    }
    if ((distinct ? inWindow.size : hi - lo) < count) continue;
    const f = k + 1 < instants.length ? instants[k + 1] : end;
    const last = spans[spans.length - 1];
    if (last && last.f === tau) last.f = f;
    else spans.push({ s: tau, f });
  }
  return spans;
}

/**
 * The instants in [from, end) where C may change, in order: `from`, arrivals and departures
 * (a point leaves the window W after it arrived). Both lists are sorted already: merged, not sorted.
 */
function changeInstants(points: readonly Point[], windowNs: number, from: number, end: number): number[] {
  const out = [from];
  let a = 0;
  let d = 0;
  while (a < points.length || d < points.length) {
    const arrival = a < points.length ? points[a].t : Infinity;
    const departure = d < points.length ? points[d].t + windowNs : Infinity;
    const next = arrival <= departure ? (a++, arrival) : (d++, departure);
    if (next > out[out.length - 1] && next < end) out.push(next);
  }
  return out;
}

/** What an alert says about the window that ends at `at`: (at - W, at]. */
export interface WindowSummary {
  count: number;
  first: number;
  last: number;
  sampleIds: string[];
}

/** Most event ids an alert carries as a sample. */
export const SAMPLE_SIZE = 5;

export function windowSummary(points: readonly Point[], windowNs: number, at: number): WindowSummary {
  const inside = points.filter((p) => p.t <= at && p.t > at - windowNs);
  const values = new Set(inside.map((p) => p.v));
  return {
    count: values.size,
    first: inside.length ? inside[0].t : at,
    last: inside.length ? inside[inside.length - 1].t : at,
    sampleIds: inside.slice(0, SAMPLE_SIZE).map((p) => p.id),
  };
}
