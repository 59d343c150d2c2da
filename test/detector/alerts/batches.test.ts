import { splitIntoBatches, truncateUtf8 } from "../../../detector/src/alerts/batches";

describe("splitting into batches", () => {
  const bytes = { sizeOf: (s: string) => s.length };

  it("cuts at the item limit", () => {
    const items = Array.from({ length: 25 }, (_, i) => String(i % 10));
    expect(splitIntoBatches(items, { maxItems: 10, maxBytes: 1000, ...bytes }).map((b) => b.length)).toEqual([10, 10, 5]);
  });

  it("cuts at the byte limit, keeping order", () => {
    expect(splitIntoBatches(["aaaa", "bbbb", "cc", "dddd"], { maxItems: 10, maxBytes: 8, ...bytes })).toEqual([["aaaa", "bbbb"], ["cc", "dddd"]]);
  });

  it("starts a new batch when an item cannot join the batch's first", () => {
    const items = [1, 2, 30, 31, 60];
    expect(splitIntoBatches(items, { maxItems: 10, maxBytes: 100, sizeOf: () => 1, fits: (first, n) => n - first < 25 })).toEqual([[1, 2], [30, 31], [60]]);
  });

  it("refuses an item larger than a whole batch", () => {
    expect(() => splitIntoBatches(["x".repeat(9)], { maxItems: 10, maxBytes: 8, ...bytes })).toThrow("an item of 9 bytes exceeds the batch limit of 8 bytes");
  });

  it("truncates UTF-8 text without splitting a character", () => {
    expect(truncateUtf8("ééé", 5)).toBe("éé");
    expect(truncateUtf8("abc", 5)).toBe("abc");
  });
});
