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
