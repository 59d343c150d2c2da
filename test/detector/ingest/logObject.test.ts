import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { RawNumber } from "../../../detector/src/engine";
import { readLogObject, type LogObjectRead, type ObjectRecord } from "../../../detector/src/ingest/logObject";

const rec = (id: string) => ({ eventID: id, eventName: "GetObject", eventTime: "2024-05-01T00:00:00Z", eventType: "AwsApiCall" });
const bytes = (text: string) => new TextEncoder().encode(text);

async function read(body: Uint8Array | AsyncIterable<Uint8Array>, limits: { wholeBytes?: number; maxBytes?: number } = {}) {
  const records: ObjectRecord[] = [];
  const batches: number[] = [];
  const out: LogObjectRead = await readLogObject(body, {
    wholeBytes: limits.wholeBytes ?? 1 << 20,
    maxBytes: limits.maxBytes ?? 1 << 30,
    onRecords: async (batch) => {
      batches.push(batch.length);
      records.push(...batch);
    },
  });
  return { ...out, list: records.map((r) => r.record), exact: (i: number) => records[i].exact?.exact(), batches };
}

/** A stream of the bytes in small pieces, as S3 hands a large object over. */
const pieces = (b: Uint8Array, size = 1000): AsyncIterable<Uint8Array> => Readable.from(Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)));

describe("reading a log object", () => {
  it("reads a gzip CloudTrail file", async () => {
    const out = await read(gzipSync(JSON.stringify({ Records: [rec("a"), rec("b")] })));
    expect(out).toMatchObject({ list: [rec("a"), rec("b")], badRecords: [], records: 2 });
    expect(out.damage).toBeUndefined();
    // Nothing to recover: every number reads back as written.
    expect(out.exact(0)).toBeUndefined();
  });

  it("gives each record's numbers as written, when a field asks", async () => {
    const text = `{"Records":[5,${JSON.stringify(rec("a"))},{"eventID":"b","additionalEventData":{"bytesTransferredOut":2048.0}}]}`;
    const out = await read(bytes(text));
    expect(out.list[1].additionalEventData).toEqual({ bytesTransferredOut: 2048 });
    const exact = out.exact(1) as { additionalEventData: { bytesTransferredOut: RawNumber } };
    expect(exact.additionalEventData.bytesTransferredOut).toBeInstanceOf(RawNumber);
    expect(exact.additionalEventData.bytesTransferredOut.text).toBe("2048.0");
  });

  it("reports a record that is not an object, and keeps the others", async () => {
    const out = await read(bytes(JSON.stringify({ Records: [rec("a"), "oops", rec("b")] })));
    expect(out.list.map((r) => r.eventID)).toEqual(["a", "b"]);
    expect(out.badRecords).toEqual(["record 2: not a JSON object (string)"]);
    expect(out.damage).toBeUndefined();
  });

  it("flags a truncated gzip as damaged and salvages the complete records", async () => {
    const whole = gzipSync(JSON.stringify({ Records: [rec("a"), rec("b"), rec("c")] }));
    const out = await read(whole.subarray(0, whole.length - 10));
    expect(out.damage).toMatch(/^gzip: unexpected end of file/);
    expect(out.list.map((r) => r.eventID)).toEqual(["a", "b", "c"]);
  });

  it("flags text that is not JSON as damaged", async () => {
    const out = await read(bytes(`{"Records":[${JSON.stringify(rec("a"))},{"eventID":`));
    expect(out.damage).toMatch(/^not valid JSON: /);
    expect(out.list.map((r) => r.eventID)).toEqual(["a"]);
  });

  it("reads JSON Lines without calling them damaged", async () => {
    const out = await read(bytes([rec("a"), rec("b")].map((r) => JSON.stringify(r)).join("\n")));
    expect(out.list.map((r) => r.eventID)).toEqual(["a", "b"]);
    expect(out.damage).toBeUndefined();
  });

  it("flags an empty object", async () => {
    expect((await read(new Uint8Array())).damage).toBe("the object is empty");
    expect((await read(bytes("  \n"))).damage).toBe("the object is empty");
  });

  it("streams a large object in batches, with the same records and numbers", async () => {
    // About 1 MB: batches are a few hundred KiB of text.
    const records = Array.from({ length: 20_000 }, (_, i) => `{"eventID":"e${i}","eventTime":"t","n":${i}.0}`);
    const gz = gzipSync(`{"Records":[${records.join(",")}]}`);
    const out = await read(pieces(gz, 500), { wholeBytes: 2000 });
    expect(out.records).toBe(20_000);
    expect(out.batches.length).toBeGreaterThan(2);
    expect((out.exact(19_999) as { n: RawNumber }).n.text).toBe("19999.0");
    expect(out.damage).toBeUndefined();
  });

  it("stops at the size limit, keeps the records before it, and says so", async () => {
    const records = Array.from({ length: 1000 }, (_, i) => JSON.stringify(rec(`e${i}`)));
    const text = `{"Records":[${records.join(",")}]}`;
    for (const body of [bytes(text), gzipSync(text), pieces(gzipSync(text))]) {
      const out = await read(body, { wholeBytes: 10_000, maxBytes: 50_000 });
      expect(out.tooLarge).toMatch(/^larger than 48\.8 KiB.*: reading stopped there/);
      expect(out.records).toBeGreaterThan(400);
      expect(out.records).toBeLessThan(1000);
      expect(out.list.map((r) => r.eventID)).toEqual(Array.from({ length: out.records }, (_, i) => `e${i}`));
    }
  });

  it("keeps what came before a broken stream", async () => {
    const text = `{"Records":[${JSON.stringify(rec("a"))},${JSON.stringify(rec("b"))},${JSON.stringify(rec("c"))}]}`;
    const broken = (async function* () {
      yield bytes(text.slice(0, text.indexOf('{"eventID":"c"')));
      throw new Error("socket hang up");
    })();
    const out = await read(broken, { wholeBytes: 10 });
    expect(out.list.map((r) => r.eventID)).toEqual(["a", "b"]);
    expect(out.damage).toMatch(/^read: socket hang up/);
  });
});
