import { gzipSync } from "node:zlib";
import { RawNumber } from "../../../detector/src/engine";
import { readLogObject } from "../../../detector/src/ingest/logObject";

const rec = (id: string) => ({ eventID: id, eventName: "GetObject", eventTime: "2024-05-01T00:00:00Z", eventType: "AwsApiCall" });
const bytes = (text: string) => new TextEncoder().encode(text);

describe("reading a log object", () => {
  it("reads a gzip CloudTrail file", () => {
    const out = readLogObject(gzipSync(JSON.stringify({ Records: [rec("a"), rec("b")] })));
    expect(out).toMatchObject({ records: [rec("a"), rec("b")], badRecords: [] });
    expect(out.damage).toBeUndefined();
    // Nothing to recover: every number reads back as written.
    expect(out.exact?.(0)).toBeUndefined();
  });

  it("gives each record's numbers as written, when a field asks", () => {
    const text = `{"Records":[5,${JSON.stringify(rec("a"))},{"eventID":"b","additionalEventData":{"bytesTransferredOut":2048.0}}]}`;
    const out = readLogObject(bytes(text));
    expect(out.records[1].additionalEventData).toEqual({ bytesTransferredOut: 2048 });
    const exact = out.exact?.(1) as { additionalEventData: { bytesTransferredOut: RawNumber } };
    expect(exact.additionalEventData.bytesTransferredOut).toBeInstanceOf(RawNumber);
    expect(exact.additionalEventData.bytesTransferredOut.text).toBe("2048.0");
  });

  it("reports a record that is not an object, and keeps the others", () => {
    const out = readLogObject(bytes(JSON.stringify({ Records: [rec("a"), "oops", rec("b")] })));
    expect(out.records.map((r) => r.eventID)).toEqual(["a", "b"]);
    expect(out.badRecords).toEqual(["record 2: not a JSON object (string)"]);
    expect(out.damage).toBeUndefined();
  });

  it("flags a truncated gzip as damaged and salvages the complete records", () => {
    const whole = gzipSync(JSON.stringify({ Records: [rec("a"), rec("b"), rec("c")] }));
    const out = readLogObject(whole.subarray(0, whole.length - 10));
    expect(out.damage).toMatch(/^gzip: /);
    expect(out.records.map((r) => r.eventID)).toEqual(["a", "b", "c"]);
  });

  it("flags text that is not JSON as damaged", () => {
    const out = readLogObject(bytes(`{"Records":[${JSON.stringify(rec("a"))},{"eventID":`));
    expect(out.damage).toMatch(/^not valid JSON: /);
    expect(out.records.map((r) => r.eventID)).toEqual(["a"]);
  });

  it("reads JSON Lines without calling them damaged", () => {
    const out = readLogObject(bytes([rec("a"), rec("b")].map((r) => JSON.stringify(r)).join("\n")));
    expect(out.records.map((r) => r.eventID)).toEqual(["a", "b"]);
    expect(out.damage).toBeUndefined();
  });

  it("flags an empty object", () => {
    expect(readLogObject(new Uint8Array()).damage).toBe("the object is empty");
  });
});
