import fc from "fast-check";
import { thresholdSpans, windowSummary, type Point } from "../../../detector/src/stateful/spans";
import { compactThreshold, foldThreshold, newThresholdDoc } from "../../../detector/src/stateful/thresholdState";
import { alertsOf, s3, statefulRule, statefulRules } from "../../support/stateful";

/** The sliding-window arithmetic, against its definition: C(τ) = matches in (τ - W, τ]. */

const S = 1e9;
const points = (seconds: number[], values?: string[]): Point[] =>
  [...seconds].sort((a, b) => a - b).map((t, i) => ({ t: t * S, v: values?.[i] ?? `e${i}`, id: `e${i}` }));

/** Seconds τ in [from, from + W) where the count is reached, by brute force on whole seconds. */
function bruteForce(seconds: number[], window: number, count: number, from: number, values?: string[]): number[] {
  const out: number[] = [];
  for (let tau = from; tau < from + window; tau++) {
    const inside = seconds.map((t, i) => [t, values?.[i] ?? `e${i}`] as const).filter(([t]) => t > tau - window && t <= tau);
    if (new Set(inside.map(([, v]) => v)).size >= count) out.push(tau);
  }
  return out;
}

const covered = (spans: { s: number; f: number }[]) => spans.flatMap(({ s, f }) => Array.from({ length: (f - s) / S }, (_, i) => s / S + i));

describe("threshold spans", () => {
  it("are the instants where the window ending there holds the count", () => {
    expect(thresholdSpans(points([0, 10, 20]), 60 * S, 3, 20 * S)).toEqual([{ s: 20 * S, f: 60 * S }]);
    expect(thresholdSpans(points([0, 10, 60]), 60 * S, 3, 60 * S)).toEqual([]);
  });

  it("match the definition for any matches, window, count and distinct values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        (seconds, window, count, distinct) => {
          const sorted = [...seconds].sort((a, b) => a - b);
          const values = distinct ? sorted.map((t) => `v${t % 4}`) : undefined;
          for (const from of sorted) {
            const spans = thresholdSpans(points(sorted, values), window * S, count, from * S);
            expect(covered(spans)).toEqual(bruteForce(sorted, window, count, from, values));
          }
        },
      ),
    );
  });

  it("summarize the window that reached the count", () => {
    expect(windowSummary(points([0, 5, 10, 70]), 60 * S, 10 * S)).toEqual({ count: 3, first: 0, last: 10 * S, sampleIds: ["e0", "e1", "e2"] });
  });
});

describe("threshold alerts, whatever the arrival order", () => {
  const reached = (seconds: number[], window: number, count: number) => seconds.some((t) => seconds.filter((u) => u > t - window && u <= t).length >= count);
  /** Maximal stretches of event time where the count holds: the alerts of an in-order arrival. */
  const stretches = (seconds: number[], window: number, count: number) => {
    let n = 0;
    let inside = false;
    for (let tau = 0; tau < 400; tau++) {
      const now = seconds.filter((u) => u > tau - window && u <= tau).length >= count;
      if (now && !inside) n++;
      inside = now;
    }
    return n;
  };

  it("alert iff some window holds the count; once per stretch in order, and as often with every record twice", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 5, max: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        async (seconds, window, count, seed) => {
          const rules = [statefulRule("T", "ct.name = DeleteObject", { threshold: { count, window: `${window}s` } })];
          const records = [...seconds].sort((a, b) => a - b).map((at) => s3({ at }));
          const inOrder = await alertsOf(statefulRules(rules), records);
          expect(inOrder.length).toBe(stretches(seconds, window, count));
          const twice = records.flatMap((r) => [r, r]);
          expect((await alertsOf(statefulRules(rules), twice)).length).toBe(inOrder.length);
          const shuffled = records.map((r, i) => [r, (i * 7919 + seed) % 1009] as const).sort((a, b) => a[1] - b[1]).map(([r]) => r);
          const anyOrder = await alertsOf(statefulRules(rules), shuffled);
          expect(anyOrder.length > 0).toBe(reached(seconds, window, count));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("a threshold group's state, folded one arrival at a time in any order", () => {
  /** Seconds in [0, 400) where the window ending there holds `count` matches (or values). */
  const truth = (pts: { t: number; v: string }[], window: number, count: number) => {
    const out: number[] = [];
    for (let tau = 0; tau < 400; tau++) if (new Set(pts.filter((p) => p.t > tau - window && p.t <= tau).map((p) => p.v)).size >= count) out.push(tau);
    return out;
  };

  it("holds episodes that are exactly the stretches where the count is reached, with repeats, any order, distinct or not", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 300 }), v: fc.constantFrom("a", "b", "c", "d", "e", "f") }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 5, max: 80 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer(),
        (raw, window, count, distinct, repeats, seed) => {
          const pts = raw.map((p, i) => ({ t: p.t, id: `e${i}`, v: distinct ? p.v : `e${i}` }));
          const order = pts.map((p, i) => [p, (i * 7919 + seed) % 1009] as const).sort((a, b) => a[1] - b[1]).map(([p]) => p);
          for (const r of repeats) order.splice(r % (order.length + 1), 0, pts[r % pts.length]);
          const doc = newThresholdDoc();
          let crossings = 0;
          const P = { count, windowUs: window, distinct, latenessUs: 1e9 };
          // Compacted now and then, as after each batch.
          order.forEach((p, i) => {
            if (foldThreshold(doc, p, P).crossing) crossings++;
            if ((i * 31 + seed) % 5 === 0) compactThreshold(doc, P);
          });
          compactThreshold(doc, P);
          const held = doc.e.flatMap((e) => Array.from({ length: Math.max(0, Math.min(e.f, 400) - e.s) }, (_, i) => e.s + i));
          expect(held).toEqual(truth(pts, window, count));
          expect(crossings > 0).toBe(doc.e.length > 0);
        },
      ),
      { numRuns: 400 },
    );
  });
});
