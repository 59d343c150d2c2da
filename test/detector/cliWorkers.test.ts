import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { s3guard } from "../support/cli";
import { s3 } from "../support/stateful";

/**
 * `s3guard scan --workers N` gives exactly the alerts of one worker: the same lines in the same
 * order, and the same summary, whatever state, repetitions and learned context the files carry
 * across their boundaries.
 */

const root = mkdtempSync(path.join(tmpdir(), "s3guard-cli-workers-"));
const dir = path.join(root, "logs");
mkdirSync(dir);
const write = (name: string, records: object[]) => writeFileSync(path.join(dir, name), gzipSync(JSON.stringify({ Records: records })));

const rules = path.join(root, "rules.yaml");
writeFileSync(
  rules,
  `
- rule: Deletion burst
  desc: many deletions by one principal in one bucket
  condition: ct.name = DeleteObject
  output: deletion burst in %s3.bucket by %ct.user (last %s3.key)
  priority: CRITICAL
  source: aws_cloudtrail
  threshold: {count: 5, window: 30m, group_by: [ct.user, s3.bucket]}
  suppress: {window: 20m, group_by: [ct.user]}

- rule: Many keys read
  desc: distinct keys read
  condition: ct.name = GetObject
  output: many keys of %s3.bucket read by %ct.user
  priority: WARNING
  source: aws_cloudtrail
  threshold: {count: 4, window: 10m, group_by: [ct.user, s3.bucket], distinct: s3.key}

- rule: Delete after reads
  desc: a deletion after many reads
  condition: ct.name = DeleteObject
  output: delete after reads by %ct.user of %s3.key
  priority: ERROR
  source: aws_cloudtrail
  sequence: {after: Many keys read, within: 30m, by: [ct.user, s3.bucket]}

- rule: Log bucket touched
  desc: a call on a bucket a trail was seen writing to
  condition: s3guard.log_bucket = true and ct.name = GetObject
  output: log bucket %s3.bucket read by %ct.user
  priority: NOTICE
  source: aws_cloudtrail
`,
);

// Seven files: state crossing every boundary, a follower delivered before the reads that complete
// it, a record delivered twice in different files, and a trail created in one file naming the
// bucket read in a later one.
const users = ["mallory", "trent", "peggy"];
const files: object[][] = [[], [], [], [], [], []];
let at = 0;
const repeated = s3({ name: "DeleteObject", user: "mallory", bucket: "vault", at: 5 });
files[0].push(repeated);
files[3].push(repeated);
for (let i = 0; i < 120; i++) {
  const user = users[i % 3];
  const name = i % 4 === 0 ? "DeleteObject" : "GetObject";
  files[Math.floor(i / 20)].push(s3({ name, user, bucket: i % 7 === 0 ? "audit-logs" : "vault", key: `k-${i % 9}`, at: (at += 17) }));
}
// The follower (a deletion) arrives in file 1; the reads that make its mark arrive later, in file 4.
files[1].unshift(s3({ name: "DeleteObject", user: "victor", bucket: "vault", at: 3000 }));
for (let k = 0; k < 5; k++) files[4].push(s3({ name: "GetObject", user: "victor", bucket: "vault", key: `v-${k}`, at: 2900 + k }));
files[2].push({
  eventVersion: "1.09",
  userIdentity: { type: "IAMUser", arn: "arn:aws:iam::123456789012:user/admin", accountId: "123456789012", userName: "admin" },
  eventTime: "2024-05-01T12:20:00Z",
  eventSource: "cloudtrail.amazonaws.com",
  eventName: "CreateTrail",
  awsRegion: "us-east-1",
  sourceIPAddress: "203.0.113.7",
  requestParameters: { name: "t", s3BucketName: "audit-logs" },
  eventID: "create-trail-1",
  eventType: "AwsApiCall",
  recipientAccountId: "123456789012",
});
files.forEach((records, i) => write(`part-${i}.json.gz`, records));
// A file too large to hand to a worker (over LOCAL_BYTES on disk) is read in the main thread,
// in its place in the order: its matches meet the state of the files around it.
const large: object[] = [];
for (let i = 0; large.length < 3500; i++) {
  large.push(s3({ name: i % 5 === 0 ? "DeleteObject" : "GetObject", user: users[i % 3], bucket: i % 11 === 0 ? "audit-logs" : "vault", key: `big-${i % 13}-${"x".repeat(300)}`, at: 1300 + i / 10 }));
}
writeFileSync(path.join(dir, "part-3-large.json"), JSON.stringify({ Records: large }));

const withoutRate = (stderr: string) => stderr.replace(/rate:.*\n/, "");

describe("s3guard scan --workers", () => {
  it("prints the alerts and summary of one worker, in the same order, with two or more", async () => {
    const one = await s3guard(["scan", "--rules", rules, "--rule-matching", "all", "--summary", "--workers", "1", dir]);
    expect(one.code).toBe(0);
    const alerts = one.stdout.trim().split("\n").map((l) => JSON.parse(l).rule as string);
    // The scenario reaches every kind of state and the learned log bucket.
    for (const rule of ["Deletion burst", "Many keys read", "Delete after reads", "Log bucket touched"]) expect(alerts).toContain(rule);
    expect(one.stderr).toContain("repeated: 1");
    for (const workers of ["2", "3"]) {
      const many = await s3guard(["scan", "--rules", rules, "--rule-matching", "all", "--summary", "--workers", workers, dir]);
      expect(many.code).toBe(0);
      expect(many.stdout).toBe(one.stdout);
      expect(withoutRate(many.stderr)).toBe(withoutRate(one.stderr));
    }
  });

  it("numbers events across the whole run (evt.num) as one worker does: such rules are evaluated in one thread", async () => {
    const numbered = path.join(root, "numbered.yaml");
    writeFileSync(numbered, `
- rule: Every deletion, numbered
  desc: each deletion with its number in the run
  condition: ct.name = DeleteObject
  output: deletion number %evt.num after %evt.reltime.s s by %ct.user
  priority: INFO
  source: aws_cloudtrail
`);
    const one = await s3guard(["scan", "--rules", numbered, "--workers", "1", dir]);
    const two = await s3guard(["scan", "--rules", numbered, "--workers", "2", dir]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("deletion number 2 ");
    expect(two.stdout).toBe(one.stdout);
  });

  it("refuses a count of workers that is not a whole number from 1", async () => {
    const r = await s3guard(["scan", "--workers", "0", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--workers must be a whole number from 1 to 256, not '0'");
  });
});
