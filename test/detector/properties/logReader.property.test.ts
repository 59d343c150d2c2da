import fc from "fast-check";
import { gzipSync } from "node:zlib";
import { jsonText, RawNumber } from "../../../detector/src/engine";
import { readLogBytes, readLogStream, type ReadOptions } from "../../../detector/src/ingest/logReader";
import { parseLogText, type RecordSink } from "../../../detector/src/ingest/records";
import type { ExactSource } from "../../../detector/src/engine";

/**
 * Property tests of the log reader with generated hostile input: random bytes, documents cut in
 * random chunks, deep nesting, long strings, huge and oddly written numbers. Reading always ends
 * (never throws), keeps every record the whole-document parse keeps, keeps numbers as written,
 * and stays within generous bounds of time and memory.
 */

interface Read {
  records: Record<string, unknown>[];
  exact: (ExactSource | undefined)[];
  problems: string[];
}

function sink(): RecordSink & Read {
  const out: Read = { records: [], exact: [], problems: [] };
  return {
    ...out,
    record(r, e) {
      out.records.push(r);
      out.exact.push(e);
    },
    error(message) {
      out.problems.push(message);
    },
    get records() {
      return out.records;
    },
    get exact() {
      return out.exact;
    },
    get problems() {
      return out.problems;
    },
  };
}

const options = (wholeBytes: number, maxBytes = 1 << 30): ReadOptions => ({ wholeBytes, maxBytes, capPlain: true });

/** The bytes in chunks of the given sizes (cycled), as a stream hands them over. */
function* chunked(bytes: Uint8Array, sizes: number[]): Generator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length];
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

const record = fc.record({
  eventID: fc.uuid(),
  eventName: fc.constantFrom("GetObject", "PutObject", "DeleteBucketPolicy"),
  userAgent: fc.string({ maxLength: 40 }),
  requestParameters: fc.jsonValue({ maxDepth: 4 }),
});

describe("the log reader on generated input", () => {
  it("ends on any bytes, whole or streamed, without throwing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }), fc.boolean(), async (bytes, sizes, gz) => {
        const input = gz ? gzipSync(bytes).subarray(0, Math.max(2, bytes.length)) : bytes;
        await readLogBytes(input, sink(), options(512));
        await readLogStream(chunked(input, sizes), sink(), options(512));
      }),
      { numRuns: 300 },
    );
  });

  it("finds the same records streamed in any chunks as parsed whole", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 6 }), fc.constantFrom("file", "array", "lines"), fc.boolean(), async (records, sizes, shape, gz) => {
        const text = shape === "file" ? JSON.stringify({ Records: records }) : shape === "array" ? JSON.stringify(records) : records.map((r) => JSON.stringify(r)).join("\n");
        const bytes = Buffer.from(text);
        const input = gz ? gzipSync(bytes) : bytes;
        const whole = sink();
        parseLogText(text, whole);
        const streamed = sink();
        const outcome = await readLogStream(chunked(input, sizes), streamed, options(64));
        expect(outcome.damage).toBeUndefined();
        expect(streamed.records).toEqual(whole.records);
        expect(streamed.problems).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("keeps numbers as written, whichever way a record was read", async () => {
    const number = fc.oneof(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
      fc.tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 5 })).map(([n, z]) => `${n}.${"0".repeat(z + 1)}`),
      fc.constantFrom("1e5", "1E+300", "-0", "2048.0", "0.10"),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(number, { minLength: 1, maxLength: 8 }), fc.boolean(), async (numbers, streamed) => {
        const records = numbers.map((n, i) => `{"eventID":"e${i}","eventTime":"t","n":${n},"deep":[[${n}]]}`);
        const text = `{"Records":[${records.join(",")}]}`;
        const s = sink();
        if (streamed) await readLogStream(chunked(Buffer.from(text), [7]), s, options(16));
        else await readLogBytes(Buffer.from(text), s, options(1 << 20));
        numbers.forEach((n, i) => {
          const exact = (s.exact[i]?.exact() ?? s.records[i]) as Record<string, unknown>;
          expect(jsonText(exact.n)).toBe(n);
          expect(jsonText(exact.deep)).toBe(`[[${n}]]`);
          if (exact.n instanceof RawNumber) expect(exact.n.text).toBe(n);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("reads records nested far deeper than the call stack, and prints them", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60_000 }), fc.constantFrom("[", '{"a":'), fc.boolean(), async (depth, open, streamed) => {
        const close = open === "[" ? "]" : "}";
        const text = `{"Records":[{"eventID":"deep","n":${open.repeat(depth)}1.50${close.repeat(depth)}},{"eventID":"after"}]}`;
        const s = sink();
        if (streamed) await readLogStream(chunked(Buffer.from(text), [4096]), s, options(1024));
        else await readLogBytes(Buffer.from(text), s, options(1 << 24));
        expect(s.records.map((r) => r.eventID)).toEqual(["deep", "after"]);
        const exact = s.exact[0]?.exact() as Record<string, unknown>;
        expect(jsonText(exact.n).length).toBe(depth * (open.length + 1) + 4);
      }),
      { numRuns: 8 },
    );
  });

  it("streams long strings and large inputs in bounded memory", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1_000, max: 200_000 }), async (mib, stringLength) => {
        const line = JSON.stringify({ eventID: "x", userAgent: "u".repeat(stringLength) }) + "\n";
        const member = gzipSync(line.repeat(Math.ceil((4 << 20) / line.length)));
        // Up to 32 MiB of text decompressed (4 MiB per copy), read with a 1 MiB whole-parse size.
        const bytes = Buffer.concat(Array.from({ length: mib * 2 }, () => member));
        let records = 0;
        let peak = 0;
        const before = process.memoryUsage().heapUsed;
        const counting: RecordSink = {
          record: () => void records++,
          error: () => undefined,
        };
        await readLogStream(chunked(bytes, [65_536]), counting, {
          ...options(1 << 20),
          drain: async () => {
            peak = Math.max(peak, process.memoryUsage().heapUsed - before);
          },
        });
        expect(records).toBeGreaterThan(0);
        expect(peak).toBeLessThan(256 * 1024 * 1024);
      }),
      { numRuns: 4 },
    );
  });

  it("refuses what decompresses past the limit, keeping what came before", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1_000, max: 100_000 }), fc.integer({ min: 2, max: 50 }), async (limit, copies) => {
        const line = `${JSON.stringify({ eventID: "r", eventName: "x" })}\n`;
        const member = gzipSync(line.repeat(500));
        const bytes = Buffer.concat(Array.from({ length: copies }, () => member));
        const s = sink();
        const outcome = await readLogStream(chunked(bytes, [1000]), s, options(512, limit));
        if (copies * 500 * line.length > limit) {
          expect(outcome.tooLarge).toMatch(/^larger than .* once gunzipped: reading stopped there/);
          // A record whose closing brace is the last byte read counts (its newline is past the limit).
          expect(s.records.length).toBeLessThanOrEqual(Math.floor((limit + 1) / line.length));
        } else expect(outcome.tooLarge).toBeUndefined();
        expect(outcome.bytes).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 40 },
    );
  });
});
