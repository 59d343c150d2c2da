import fc from "fast-check";
import { foldFollower, foldMark, keptRecords, newSequenceDoc } from "../../../detector/src/stateful/sequenceState";

/** The size of a sequence group's kept records, followed as records come and go, is what a recount gives. */

const P = { withinUs: 600e6, latenessUs: 3600e6, repeat: false };

function recount(recs: Record<string, string> | undefined) {
  let count = 0;
  let chars = 0;
  for (const id in recs ?? {}) {
    count++;
    chars += id.length + recs![id].length;
  }
  return { count, chars };
}

describe("kept records of a sequence group", () => {
  it("stay counted right through followers waiting, marks releasing them and the oldest dropped", () => {
    const step = fc.oneof(
      { weight: 20, arbitrary: fc.record({ kind: fc.constant("follower" as const), t: fc.integer({ min: 0, max: 3000 }), id: fc.integer({ min: 0, max: 5000 }), size: fc.integer({ min: 0, max: 40 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("mark" as const), t: fc.integer({ min: 0, max: 3000 }), id: fc.integer({ min: 0, max: 5000 }) }) },
    );
    fc.assert(
      // More than a group keeps (1,000 waiting followers): the oldest are dropped with their records.
      fc.property(fc.array(step, { minLength: 1000, maxLength: 1400 }), fc.integer({ min: 0, max: 1000 }), (steps, firstAsk) => {
        const doc = newSequenceDoc();
        steps.forEach((s, i) => {
          // Asked once part-way, so the count is then followed rather than made at the end.
          if (i === firstAsk) keptRecords(doc);
          if (s.kind === "follower") foldFollower(doc, s.t * 1e6, `f${s.id}`, () => "r".repeat(s.size), P);
          else foldMark(doc, { t: s.t * 1e6, id: `m${s.id}`, rule: "first" }, P);
        });
        expect(keptRecords(doc)).toEqual(recount(doc.recs));
      }),
      { numRuns: 20, endOnFailure: true },
    );
  });
});
