import fc from "fast-check";
import { DEFAULT_MAX_SEEN_EVENTS, eventIdOf, SeenEvents } from "../../../detector/src/ingest/seenEvents";

/** The bounded set of event ids that makes scan and the connector evaluate each event once. */

/** What SeenEvents must behave like: a plain set that forgets the oldest id beyond the bound. */
class Reference {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    if (this.ids.size === this.max) this.ids.delete(this.ids.values().next().value as string);
    this.ids.add(id);
    return true;
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
}

describe("SeenEvents", () => {
  it("says an id is new once, and a repeat after that", () => {
    const seen = new SeenEvents();
    expect(seen.add("3038ebd2-c98a-4c65-9b6e-e22506292313")).toBe(true);
    expect(seen.add("3038ebd2-c98a-4c65-9b6e-e22506292313")).toBe(false);
    expect(seen.has("3038ebd2-c98a-4c65-9b6e-e22506292313")).toBe(true);
    expect(seen.has("3038ebd2-c98a-4c65-9b6e-e22506292314")).toBe(false);
    expect(seen.counts()).toEqual({ remembered: 1, forgotten: 0 });
  });

  it("forgets the oldest ids beyond its bound, and only those", () => {
    const seen = new SeenEvents(3);
    for (const id of ["a", "b", "c", "d"]) expect(seen.add(id)).toBe(true);
    expect(["a", "b", "c", "d"].map((id) => seen.has(id))).toEqual([false, true, true, true]);
    expect(seen.counts()).toEqual({ remembered: 3, forgotten: 1 });
    expect(seen.add("a")).toBe(true);
    expect(seen.has("b")).toBe(false);
  });

  it("behaves as a set that forgets the oldest, through growth and eviction, on any sequence of ids", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 6000 }), (max, ids) => {
        const seen = new SeenEvents(max);
        const ref = new Reference(max);
        for (const n of ids) {
          const id = `evt-${n}`;
          if (seen.add(id) !== ref.add(id)) return false;
        }
        for (let n = 0; n <= 5000; n += 7) if (seen.has(`evt-${n}`) !== ref.has(`evt-${n}`)) return false;
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it("keeps ids in a few bytes each, far less than a set of the id strings", () => {
    const before = process.memoryUsage().arrayBuffers;
    const seen = new SeenEvents(DEFAULT_MAX_SEEN_EVENTS);
    const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    for (let i = 0; i < 60_000; i++) seen.add(id(i));
    for (let i = 0; i < 60_000; i += 997) expect(seen.has(id(i))).toBe(true);
    // 16 bytes an id once the ring is full (two 4-byte hash halves, a table of twice as many 4-byte
    // slots); 60k ids sit in a ring grown to 64k. A string of 36 characters alone takes 56.
    expect((process.memoryUsage().arrayBuffers - before) / 60_000).toBeLessThan(24);
  });

  it("refuses a bound that is not a positive whole number", () => {
    expect(() => new SeenEvents(0)).toThrow("maxIds must be a whole number of at least 1, not 0");
  });
});

describe("eventIdOf", () => {
  it("is the record's eventID when it is a non-empty string", () => {
    expect(eventIdOf({ eventID: "e-1" })).toBe("e-1");
    expect(eventIdOf({ eventID: "" })).toBeUndefined();
    expect(eventIdOf({ eventID: 7 })).toBeUndefined();
    expect(eventIdOf({})).toBeUndefined();
    expect(eventIdOf(null)).toBeUndefined();
  });
});
