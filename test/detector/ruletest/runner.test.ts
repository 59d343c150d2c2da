import type { RulesFile } from "../../../detector/src/engine";
import { formatReport, loadForTest, readFixtureText, runRuleTests, type FixtureCase, type RulesLoader } from "../../../detector/src/ruletest";

const RULES: RulesFile = {
  name: "rules.yaml",
  content: `
- rule: Bucket Deleted
  desc: a bucket is deleted
  condition: ct.name = DeleteBucket and not ct.error exists
  output: deleted %s3.bucket
  priority: WARNING
  source: aws_cloudtrail

- rule: Object Read
  desc: disabled by default
  condition: ct.name = GetObject
  output: read %s3.key
  priority: NOTICE
  source: aws_cloudtrail
  enabled: false
`,
};

function record(eventName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventTime: "2024-01-01T00:00:00Z", eventType: "AwsApiCall", eventSource: "s3.amazonaws.com", eventName, requestParameters: { bucketName: "b1", key: "k1" }, ...extra };
}

function testCase(rule: string, expect: FixtureCase["expect"], events: Record<string, unknown>[], description = "a case"): FixtureCase {
  return { file: "cases.yaml", index: 1, rule, description, source: "written for this test", expect, events };
}

describe("runRuleTests", () => {
  it("passes an alert case when the rule fires at least once", async () => {
    const report = await runRuleTests([RULES], [testCase("Bucket Deleted", { kind: "alert" }, [record("DeleteBucket"), record("DeleteBucket")])], []);
    expect(report.passed).toBe(true);
    expect(report.results[0]).toMatchObject({ count: 2, passed: true, messages: ["deleted b1", "deleted b1"] });
  });

  it("fails a no_alert case that alerts, keeping the alerts' messages", async () => {
    const report = await runRuleTests([RULES], [testCase("Bucket Deleted", { kind: "no_alert" }, [record("DeleteBucket")])], []);
    expect(report.passed).toBe(false);
    expect(report.results[0]).toMatchObject({ count: 1, passed: false, messages: ["deleted b1"] });
    expect(formatReport(report)).toContain("expected: no alert; got 1");
  });

  it("counts the rule's alerts over all events for an exact expectation", async () => {
    const events = [record("DeleteBucket"), record("DeleteBucket", { errorCode: "BucketNotEmpty" }), record("DeleteBucket")];
    expect((await runRuleTests([RULES], [testCase("Bucket Deleted", { kind: "count", count: 2 }, events)], [])).passed).toBe(true);
    expect((await runRuleTests([RULES], [testCase("Bucket Deleted", { kind: "count", count: 3 }, events)], [])).passed).toBe(false);
  });

  it("fails a case that names a rule which is not loaded", async () => {
    const report = await runRuleTests([RULES], [testCase("Bucket Removed", { kind: "no_alert" }, [record("DeleteBucket")])], []);
    expect(report.passed).toBe(false);
    expect(report.results[0].notes).toEqual(["no rule named 'Bucket Removed' is loaded"]);
    expect(report.rules.find((r) => r.rule === "Bucket Removed")).toMatchObject({ cases: 1, failed: 1, enabled: undefined });
  });

  it("enables a rule that is disabled by default for its own cases", async () => {
    const report = await runRuleTests([RULES], [testCase("Object Read", { kind: "alert" }, [record("GetObject")])], []);
    expect(report.passed).toBe(true);
    expect(report.rules.find((r) => r.rule === "Object Read")).toMatchObject({ enabled: false, passed: 1 });
  });

  it("loads a fresh ruleset for every case, so stateful rules start empty", async () => {
    const loads: number[] = [];
    const counting: RulesLoader = (files) => {
      loads.push(files.length);
      return loadForTest(files);
    };
    const cases = [testCase("Bucket Deleted", { kind: "alert" }, [record("DeleteBucket")]), testCase("Bucket Deleted", { kind: "no_alert" }, [record("CreateBucket")])];
    await runRuleTests([RULES], cases, [], { loader: counting });
    expect(loads).toEqual([1, 1, 1]);
  });

  it("fails a case whose record the engine would not evaluate, and says why", async () => {
    const report = await runRuleTests([RULES], [testCase("Bucket Deleted", { kind: "no_alert" }, [record("DeleteBucket", { eventTime: "2024-01-01 00:00:00Z" })])], []);
    expect(report.passed).toBe(false);
    expect(report.results[0].notes[0]).toMatch(/^event 1 was not evaluated: eventTime '2024-01-01 00:00:00Z' is not RFC 3339/);
  });

  it("lists rules without fixtures, and fails on them only when fixtures are required", async () => {
    const cases = [testCase("Bucket Deleted", { kind: "alert" }, [record("DeleteBucket")])];
    const lenient = await runRuleTests([RULES], cases, []);
    expect(lenient.untested).toEqual(["Object Read"]);
    expect(lenient.passed).toBe(true);
    expect(formatReport(lenient)).toContain("warning: 1 rule(s) have no fixture");
    expect((await runRuleTests([RULES], cases, [], { requireFixtures: true })).passed).toBe(false);
  });

  it("fails the run on a fixture that cannot be read, counting it against the rule it names", async () => {
    const { problems } = readFixtureText("broken.yaml", "- {rule: Bucket Deleted, description: d, expect: alert, events: []}\n");
    const report = await runRuleTests([RULES], [], problems);
    expect(report.passed).toBe(false);
    expect(report.rules.find((r) => r.rule === "Bucket Deleted")).toMatchObject({ cases: 1, failed: 1 });
    expect(formatReport(report)).toContain("FAIL broken.yaml:1 (case 1) [Bucket Deleted]: 'source' must say where the records come from");
  });

  it("runs nothing when the rules do not load", async () => {
    const broken: RulesFile = { name: "broken.yaml", content: "- rule: X\n  desc: d\n  condition: ct.name =\n  output: o\n  priority: WARNING\n  source: aws_cloudtrail\n" };
    const report = await runRuleTests([broken], [testCase("X", { kind: "alert" }, [record("DeleteBucket")])], []);
    expect(report).toMatchObject({ loaded: false, passed: false, results: [] });
    expect(formatReport(report)).toMatch(/^The rules did not load; no fixture was run\./);
  });

  it("prints one table row per rule: rule | cases | passed | failed", async () => {
    const report = await runRuleTests([RULES], [testCase("Bucket Deleted", { kind: "alert" }, [record("DeleteBucket")])], []);
    const table = formatReport(report).split("\n").slice(0, 4);
    expect(table[0]).toMatch(/^rule\s+\| cases \| passed \| failed$/);
    expect(table[2]).toMatch(/^Bucket Deleted\s+\|\s+1 \|\s+1 \|\s+0$/);
    expect(table[3]).toMatch(/^Object Read \(disabled by default\)\s+\|\s+0 \|\s+0 \|\s+0$/);
  });
});
