import * as fc from "fast-check";
import { MAX_SELECTOR_VALUE_LENGTH } from "../../components/awsLimits";
import {
  AdvancedEventSelector,
  buildEventSelectors,
  composeEventSelectors,
  countSelectorValues,
  objectArnPrefixes,
  SelectorBucket,
  SelectorLimitError,
} from "../../components/eventSelectors";
import { ManagementEvents } from "../../components/vocabulary";

/** An event as CloudTrail matches it against advanced selectors. */
interface TrailEvent {
  eventCategory: "Data" | "Management";
  readOnly: boolean;
  arn?: string;
  type?: string;
}

/** CloudTrail's rule: logged if any selector matches; inside one selector every field must match. */
function isRecorded(selectors: readonly AdvancedEventSelector[], event: TrailEvent): boolean {
  const valueOf: Record<string, string | undefined> = {
    eventCategory: event.eventCategory,
    readOnly: String(event.readOnly),
    "resources.ARN": event.arn,
    "resources.type": event.type,
  };
  return selectors.some((s) =>
    s.fieldSelectors.every((f) => {
      const v = valueOf[f.field];
      if (v === undefined) {
        return false;
      }
      return (f.equals?.includes(v) ?? true) && (f.startsWiths?.some((p) => v.startsWith(p)) ?? true);
    }),
  );
}

const objectEvent = (bucket: string, key: string, readOnly: boolean): TrailEvent => ({
  eventCategory: "Data",
  readOnly,
  arn: `arn:aws:s3:::${bucket}/${key}`,
  type: "AWS::S3::Object",
});

describe("buildEventSelectors", () => {
  describe("the issue's example stack", () => {
    const selectors = buildEventSelectors({
      buckets: [
        { name: "customer-data-dev", access: "read-write" },
        { name: "static-site-dev", access: "write", prefixes: ["uploads/"] },
      ],
      managementEvents: "all",
    });

    it("records management events, both directions on one bucket and writes under a prefix on the other", () => {
      expect(selectors).toEqual([
        { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
        {
          name: "S3 object reads and writes on watched buckets",
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.ARN", startsWiths: ["arn:aws:s3:::customer-data-dev/"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
          ],
        },
        {
          name: "S3 object writes on watched buckets",
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "readOnly", equals: ["false"] },
            { field: "resources.ARN", startsWiths: ["arn:aws:s3:::static-site-dev/uploads/"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
          ],
        },
      ]);
    });

    it("costs 8 of the trail's 500 values: 1 + 3 + 4", () => {
      expect(countSelectorValues(selectors)).toBe(8);
    });

    it("records a write under the prefix but not outside it, and no read", () => {
      expect(isRecorded(selectors, objectEvent("static-site-dev", "uploads/a.png", false))).toBe(true);
      expect(isRecorded(selectors, objectEvent("static-site-dev", "index.html", false))).toBe(false);
      expect(isRecorded(selectors, objectEvent("static-site-dev", "uploads/a.png", true))).toBe(false);
    });
  });

  it("groups buckets by access so three read-only buckets share one selector with readOnly = true", () => {
    const selectors = buildEventSelectors({
      buckets: [
        { name: "c-bucket", access: "read" },
        { name: "a-bucket", access: "read" },
        { name: "b-bucket", access: "read" },
      ],
      managementEvents: "none",
    });
    expect(selectors).toEqual([
      {
        name: "S3 object reads on watched buckets",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "readOnly", equals: ["true"] },
          { field: "resources.ARN", startsWiths: ["arn:aws:s3:::a-bucket/", "arn:aws:s3:::b-bucket/", "arn:aws:s3:::c-bucket/"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
        ],
      },
    ]);
  });

  it("records only write management events in write mode", () => {
    expect(buildEventSelectors({ buckets: [], managementEvents: "write" })).toEqual([
      {
        name: "Management write events",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Management"] },
          { field: "readOnly", equals: ["false"] },
        ],
      },
    ]);
  });

  it("emits no selector at all when there is nothing to record, rather than an empty operator list", () => {
    expect(buildEventSelectors({ buckets: [], managementEvents: "none" })).toEqual([]);
  });

  it("builds ARNs in the stack's partition", () => {
    expect(objectArnPrefixes("aws-us-gov", { name: "records", access: "read", prefixes: ["2024/", "2025/"] })).toEqual([
      "arn:aws-us-gov:s3:::records/2024/",
      "arn:aws-us-gov:s3:::records/2025/",
    ]);
  });

  it("does not record a different bucket whose name starts with a watched bucket's name", () => {
    const selectors = buildEventSelectors({ buckets: [{ name: "logs", access: "read-write" }], managementEvents: "none" });
    expect(isRecorded(selectors, objectEvent("logs", "2024/a.json", true))).toBe(true);
    expect(isRecorded(selectors, objectEvent("logs-archive", "2024/a.json", true))).toBe(false);
  });

  describe("the trail's limit of 500 values", () => {
    const readWrite = (n: number): SelectorBucket[] =>
      Array.from({ length: n }, (_, i) => ({ name: `bucket-${String(i).padStart(3, "0")}`, access: "read-write" as const }));

    it("accepts a configuration at exactly 500 values (1 management + 2 + 497 buckets)", () => {
      const selectors = buildEventSelectors({ buckets: readWrite(497), managementEvents: "all" });
      expect(countSelectorValues(selectors)).toBe(500);
    });

    it("rejects one value more, saying how many were needed", () => {
      expect(() => buildEventSelectors({ buckets: readWrite(498), managementEvents: "all" })).toThrow(
        new SelectorLimitError(501),
      );
      expect(new SelectorLimitError(501).message).toBe(
        "The watched buckets need 501 advanced event selector values; a trail accepts at most 500. " +
          "Watch fewer buckets or prefixes, or split them across stacks.",
      );
    });

    it("counts the fixed cost of every access group: 2 + 3 + 3 plus 2 for write management events", () => {
      const buckets: SelectorBucket[] = [
        ...readWrite(200),
        ...Array.from({ length: 150 }, (_, i) => ({ name: `reader-${i}`, access: "read" as const })),
        ...Array.from({ length: 140 }, (_, i) => ({ name: `writer-${i}`, access: "write" as const })),
      ];
      expect(countSelectorValues(buildEventSelectors({ buckets, managementEvents: "write" }))).toBe(500);
      expect(() =>
        buildEventSelectors({ buckets: [...buckets, { name: "one-more", access: "write" }], managementEvents: "write" }),
      ).toThrow(SelectorLimitError);
    });
  });
});

describe("buildEventSelectors properties", () => {
  const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,12}[a-z0-9]$/);
  const prefix = fc.stringMatching(/^[a-z0-9]{1,6}\/([a-z0-9]{1,6}\/)?$/);
  const bucket: fc.Arbitrary<SelectorBucket> = fc.record({
    name: bucketName,
    access: fc.constantFrom("read" as const, "write" as const, "read-write" as const),
    prefixes: fc.uniqueArray(prefix, { maxLength: 3 }).map((ps) => ps.filter((p) => !ps.some((q) => q !== p && p.startsWith(q)))),
  });
  const input = fc.record({
    buckets: fc.uniqueArray(bucket, { selector: (b) => b.name, maxLength: 260 }),
    managementEvents: fc.constantFrom<ManagementEvents>("all", "write", "none"),
  });

  it("either stays within 500 values or throws SelectorLimitError with the count", () => {
    fc.assert(
      fc.property(input, (i) => {
        const count = countSelectorValues(composeEventSelectors(i));
        if (count <= 500) {
          expect(countSelectorValues(buildEventSelectors(i))).toBe(count);
        } else {
          expect(() => buildEventSelectors(i)).toThrow(new SelectorLimitError(count));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("uses only fields and operators CloudTrail accepts for trails, never with an empty list", () => {
    fc.assert(
      fc.property(input, (i) => {
        for (const selector of composeEventSelectors(i)) {
          expect(selector.fieldSelectors.length).toBeGreaterThan(0);
          const fields = selector.fieldSelectors.map((f) => f.field);
          expect(fields).toEqual([...fields].sort());
          expect(new Set(fields).size).toBe(fields.length);
          for (const f of selector.fieldSelectors) {
            const lists = [f.equals, f.startsWiths].filter((l) => l !== undefined) as string[][];
            expect(lists).toHaveLength(1);
            expect(lists[0].length).toBeGreaterThan(0);
            for (const value of lists[0]) {
              expect(value.length).toBeGreaterThan(0);
              expect(value.length).toBeLessThanOrEqual(MAX_SELECTOR_VALUE_LENGTH);
              expect(value).not.toContain("*");
            }
            if (f.field === "resources.ARN") {
              expect(f.startsWiths).toBeDefined();
              expect(f.startsWiths?.every((v) => v.endsWith("/"))).toBe(true);
            } else {
              expect(f.equals).toBeDefined();
            }
            if (f.field === "readOnly") {
              expect([["true"], ["false"]]).toContainEqual(f.equals);
            }
            if (f.field === "eventCategory") {
              expect([["Data"], ["Management"]]).toContainEqual(f.equals);
            }
          }
          if (selector.fieldSelectors[0].equals?.[0] === "Data") {
            expect(fields).toContain("resources.type");
            expect(selector.fieldSelectors.find((f) => f.field === "resources.type")?.equals).toEqual(["AWS::S3::Object"]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("records exactly the watched directions under the watched prefixes, and nothing of look-alike buckets", () => {
    fc.assert(
      fc.property(input, fc.stringMatching(/^[a-z0-9]{1,8}$/), (i, file) => {
        const selectors = composeEventSelectors(i);
        const watched = new Set(i.buckets.map((b) => b.name));
        for (const b of i.buckets) {
          const keys = (b.prefixes ?? []).length > 0 ? (b.prefixes ?? []).map((p) => `${p}${file}`) : [file];
          for (const key of keys) {
            expect(isRecorded(selectors, objectEvent(b.name, key, true))).toBe(b.access !== "write");
            expect(isRecorded(selectors, objectEvent(b.name, key, false))).toBe(b.access !== "read");
          }
          if (!watched.has(`${b.name}-x`)) {
            expect(isRecorded(selectors, objectEvent(`${b.name}-x`, file, true))).toBe(false);
            expect(isRecorded(selectors, objectEvent(`${b.name}-x`, file, false))).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it("is deterministic: the order buckets are listed in does not change the selectors", () => {
    fc.assert(
      fc.property(input, (i) => {
        const reversed = { ...i, buckets: [...i.buckets].reverse() };
        expect(composeEventSelectors(reversed)).toEqual(composeEventSelectors(i));
      }),
      { numRuns: 50 },
    );
  });
});
