import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { s3guard } from "../support/cli";
import { baseEvent } from "../support/events";

/** The `s3guard` command as users run it: `s3guard scan|validate ...` (DESIGN.md contracts). */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-cli-"));
const write = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const rules = write(
  "rules.yaml",
  `
- rule: Bucket created
  desc: a bucket was created
  condition: ct.name = CreateBucket and not ct.error exists
  output: bucket %s3.bucket created by %ct.user
  priority: NOTICE
  source: aws_cloudtrail
  tags: [aws, aws_s3]
- rule: Any S3 call
  desc: anything on S3
  condition: ct.src = s3.amazonaws.com
  output: s3 call %ct.name
  priority: DEBUG
  source: aws_cloudtrail
`,
);
const E1 = baseEvent("E1");
// E2 is E1 denied; as its own request it has its own eventID (a record whose eventID was evaluated is not evaluated again).
const E2 = { ...baseEvent("E2"), eventID: "EVT124" };
const logFile = write("log.json.gz", gzipSync(JSON.stringify({ Records: [E1, E2] })));

describe("s3guard scan", () => {
  it("prints one Falco JSON alert per line for the first matching rule", async () => {
    const r = await s3guard(["scan", "--rules", rules, logFile]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((a) => a.rule)).toEqual(["Bucket created", "Any S3 call"]);
    expect(lines[0]).toMatchObject({
      hostname: "cli-test",
      output: "2024-05-01T12:00:00.000000000+0000: Notice bucket my-bucket created by Alice",
      output_fields: { "ct.user": "Alice", "s3.bucket": "my-bucket", "evt.time.iso8601": 1714564800000000000 },
      priority: "Notice",
      source: "aws_cloudtrail",
      tags: ["aws", "aws_s3"],
      time: "2024-05-01T12:00:00.000000000Z",
    });
  });

  it("reports every matching rule with --rule-matching all, and text with --format text", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--rule-matching", "all", "--format", "text", logFile]);
    expect(r.stdout.trim().split("\n")).toEqual([
      "2024-05-01T12:00:00.000000000+0000: Notice bucket my-bucket created by Alice",
      "2024-05-01T12:00:00.000000000+0000: Debug s3 call CreateBucket",
      "2024-05-01T12:00:00.000000000+0000: Debug s3 call DeleteBucket",
    ]);
  });

  it("reads stdin as '-', and prints a summary on stderr with --summary", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--summary", "-"], JSON.stringify(E1) + "\n" + JSON.stringify(E2) + "\n");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
    expect(r.stderr).toMatch(/events: +2 \(0 skipped/);
    expect(r.stderr).toMatch(/alerts: +2/);
    expect(r.stderr).toMatch(/1 +Bucket created/);
    expect(r.stderr).toMatch(/events\/s/);
  });

  it("exits 1 naming each unreadable input, after scanning the others", async () => {
    const bad = write("bad.json", '{"Records":[{"eventName":"x"}, 12');
    const r = await s3guard(["scan", "--rules", rules, path.join(dir, "missing.json"), bad, logFile]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${path.join(dir, "missing.json")}: cannot read: no such file or directory`);
    expect(r.stderr).toContain(`error: ${bad}: `);
    expect(r.stdout.trim().split("\n")).toHaveLength(2);
  });

  it("exits 2 and scans nothing when the rules do not load", async () => {
    const broken = write("broken.yaml", "- rule: r\n  desc: d\n  condition: ct.name = (\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n");
    const r = await s3guard(["scan", "--rules", broken, logFile]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`error: ${broken}:3: rule 'r': condition at line 1, column 11:`);
  });

  it("loads a rules folder's own yaml files in name order, not its subfolders", async () => {
    const rulesDir = mkdtempSync(path.join(tmpdir(), "s3guard-rules-"));
    writeFileSync(path.join(rulesDir, "b.yaml"), "- rule: r\n  desc: d\n  condition: ct.name in (names)\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n");
    writeFileSync(path.join(rulesDir, "a.yml"), "- list: names\n  items: [CreateBucket]\n");
    require("node:fs").mkdirSync(path.join(rulesDir, "tests"));
    writeFileSync(path.join(rulesDir, "tests", "fixture.yaml"), "not: rules");
    const r = await s3guard(["scan", "--rules", rulesDir, logFile]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("prints numbers as the log file wrote them", async () => {
    const text = JSON.stringify({ Records: [{ ...E1, additionalEventData: { bytesTransferredOut: 0 } }] }).replace('"bytesTransferredOut":0', '"bytesTransferredOut":2048.0');
    const numbers = write("numbers.yaml", "- rule: r\n  desc: d\n  condition: ct.name exists\n  output: out=%json.value[/additionalEventData/bytesTransferredOut] all=%ct.additionaleventdata bytes=%s3.bytes\n  priority: INFO\n  source: aws_cloudtrail\n");
    for (const file of [write("numbers.json", text), write("numbers.json.gz", gzipSync(text))]) {
      const r = await s3guard(["scan", "--rules", numbers, "--format", "text", file]);
      expect(r.stdout).toContain('out=2048.0 all={"bytesTransferredOut":2048.0} bytes=2048');
    }
  });

  it("rejects bad options in a short message that points to the help", async () => {
    const r = await s3guard(["scan", "--format", "xml", logFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("s3guard scan: --format must be json or text, not 'xml'\nRun 's3guard scan --help' for its options.\n");
    expect((await s3guard(["scan", "--nope", logFile])).code).toBe(2);
  });
});

describe("s3guard validate", () => {
  it("exits 0 and says what loaded", async () => {
    const r = await s3guard(["validate", rules]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("OK: 1 file(s), 2 CloudTrail rules (2 enabled), 0 warning(s)\n");
  });

  it("exits non-zero with the file, item and position of the first error", async () => {
    const bad = write("bad-rules.yaml", "- macro: m\n  condition: ct.name = X\n- rule: r\n  desc: d\n  condition: m and ct.nosuch = 1\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n");
    const r = await s3guard(["validate", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${bad}:5: rule 'r': condition at line 1, column 7: filter_check called with nonexistent field ct.nosuch ('s3guard fields' lists every field) [LOAD_ERR_COMPILE_CONDITION]`);
  });

  it("writes warnings to stderr, and the whole result as JSON with --json", async () => {
    const warn = write("warn.yaml", "- rule: r\n  desc: d\n  condition: ct.name exists\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n  typo: 1\n");
    const r = await s3guard(["validate", warn]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Unknown key 'typo'");
    const j = JSON.parse((await s3guard(["validate", "--json", warn])).stdout);
    expect(j).toMatchObject({ ok: true, rules: { rules: 1 }, errors: [], warnings: [{ code: "LOAD_UNKNOWN_KEY" }] });
  });
});

describe("s3guard --help", () => {
  it.each([[["--help"]], [["scan", "--help"]], [["validate", "--help"]], [["help", "scan"]]])("%j prints usage", async (args) => {
    const r = await s3guard(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: s3guard/);
  });
});
