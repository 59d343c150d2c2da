import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { s3guard } from "../support/cli";
import { s3 } from "../support/stateful";

/** `s3guard scan` and `s3guard validate` with stateful rules. */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-cli-stateful-"));
const write = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const rules = write(
  "stateful.yaml",
  `
- rule: Any S3 call
  desc: anything on S3
  condition: ct.src = s3.amazonaws.com
  output: s3 call %ct.name
  priority: DEBUG
  source: aws_cloudtrail
- rule: Mass deletion
  desc: many deletions by one principal in one bucket
  condition: ct.name = DeleteObject
  output: mass deletion in %s3.bucket by %ct.user
  priority: CRITICAL
  source: aws_cloudtrail
  threshold: {count: 3, window: 10m, group_by: [ct.user, s3.bucket]}
`,
);
const records = [0, 60, 120].map((at) => s3({ at, user: "mallory", bucket: "vault" }));
// Delivered out of order, one record twice, across two files.
const first = write("first.json", JSON.stringify({ Records: [records[2], records[0]] }));
const second = write("second.json", JSON.stringify({ Records: [records[0], records[1]] }));

describe("s3guard scan with stateful rules", () => {
  it("prints the crossing alert with its details, once, after Falco's first-match alerts", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--summary", first, second]);
    expect(r.code).toBe(0);
    const alerts = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    // The record given twice is evaluated once: three single-event alerts, not four.
    expect(alerts.map((a) => a.rule)).toEqual(["Any S3 call", "Any S3 call", "Any S3 call", "Mass deletion"]);
    const crossing = alerts[3];
    expect(crossing.output).toBe("2024-05-01T12:01:00.000000000+0000: Critical mass deletion in vault by mallory");
    expect(crossing.details.threshold).toEqual({
      count: 3,
      threshold: 3,
      window: "10m",
      first: "2024-05-01T12:00:00.000000000Z",
      last: "2024-05-01T12:02:00.000000000Z",
      sampleEventIds: records.map((x) => x.eventID),
      group: { "ct.user": "mallory", "s3.bucket": "vault" },
    });
    expect(r.stderr).toContain("repeated: 1 (records whose eventID was already evaluated: evaluated once)");
    expect(r.stderr).toContain("stateful: state in memory; 1 alerts, 0 matches counted into earlier alerts, 0 repeated records counted once, 0 live groups evicted to stay within memory");
  });
});

describe("s3guard validate with stateful rules", () => {
  it("loads them, and reports a bad key with its file, rule and line", async () => {
    expect((await s3guard(["validate", rules])).code).toBe(0);
    const bad = write("bad.yaml", `- rule: r\n  desc: d\n  condition: ct.name = X\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n  suppress: {window: 90 minutes}\n`);
    const r = await s3guard(["validate", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:7: rule 'r': Invalid suppress.window '90 minutes': write a whole number followed by s, m, h or d (30s, 10m, 1h, 1d) [LOAD_ERR_YAML_VALIDATE]`);
  });
});
