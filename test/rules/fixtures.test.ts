import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatReport, readFixtures, runRuleTests } from "../../detector/src/ruletest";
import { bundledRulesFiles, FIXTURES_DIR } from "../support/bundledRules";

const DETECTOR = path.resolve(__dirname, "..", "..", "detector", "bin", "s3guard.js");

describe("the bundled rules' fixtures", () => {
  it("all pass, and every rule has at least one", async () => {
    const fixtures = await readFixtures(FIXTURES_DIR);
    const report = await runRuleTests(await bundledRulesFiles(), fixtures.cases, fixtures.problems, { requireFixtures: true });
    if (!report.passed) throw new Error(`rule fixtures failed:\n${formatReport(report)}`);
    expect(report.results.length).toBeGreaterThan(0);
  });
});

describe("s3guard test", () => {
  const RULES = `- rule: Bucket Deleted
  desc: a bucket is deleted
  condition: ct.name = DeleteBucket
  output: deleted %s3.bucket
  priority: WARNING
  source: aws_cloudtrail
`;
  const CASE = (expect: string) => `- rule: Bucket Deleted
  description: DeleteBucket of b1
  source: written for this test
  expect: ${expect}
  events:
    - {eventTime: "2024-01-01T00:00:00Z", eventType: AwsApiCall, eventSource: s3.amazonaws.com, eventName: DeleteBucket, requestParameters: {bucketName: b1}}
`;
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3guard-rule-tests-"));
    fs.mkdirSync(path.join(dir, "tests", "deep", "er"), { recursive: true });
    fs.writeFileSync(path.join(dir, "rules.yaml"), RULES);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(...args: string[]) {
    return spawnSync(process.execPath, [DETECTOR, "test", ...args], { encoding: "utf8" });
  }

  it("exits 1 and names the failing case when a fixture fails", () => {
    fs.writeFileSync(path.join(dir, "tests", "deep", "er", "cases.yaml"), CASE("no_alert"));
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("FAIL Bucket Deleted");
    expect(r.stdout).toContain("expected: no alert; got 1");
    expect(r.stdout).toContain("deleted b1");
  });

  it("exits 0 when every fixture passes, finding fixtures at any depth under <rules>/tests", () => {
    fs.writeFileSync(path.join(dir, "tests", "deep", "er", "cases.yaml"), CASE("alert"));
    const r = run(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Bucket Deleted\s+\|\s+1 \|\s+1 \|\s+0/);
  });

  it("takes fixtures from --fixtures", () => {
    const elsewhere = path.join(dir, "elsewhere");
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, "cases.yml"), CASE("no_alert"));
    expect(run(path.join(dir, "rules.yaml"), "--fixtures", elsewhere).status).toBe(1);
  });

  it("exits 1 with --require-fixtures when a rule has no fixture", () => {
    fs.appendFileSync(path.join(dir, "rules.yaml"), RULES.replace("Bucket Deleted", "Bucket Created").replace("DeleteBucket", "CreateBucket"));
    fs.writeFileSync(path.join(dir, "tests", "cases.yaml"), CASE("alert"));
    expect(run(dir).status).toBe(0);
    const strict = run(dir, "--require-fixtures");
    expect(strict.status).toBe(1);
    expect(strict.stdout).toContain("FAIL: 1 rule(s) have no fixture");
  });

  it("exits 2 when the rules do not load", () => {
    fs.writeFileSync(path.join(dir, "rules.yaml"), RULES.replace("ct.name = DeleteBucket", "ct.name ="));
    fs.writeFileSync(path.join(dir, "tests", "cases.yaml"), CASE("alert"));
    const r = run(dir);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("The rules did not load");
  });

  it("explains itself with --help", () => {
    const r = run("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Usage: s3guard test [options] [RULES...]");
  });
});
