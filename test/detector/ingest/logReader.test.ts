import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { gzipTrailerSize, textOf } from "../../../detector/src/ingest/decode";
import { readLogBytes, readLogStream, unzipAhead, type ReadOptions } from "../../../detector/src/ingest/logReader";
import type { RecordSink } from "../../../detector/src/ingest/records";

/** A CloudTrail document of `count` records of about 100 characters each. */
const doc = (count: number) => JSON.stringify({ Records: Array.from({ length: count }, (_, i) => ({ eventID: `e${i}`, eventTime: "2024-05-01T00:00:00Z", eventName: "GetObject", n: i })) });

function collecting() {
  const ids: unknown[] = [];
  const errors: string[] = [];
  const sink: RecordSink = { record: (r) => ids.push(r.eventID), error: (m) => errors.push(m) };
  return { sink, ids, errors };
}

describe("reading a log input", () => {
  const text = doc(1000);
  const options: ReadOptions = { wholeBytes: 20_000, wholeOnly: true };

  it("with wholeOnly, reads an input that parses whole", async () => {
    const { sink, ids } = collecting();
    const out = await readLogBytes(gzipSync(doc(10)), sink, options);
    expect(out.notWhole).toBeUndefined();
    expect(ids).toHaveLength(10);
  });

  it.each([
    ["a gzip input", gzipSync(text)],
    // Its trailer says 0 bytes: a forged or wrapped size does not let it through.
    ["a gzip input, its trailer understating its size", Buffer.concat([gzipSync(text).subarray(0, -4), Buffer.alloc(4)])],
    ["a plain input", Buffer.from(text)],
  ])("with wholeOnly, leaves %s longer than wholeBytes unread", async (_name, body) => {
    const { sink, ids, errors } = collecting();
    const out = await readLogBytes(body, sink, options);
    expect(out.notWhole).toBe(true);
    expect(ids).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("with wholeOnly, leaves a stream longer than wholeBytes unread", async () => {
    const { sink, ids } = collecting();
    const gz = gzipSync(text);
    const out = await readLogStream(Readable.from([gz.subarray(0, 500), gz.subarray(500)]), sink, options);
    expect(out.notWhole).toBe(true);
    expect(ids).toEqual([]);
  });

  it("streams a gzip input whose trailer gives a long text, and reads every record", async () => {
    const { sink, ids } = collecting();
    const out = await readLogBytes(gzipSync(text), sink, { wholeBytes: 20_000 });
    expect(out.bytes).toBe(text.length);
    expect(ids).toHaveLength(1000);
    expect(ids[999]).toBe("e999");
  });

  it("drains every few hundred KiB of streamed text, not every chunk", async () => {
    const big = doc(20_000);
    const { sink, ids } = collecting();
    const seen: number[] = [];
    await readLogStream(Readable.from([gzipSync(big)]), sink, { wholeBytes: 1000, drain: async () => void seen.push(ids.length) });
    expect(ids).toHaveLength(20_000);
    // About 2 MB of text in 16 KiB gunzip chunks: over a hundred chunks, a handful of drains.
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.length).toBeLessThan(20);
  });
});

describe("gunzipping ahead, off this thread", () => {
  const options: ReadOptions = { wholeBytes: 20_000, maxBytes: 1_000_000 };

  it("gunzips an input that parses whole, and reading it then takes the same records without gunzipping again", async () => {
    const body = gzipSync(doc(10));
    const unzipped = await unzipAhead(body, options);
    expect(unzipped?.toString("utf8")).toBe(doc(10));
    const ahead = collecting();
    await readLogBytes(body, ahead.sink, options, unzipped);
    const inTurn = collecting();
    await readLogBytes(body, inTurn.sink, options);
    expect(ahead.ids).toEqual(inTurn.ids);
    // What was gunzipped ahead is what is read: the bytes are not gunzipped a second time.
    const other = collecting();
    await readLogBytes(body, other.sink, options, Buffer.from(doc(3)));
    expect(other.ids).toEqual(["e0", "e1", "e2"]);
  });

  it("leaves plain and streamed inputs alone", async () => {
    expect(await unzipAhead(Buffer.from(doc(10)), options)).toBeUndefined();
    expect(await unzipAhead(gzipSync(doc(1000)), options)).toBeUndefined();
  });

  it("gives null for a damaged gzip, which reading in turn then streams and reports, keeping the records before the fault", async () => {
    const whole = gzipSync(doc(100));
    // Deflate data spoiled past the middle; the trailer (and the size it says) kept.
    const damaged = Buffer.from(whole);
    damaged.fill(7, Math.floor(whole.length * 0.7), whole.length - 8);
    const unzipped = await unzipAhead(damaged, options);
    expect(unzipped).toBeNull();
    const ahead = collecting();
    const outAhead = await readLogBytes(damaged, ahead.sink, options, unzipped);
    const inTurn = collecting();
    const outInTurn = await readLogBytes(damaged, inTurn.sink, options);
    expect(outAhead.damage).toBeDefined();
    expect(outAhead).toEqual(outInTurn);
    expect(ahead.ids).toEqual(inTurn.ids);
    expect(ahead.ids.length).toBeGreaterThan(0);
  });
});

describe("gzipTrailerSize", () => {
  it("gives the text size of a single-member gzip", () => {
    expect(gzipTrailerSize(gzipSync("x".repeat(123_456)))).toBe(123_456);
  });

  it("gives 0 for what is too short to be a gzip", () => {
    expect(gzipTrailerSize(new Uint8Array([0x1f, 0x8b, 0]))).toBe(0);
  });
});

describe("log text decoded", () => {
  // Whatever the bytes, the text is what UTF-8 decoding gives: Latin-1 is only taken for pure ASCII.
  it.each([
    ["pure ASCII", '{"Records":[{"eventID":"a","userAgent":"aws-cli/2.15.0"}]}'],
    ["accented letters and an emoji", '{"Records":[{"eventID":"b","requestParameters":{"key":"rapport-été-📈.csv"}}]}'],
    ["a byte-order mark", '\ufeff{"Records":[]}'],
    ["a character Latin-1 would read as two", '{"Records":[{"eventID":"ü"}]}'],
  ])("%s reads as UTF-8 would read it", (_name, text) => {
    const bytes = Buffer.from(text, "utf8");
    expect(textOf(bytes)).toBe(bytes.toString("utf8"));
  });

  it("reads the records of a file that is not pure ASCII with their characters", async () => {
    const names: unknown[] = [];
    const sink: RecordSink = { record: (r) => names.push((r.requestParameters as { key: string }).key), error: (m) => names.push(m) };
    await readLogBytes(gzipSync('{"Records":[{"eventID":"c","requestParameters":{"key":"données/été.csv"}}]}'), sink, { wholeBytes: 20_000 });
    expect(names).toEqual(["données/été.csv"]);
  });
});
