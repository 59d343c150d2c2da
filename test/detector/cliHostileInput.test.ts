import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { REPO, s3guard } from "../support/cli";
import { PRODUCT_NODE_VERSION, s3guardMeasured } from "../support/measured";

/**
 * `s3guard scan` on input an attacker shapes: records nested deeper than any call stack, and gzip
 * files that decompress to far more than they weigh. Each record that cannot be evaluated costs
 * only itself; memory stays bounded whatever the input.
 */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-hostile-"));
const write = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const rules = write(
  "rules.yaml",
  `
- rule: Bucket policy changed
  desc: a bucket policy was changed
  condition: ct.name = PutBucketPolicy
  output: policy of %s3.bucket changed in %ct.id (request=%ct.request)
  priority: WARNING
  source: aws_cloudtrail
`,
);

const record = (id: string | undefined, requestParameters: string) =>
  `{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventType":"AwsApiCall","eventSource":"s3.amazonaws.com",` +
  `"eventName":"PutBucketPolicy","awsRegion":"us-east-1",${id ? `"eventID":"${id}",` : ""}"userIdentity":{"type":"Root","userName":"x"},` +
  `"sourceIPAddress":"1.2.3.4","requestParameters":${requestParameters}}`;

const nested = (depth: number) => `{"bucketName":"b","deep":${"[".repeat(depth)}1.5${"]".repeat(depth)}}`;

describe("s3guard scan on hostile records", () => {
  // Without an eventID the alert id hashes the whole record; %ct.request prints it: both walk the nesting.
  const deep = write("deep.json", `{"Records":[${record("a", nested(1))},${record(undefined, nested(3000))},${record("c", nested(1))}]}`);
  const after = write("after.json", `{"Records":[${record("d", nested(1))}]}`);

  it.each([
    ["the given rules", ["--rules", rules]],
    // The bundled root rule is one alert per session, so the given rule shows each record evaluated.
    ["the bundled rules, stateful ones included", ["--rules", path.join(REPO, "rules"), "--rules", rules]],
  ])("evaluates a record nested 3,000 levels deep, and every record and file after it, with %s", async (_name, rulesArgs) => {
    const run = await s3guard(["scan", "--rule-matching", "all", ...rulesArgs, deep, after]);
    expect(run.stderr).not.toContain("Maximum call stack");
    expect(run.code).toBe(0);
    const alerts = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { rule: string; output_fields: Record<string, unknown> });
    // One rule that fits every record alerts on each of them, the deep one (no eventID) included.
    const byRule = new Map<string, unknown[]>();
    for (const a of alerts) byRule.set(a.rule, [...(byRule.get(a.rule) ?? []), a.output_fields["ct.id"] ?? null]);
    expect([...byRule.values()]).toContainEqual(["a", null, "c", "d"]);
  });

  it("prints the deep record's request as JSON", async () => {
    const run = await s3guard(["scan", "--rules", rules, deep]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`\\"deep\\":${"[".repeat(3000)}1.5${"]".repeat(3000)}`);
  });

  it("reports a record that cannot be printed, names it, and evaluates the rest", async () => {
    const objRules = write(
      "obj.yaml",
      `
- rule: Whole record
  desc: prints the record
  condition: ct.name = PutBucketPolicy
  output: "%json.obj"
  priority: NOTICE
  source: aws_cloudtrail
- rule: Bucket named
  desc: the bucket
  condition: ct.name = PutBucketPolicy
  output: bucket %s3.bucket id %ct.id
  priority: NOTICE
  source: aws_cloudtrail
`,
    );
    // Indented, 60,000 levels would take 3.6 billion characters of padding.
    const file = write("deeper.json", `{"Records":[${record("a", nested(1))},${record("b", nested(60_000))},${record("c", nested(1))}]}`);
    const run = await s3guard(["scan", "--rule-matching", "all", "--rules", objRules, file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/deeper\.json: record 2: not evaluated by rule 'Whole record': JSON text longer than \d+ characters/);
    const outputs = run.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { output: string }).output);
    expect(outputs.filter((o) => o.includes("bucket b id"))).toHaveLength(3);
    expect(outputs.filter((o) => o.includes('"eventID": "a"'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('"eventID": "c"'))).toHaveLength(1);
  });
});

/** `count` copies of `member` as one gzip file of concatenated members, written without compressing it all. */
function gzipMembers(text: string, count: number): Buffer {
  const member = gzipSync(text);
  return Buffer.concat(Array.from({ length: count }, () => member));
}

/** An S3 data event (about 830 bytes), the `i`th of a trail: a few roles, many objects, now and then a delete. */
function s3DataEvent(i: number): string {
  const bucket = `data-${i % 5}`;
  const key = `path/to/object-${i}.parquet`;
  return JSON.stringify({
    eventVersion: "1.09",
    userIdentity: { type: "AssumedRole", arn: `arn:aws:sts::111122223333:assumed-role/app/i-${i % 50}`, accountId: "111122223333", accessKeyId: `ASIA${i % 50}` },
    eventTime: new Date(Date.UTC(2024, 0, 1) + i * 10).toISOString().replace(/\.\d+Z$/, "Z"),
    eventSource: "s3.amazonaws.com",
    eventName: i % 97 === 0 ? "DeleteObject" : "GetObject",
    awsRegion: "us-east-1",
    sourceIPAddress: `10.0.0.${i % 200}`,
    userAgent: "aws-sdk-java/2.20",
    requestParameters: { bucketName: bucket, key, Host: `${bucket}.s3.amazonaws.com` },
    responseElements: null,
    additionalEventData: { bytesTransferredOut: 12345 },
    requestID: `R${i}`,
    eventID: `${i.toString(16).padStart(8, "0")}-aaaa-bbbb-cccc-000000000000`,
    readOnly: true,
    resources: [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket}/${key}` }],
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: "111122223333",
    eventCategory: "Data",
  });
}

/** Writes a gzip CloudTrail file ({"Records":[...]}) of `count` distinct S3 data events from the `from`th, about 830 bytes each. */
async function writeCloudTrailGzip(file: string, from: number, count: number): Promise<void> {
  await pipeline(
    (function* () {
      yield '{"Records":[';
      for (let i = from; i < from + count; i += 1000) {
        const block: string[] = [];
        for (let j = i; j < Math.min(from + count, i + 1000); j++) block.push(s3DataEvent(j));
        yield (i > from ? "," : "") + block.join(",");
      }
      yield "]}";
    })(),
    createGzip({ level: 1 }),
    createWriteStream(file),
  );
}

describe("s3guard scan on large and hostile gzip files", () => {
  // About 1 KB per record, as CloudTrail writes them.
  const line = JSON.stringify({ eventVersion: "1.08", eventTime: "2024-01-01T00:00:00Z", eventType: "AwsApiCall", eventSource: "s3.amazonaws.com", eventName: "GetObject", awsRegion: "us-east-1", sourceIPAddress: "1.2.3.4", userAgent: "x".repeat(800), requestParameters: { bucketName: "b", key: "k" } }) + "\n";
  const block = line.repeat(4096);

  it("streams a small gzip whose text is large, by its decompressed size, in bounded memory", async () => {
    // 200 MiB of JSON Lines in a file of a few MiB: parsed whole, it would need well over 500 MB.
    const file = write("large.json.gz", gzipMembers(block, 50));
    const run = await s3guardMeasured(["scan", "--summary", file]);
    expect(run.stderr).toMatch(/events: +204800 /);
    expect(run.code).toBe(0);
    expect(run.maxRssMb).toBeLessThan(250);
  });

  it("streams a small gzip whose text is large in bounded memory with worker threads too", async () => {
    // Under 1 MB on disk, so it goes to a worker, which once read all its 200 MiB into records (1.3 GB).
    const folder = path.join(dir, "with-workers");
    mkdirSync(folder);
    writeFileSync(path.join(folder, "a.json.gz"), gzipMembers(block, 50));
    writeFileSync(path.join(folder, "b.json"), line);
    const run = await s3guardMeasured(["scan", "--summary", "--workers", "2", folder]);
    expect(run.stderr).toMatch(/events: +204801 /);
    expect(run.code).toBe(0);
    expect(run.maxRssMb).toBeLessThan(300);
  });

  it("refuses a gzip bomb past S3GUARD_MAX_LOG_BYTES with a message, in bounded memory, and reads what precedes it", async () => {
    // 2 GiB once gunzipped; the limit stops it at 64 MiB.
    const file = write("bomb.json.gz", gzipMembers(block, 512));
    const run = await s3guardMeasured(["scan", "--summary", file], { S3GUARD_MAX_LOG_BYTES: "64MiB" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bomb.json.gz: larger than 64 MiB once gunzipped: reading stopped there");
    expect(run.stderr).toContain("set S3GUARD_MAX_LOG_BYTES to a larger size");
    expect(Number(/events: +(\d+)/.exec(run.stderr)?.[1])).toBeGreaterThan(60_000);
    expect(run.maxRssMb).toBeLessThan(250);
  });

  it("scans a gzip CloudTrail file of 100 MB of S3 data events with the bundled rules in bounded memory, on the product's Node", async () => {
    // Its first 32 MiB were once split at once into one batch of ~40,000 records for the stateful
    // rules: V8 then let the heap grow to a multiple of that (peak 570 MB on Node 22; 150-190 now).
    const file = path.join(dir, "data-events.json.gz");
    await writeCloudTrailGzip(file, 0, 120_000);
    const run = await s3guardMeasured(["scan", "--summary", file]);
    expect(run.node).toBe(PRODUCT_NODE_VERSION);
    expect(run.stderr).toMatch(/events: +120000 /);
    expect(run.code).toBe(0);
    expect(run.maxRssMb).toBeLessThan(300);
  });

  it("scans a folder of 12 MB CloudTrail files with the bundled rules in bounded memory, on the product's Node", async () => {
    // Each was once parsed whole: a live set of some 50 MB per file, from which V8 let the heap
    // grow past 400 MB. Inputs over 8 MiB of text are streamed now (170 MB).
    const folder = path.join(dir, "trail");
    mkdirSync(folder);
    for (let k = 0; k < 5; k++) await writeCloudTrailGzip(path.join(folder, `${k}.json.gz`), k * 15_000, 15_000);
    const run = await s3guardMeasured(["scan", "--summary", "--workers", "1", folder]);
    expect(run.node).toBe(PRODUCT_NODE_VERSION);
    expect(run.stderr).toMatch(/events: +75000 /);
    expect(run.code).toBe(0);
    expect(run.maxRssMb).toBeLessThan(300);
  });

  it("says how to write S3GUARD_MAX_LOG_BYTES when it is not a size", async () => {
    const run = await s3guard(["scan", "--rules", rules, "-"], "", { S3GUARD_MAX_LOG_BYTES: "lots" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('S3GUARD_MAX_LOG_BYTES="lots": must be a size in bytes, e.g. 1073741824, 512MiB or 2GiB');
  });
});
