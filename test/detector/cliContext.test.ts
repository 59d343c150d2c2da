import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { s3guard } from "../support/cli";
import { baseEvent } from "../support/events";

/**
 * `s3guard scan` and the deployment: each event once however often it is delivered, the context
 * file with --context, and the log bucket learned from the trail's own records.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "s3guard-context-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (i: number) => `2024-05-01T12:${String(i).padStart(2, "0")}:00Z`;

const call = (i: number, eventName: string, requestParameters: object, extra: object = {}) => ({
  ...baseEvent("E1"),
  eventID: `evt-${i}`,
  eventTime: at(i),
  eventName,
  requestParameters,
  ...extra,
});

const createTrail = (i: number, bucket: string) =>
  call(i, "CreateTrail", { name: "org-trail", s3BucketName: bucket }, { eventSource: "cloudtrail.amazonaws.com" });
const bucketPolicy = (i: number, bucket: string) => call(i, "PutBucketPolicy", { bucketName: bucket, bucketPolicy: { Version: "2012-10-17", Statement: [] } });
const deletion = (i: number, bucket: string) => call(i, "DeleteObjects", { bucketName: bucket, delete: "" });

function logFile(name: string, records: object[]): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ Records: records }));
  return file;
}

const rulesOf = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l).rule as string);

describe("each event once", () => {
  it("evaluates a record once when two trails delivered it, and says so in the summary", async () => {
    const records = [deletion(1, "finance-records"), deletion(2, "finance-records"), bucketPolicy(3, "finance-records")];
    logFile("two-trails/trail-a/file.json", records);
    logFile("two-trails/trail-b/file.json", records);
    const r = await s3guard(["scan", "--rule-matching", "all", "--summary", path.join(dir, "two-trails")]);
    expect(r.code).toBe(0);
    expect(rulesOf(r.stdout).filter((n) => n === "S3 Objects Deleted in Batch")).toHaveLength(2);
    expect(r.stderr).toContain("events:   3 ");
    expect(r.stderr).toContain("repeated: 3 (records whose eventID was already evaluated: evaluated once)");
  });

  it("counts a repeated record once in stateful rules too: twenty denials delivered twice are not forty", async () => {
    const denied = Array.from({ length: 19 }, (_, i) => call(i, "GetObject", { bucketName: "finance-records", key: `k${i}` }, { errorCode: "AccessDenied", eventSource: "s3.amazonaws.com" }));
    logFile("denied/a.json", denied);
    logFile("denied/b.json", denied);
    const r = await s3guard(["scan", "--rule-matching", "all", path.join(dir, "denied")]);
    expect(rulesOf(r.stdout)).not.toContain("S3 Access Denied Burst");
  });

  it("evaluates records without an eventID every time", async () => {
    const noId = { ...deletion(1, "finance-records") } as Record<string, unknown>;
    delete noId.eventID;
    const file = logFile("no-id.json", [noId, noId]);
    const r = await s3guard(["scan", "--rule-matching", "all", file]);
    expect(rulesOf(r.stdout).filter((n) => n === "S3 Objects Deleted in Batch")).toHaveLength(2);
  });
});

describe("the log bucket", () => {
  const RULE = "CloudTrail Log Bucket Policy or Lifecycle Changed";

  it("is learned from the CreateTrail among the records, without any configuration", async () => {
    const file = logFile("learned.json", [bucketPolicy(1, "acme-audit-2024"), createTrail(2, "acme-audit-2024"), bucketPolicy(3, "acme-audit-2024")]);
    const r = await s3guard(["scan", "--rule-matching", "all", "--summary", file]);
    // Before the trail named it, the bucket was just a bucket.
    expect(rulesOf(r.stdout).filter((n) => n === RULE)).toHaveLength(1);
    expect(JSON.parse(r.stdout.trim().split("\n").find((l) => l.includes(RULE)) as string).output_fields["ct.id"]).toBe("evt-3");
    expect(r.stderr).toContain("log buckets learned from CreateTrail/UpdateTrail: acme-audit-2024");
  });

  it("comes from the deployment's context file with --context, wherever it is given", async () => {
    const context = path.join(dir, "s3guard-context.yaml");
    writeFileSync(context, "- list: s3guard_cloudtrail_log_buckets\n  items: [acme-audit-logs]\n  override: {items: append}\n");
    const file = logFile("context.json", [bucketPolicy(1, "acme-audit-logs")]);
    const without = await s3guard(["scan", "--rule-matching", "all", file]);
    expect(rulesOf(without.stdout)).not.toContain(RULE);
    const withContext = await s3guard(["scan", "--context", context, "--rule-matching", "all", file]);
    expect(withContext.code).toBe(0);
    expect(rulesOf(withContext.stdout)).toContain(RULE);
  });

  it("refuses a folder or a missing file as --context, saying what it takes", async () => {
    const folder = await s3guard(["scan", "--context", dir, path.join(dir, "context.json")]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain("--context takes a file (context/s3guard-context.yaml from the rules bucket), not a folder");
    const missing = await s3guard(["scan", "--context", path.join(dir, "nope.yaml"), path.join(dir, "context.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such context file");
  });
});

describe("a trail deployed to record data events only", () => {
  const dataOnly = (i: number) =>
    call(
      i,
      "PutEventSelectors",
      {
        trailName: "acme-audit-trail",
        advancedEventSelectors: [
          { name: "S3 object writes on watched buckets", fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }] },
        ],
      },
      { eventSource: "cloudtrail.amazonaws.com" },
    );

  it("is not a narrowing when the context names it, as the program does beside an existing trail", async () => {
    const file = logFile("data-only/file.json", [dataOnly(1)]);
    const without = await s3guard(["scan", "--rule-matching", "all", file]);
    expect(rulesOf(without.stdout)).toContain("CloudTrail Event Selectors Narrowed");
    const context = path.join(dir, "data-only-context.yaml");
    writeFileSync(context, '- list: s3guard_data_only_trails\n  items: ["acme-audit-trail"]\n  override: {items: append}\n');
    const withContext = await s3guard(["scan", "--context", context, "--rule-matching", "all", file]);
    expect(withContext.code).toBe(0);
    expect(rulesOf(withContext.stdout)).not.toContain("CloudTrail Event Selectors Narrowed");
  });
});
