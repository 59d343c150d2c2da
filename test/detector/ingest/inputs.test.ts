import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { scanInputs, ScanInputsOptions } from "../../../detector/src/ingest/inputs";

async function scan(args: string[], options: ScanInputsOptions = {}) {
  const records: string[] = [];
  const errors: string[] = [];
  const result = await scanInputs(args, { record: (r, input) => records.push(`${path.basename(input)}:${r.eventName}`), error: (i, m, w) => errors.push(`${path.basename(i)}${w ? ` ${w}` : ""}: ${m}`) }, options);
  return { records, errors, result };
}

const file = (...names: string[]) => JSON.stringify({ Records: names.map((eventName) => ({ eventName })) });

describe("scan inputs", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "s3guard-inputs-"));
  mkdirSync(path.join(dir, "logs", "2024", "05"), { recursive: true });
  writeFileSync(path.join(dir, "logs", "b.json"), file("B1"));
  writeFileSync(path.join(dir, "logs", "2024", "05", "a.json.gz"), gzipSync(file("A1", "A2")));
  writeFileSync(path.join(dir, "logs", ".hidden.json"), file("H"));
  writeFileSync(path.join(dir, "bad.json"), '{"Records":[{"eventName":"ok"},{"eventName":');

  it("walks folders recursively in name order, skipping hidden files", async () => {
    const { records, result } = await scan([path.join(dir, "logs")]);
    expect(records).toEqual(["a.json.gz:A1", "a.json.gz:A2", "b.json:B1"]);
    expect(result).toEqual({ inputs: 2, unreadable: 0 });
  });

  it("names a missing input and an unreadable one, and reads the rest", async () => {
    const { records, errors, result } = await scan([path.join(dir, "nope.json"), path.join(dir, "bad.json"), path.join(dir, "logs", "b.json")]);
    expect(records).toEqual(["bad.json:ok", "b.json:B1"]);
    expect(errors).toEqual(["nope.json: cannot read: no such file or directory", "bad.json offset 44: input ends in the middle of a JSON value (truncated?)"]);
    expect(result).toEqual({ inputs: 3, unreadable: 2 });
  });

  it("reads files read ahead in input order, each damage reported for its own file", async () => {
    // Files are read and gunzipped a few ahead of the one evaluated: order and blame must not move.
    const many = path.join(dir, "many");
    mkdirSync(many);
    const gz = gzipSync(file("D1"));
    const names = ["f0.json.gz", "f1.json", "f2.json.gz", "f3.json.gz", "f4.json.gz", "f5.json"];
    writeFileSync(path.join(many, names[0]), gzipSync(file("A1", "A2")));
    writeFileSync(path.join(many, names[1]), file("B1"));
    writeFileSync(path.join(many, names[2]), gz.subarray(0, gz.length - 6)); // cut short
    writeFileSync(path.join(many, names[3]), gzipSync(file("C1")));
    writeFileSync(path.join(many, names[4]), Buffer.concat([gz.subarray(0, 12), Buffer.from("not deflate"), gz.subarray(23)]));
    writeFileSync(path.join(many, names[5]), file("E1", "E2"));
    const { records, errors, result } = await scan([many]);
    // A gzip cut in its trailer still gives its records before the damage is reported.
    expect(records).toEqual(["f0.json.gz:A1", "f0.json.gz:A2", "f1.json:B1", "f2.json.gz:D1", "f3.json.gz:C1", "f5.json:E1", "f5.json:E2"]);
    expect(errors.map((e) => e.split(":")[0].split(" ")[0])).toEqual(["f2.json.gz", "f4.json.gz"]);
    expect(result).toEqual({ inputs: 6, unreadable: 2 });
  });

  it("reads stdin, gzip or not", async () => {
    expect((await scan(["-"], { stdin: Readable.from([Buffer.from(file("S1", "S2"))]) })).records).toEqual(["-:S1", "-:S2"]);
    const gz = gzipSync(file("G1"));
    expect((await scan(["-"], { stdin: Readable.from([gz.subarray(0, 5), gz.subarray(5)]) })).records).toEqual(["-:G1"]);
  });

  it("streams inputs larger than the whole-input limit, record by record", async () => {
    const big = file(...Array.from({ length: 500 }, (_, i) => `E${i}`));
    const chunks = big.match(/[^]{1,97}/g) as string[];
    const { records, errors } = await scan(["-"], { stdin: Readable.from(chunks.map((c) => Buffer.from(c))), wholeInputLimit: 1000 });
    expect(errors).toEqual([]);
    expect(records).toHaveLength(500);
    expect(records[499]).toBe("-:E499");
    writeFileSync(path.join(dir, "big.json.gz"), gzipSync(big));
    expect((await scan([path.join(dir, "big.json.gz")], { wholeInputLimit: 100 })).records).toHaveLength(500);
  });
});
