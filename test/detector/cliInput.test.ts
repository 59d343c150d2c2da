import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { s3guard } from "../support/cli";
import { baseEvent } from "../support/events";

/** Wrong input is never silent: every input that yields no evaluable record is named, with why. */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-input-"));
const write = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const rules = write(
  "rules.yaml",
  "- rule: Bucket created\n  desc: d\n  condition: ct.name = CreateBucket\n  output: bucket %s3.bucket created by %ct.user\n  priority: WARNING\n  source: aws_cloudtrail\n",
);
const E1 = baseEvent("E1");
const trail = write("trail.json", JSON.stringify({ Records: [E1] }));
const foreign = write("package.json", JSON.stringify({ name: "not-a-log", version: "1.0.0" }));
const untimed: Record<string, unknown> = { ...E1, eventID: "EXPORTED-1" };
delete untimed.eventTime;
const noTime = write("export.json", JSON.stringify([untimed, { ...untimed, eventID: "EXPORTED-2" }]));
const empty = write("empty.json", "");

describe("s3guard scan of wrong input", () => {
  it("exits 2 naming a JSON file that is not CloudTrail", async () => {
    const r = await s3guard(["scan", "--rules", rules, foreign]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`error: ${foreign}: no record evaluated: 1 of 1 record(s) not CloudTrail JSON`);
    expect(r.stderr).toContain("no CloudTrail record was evaluated");
  });

  it("names records without eventTime and an empty file, without --summary", async () => {
    const r = await s3guard(["scan", "--rules", rules, noTime, empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${noTime}: no record evaluated: 2 of 2 record(s) without eventTime`);
    expect(r.stderr).toContain(`error: ${empty}: no record evaluated: it holds no records`);
  });

  it("scans the good inputs beside a wrong one, and exits 1", async () => {
    const r = await s3guard(["scan", "--rules", rules, foreign, trail]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).rule).toBe("Bucket created");
    expect(r.stderr).toContain(`error: ${foreign}: no record evaluated`);
    expect(r.stderr).not.toContain(trail);
  });

  it("names a file in which only some records were evaluated, as a warning", async () => {
    const mixed = write("mixed.json", JSON.stringify({ Records: [E1, untimed] }));
    const r = await s3guard(["scan", "--rules", rules, mixed]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: ${mixed}: not every record evaluated: 1 of 2 record(s) without eventTime (CloudTrail records carry one; exports from other tools may drop it)\n`);
  });

  it("counts CloudTrail digest and Insights files in one note, not as errors", async () => {
    const digest = write("digest.json", JSON.stringify({ awsAccountId: "111122223333", digestStartTime: "2024-05-01T11:00:00Z", digestEndTime: "2024-05-01T12:00:00Z", logFiles: [] }));
    const insights = write("insights.json", JSON.stringify({ Records: [{ ...E1, eventID: "INSIGHT-1", eventType: "AwsCloudTrailInsight" }] }));
    const r = await s3guard(["scan", "--rules", rules, digest, insights, trail]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("note: 1 CloudTrail digest file(s) (hashes of log files) and 1 CloudTrail Insights file(s) skipped: they hold no events the rules evaluate\n");
  });
});

describe("s3guard scan when the state table fails", () => {
  it("says so once, not that the inputs hold no records, and exits 1", async () => {
    const stateful = write("threshold.yaml", "- rule: Deletions\n  desc: d\n  condition: ct.name = DeleteObject\n  output: o\n  priority: CRITICAL\n  source: aws_cloudtrail\n  threshold: {count: 3, window: 10m, group_by: [ct.user]}\n");
    // Nothing listens on port 9: every call to the table is refused at once.
    const env = { S3GUARD_STATE_TABLE: "t", AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9", AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "x", AWS_SECRET_ACCESS_KEY: "x", AWS_MAX_ATTEMPTS: "1" };
    const deletion = write("deletion.json", JSON.stringify({ Records: [{ ...E1, eventName: "DeleteObject", eventID: "DELETE-1" }] }));
    const r = await s3guard(["scan", "--rules", stateful, deletion], undefined, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: state (DynamoDB table t):");
    expect(r.stderr).not.toContain("no record evaluated");
  });
});

describe("s3guard scan of lookup-events output", () => {
  it("evaluates the records inside CloudTrailEvent as the trail's own", async () => {
    const lookup = write("lookup.json", JSON.stringify({ Events: [{ EventId: E1.eventID, EventName: E1.eventName, CloudTrailEvent: JSON.stringify(E1) }] }, null, 4));
    const fromTrail = await s3guard(["scan", "--rules", rules, trail]);
    const r = await s3guard(["scan", "--rules", rules, lookup]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(fromTrail.stdout);
    expect(JSON.parse(r.stdout).output_fields["s3.bucket"]).toBe("my-bucket");
  });
});

describe("rules in which no rule applies to CloudTrail", () => {
  const syscall = write("syscall.yaml", "- rule: Shell\n  desc: d\n  condition: proc.name = bash\n  output: shell\n  priority: WARNING\n");
  const listsOnly = write("lists.yaml", "- list: buckets\n  items: [a, b]\n");

  it("fail validate, naming the files", async () => {
    for (const file of [syscall, listsOnly]) {
      const r = await s3guard(["validate", file]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`error: ${file}: no rule applies to CloudTrail`);
    }
    const json = JSON.parse((await s3guard(["validate", "--json", syscall])).stdout);
    expect(json).toMatchObject({ ok: false, errors: [{ code: "LOAD_ERR_NO_CLOUDTRAIL_RULE" }] });
  });

  it("stop a scan before it starts", async () => {
    const r = await s3guard(["scan", "--rules", syscall, trail]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no rule applies to CloudTrail; 1 rule(s) of other sources were skipped");
  });
});
