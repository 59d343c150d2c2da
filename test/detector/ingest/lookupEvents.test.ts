import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { jsonText } from "../../../detector/src/engine";
import { scanInputs } from "../../../detector/src/ingest/inputs";
import { RecordSplitter } from "../../../detector/src/ingest/splitter";

/** `aws cloudtrail lookup-events` output: each record is a JSON string in an entry's CloudTrailEvent. */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-lookup-"));
const record = (eventName: string) => ({ eventVersion: "1.08", eventTime: "2024-05-01T12:00:00Z", eventName, additionalEventData: { bytes: 2048.0 } });
const entry = (eventName: string) => ({ EventId: eventName, EventName: eventName, EventTime: 1714564800, CloudTrailEvent: JSON.stringify(record(eventName)).replace("2048", "2048.0") });
const page = (...names: string[]) => JSON.stringify({ Events: names.map(entry), NextToken: "t" }, null, 4);

async function read(file: string, wholeInputLimit?: number) {
  const records: Record<string, unknown>[] = [];
  const exact: unknown[] = [];
  const errors: string[] = [];
  await scanInputs([file], { record: (r, _i, x) => (records.push(r), exact.push(x?.exact()?.additionalEventData)), error: (_i, m, w) => errors.push(`${w}: ${m}`) }, { wholeInputLimit });
  return { names: records.map((r) => r.eventName), exact, errors };
}

describe("lookup-events output", () => {
  const file = path.join(dir, "lookup.json");
  writeFileSync(file, page("CreateBucket", "PutBucketPolicy"));

  it("yields the records inside CloudTrailEvent, numbers as written", async () => {
    const r = await read(file);
    expect(r).toEqual({ names: ["CreateBucket", "PutBucketPolicy"], exact: [expect.anything(), expect.anything()], errors: [] });
    expect(jsonText(r.exact[0])).toBe('{"bytes":2048.0}');
  });

  it("yields the same when the input is streamed", async () => {
    expect((await read(file, 10)).names).toEqual(["CreateBucket", "PutBucketPolicy"]);
  });

  it("is split entry by entry when streamed, never held whole", () => {
    const text = page("A", "B", "C");
    const found: string[] = [];
    const errors: string[] = [];
    // A limit well below the document's size: only a splitter that walks Events gets every entry.
    const splitter = new RecordSplitter({ record: (t) => found.push(JSON.parse(t).EventName), error: (m) => errors.push(m) }, Math.ceil(text.length / 2));
    splitter.push(text);
    splitter.end();
    expect({ found, errors }).toEqual({ found: ["A", "B", "C"], errors: [] });
  });

  it("reads entries given as an array or as JSON Lines (jq '.Events[]')", async () => {
    const array = path.join(dir, "array.json");
    writeFileSync(array, JSON.stringify([entry("A"), entry("B")]));
    expect((await read(array)).names).toEqual(["A", "B"]);
    const lines = path.join(dir, "lines.jsonl");
    writeFileSync(lines, [entry("C"), entry("D")].map((e) => JSON.stringify(e)).join("\n"));
    expect((await read(lines)).names).toEqual(["C", "D"]);
  });

  it("names an entry whose CloudTrailEvent is not a JSON object", async () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ Events: [{ CloudTrailEvent: "{not json" }, entry("E")] }));
    const r = await read(bad);
    expect(r.names).toEqual(["E"]);
    expect(r.errors).toEqual([expect.stringMatching(/^record 1: CloudTrailEvent is not JSON/)]);
  });
});
