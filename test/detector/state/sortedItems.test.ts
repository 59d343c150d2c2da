import fc from "fast-check";
import { SortedItems } from "../../../detector/src/state/sortedItems";

/** The memory store's ordered items: the same answers as a sorted array, whatever the insertion order. */

describe("sorted items", () => {
  it("answer gets and ranges as a sorted array would", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 3000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.boolean(), (keys, a, b, descending) => {
        const items = new SortedItems();
        const sk = (n: number) => `e#${String(n).padStart(5, "0")}`;
        for (const k of keys) items.set({ sk: sk(k), expiresAt: k });
        const sorted = [...new Set(keys)].sort((x, y) => x - y).map(sk);
        expect(items.size).toBe(sorted.length);
        expect(items.values().map((x) => x.sk)).toEqual(sorted);
        const [from, to] = [sk(Math.min(a, b)), sk(Math.max(a, b))];
        const inRange = sorted.filter((k) => k >= from && k <= to);
        const expected = descending ? [...inRange].reverse() : inRange;
        expect(items.range(from, to, descending, 7).map((x) => x.sk)).toEqual(expected.slice(0, 7));
        expect(items.get(sk(a))?.sk).toBe(keys.includes(a) ? sk(a) : undefined);
        const dropped = items.retain((x) => x.expiresAt % 2 === 0);
        expect(dropped).toBe(sorted.filter((k) => Number(k.slice(2)) % 2 === 1).length);
      }),
      { numRuns: 60 },
    );
  });
});
