import type { RulesFile } from "../../detector/src/engine";
import { invictusRecords, pantherTests } from "../../scripts/measure/datasets";
import { measureNoise } from "../../scripts/measure/noise";
import { measurePantherAgreement, normalisePantherEvent, PLACEHOLDER_TIME } from "../../scripts/measure/panther";
import { measureTechnique, measureTechniques, TECHNIQUE_SOURCES } from "../../scripts/measure/techniques";
import type { CloudTrailRecord, EvaluateAll } from "../../scripts/measure/types";
import { bundledRulesFiles, evaluatorOf } from "../support/bundledRules";
import { describeWithSharedData } from "../support/sharedData";

/** An evaluator that alerts with `rule`/`tags` on records whose eventName is `name`. */
function firesOn(name: string, rule: string, tags: string[]): EvaluateAll {
  return (records) => records.map((r) => (r.eventName === name ? [{ rule, tags }] : []));
}

describe("Panther event normalisation", () => {
  it("rewrites Panther's space-separated times as RFC 3339 UTC", () => {
    expect(normalisePantherEvent({ eventTime: "2021-05-20 15:53:47Z", eventType: "AwsApiCall" })).toEqual({
      record: { eventTime: "2021-05-20T15:53:47Z", eventType: "AwsApiCall" },
      changes: ["eventTime as RFC 3339"],
    });
    expect(normalisePantherEvent({ eventTime: "2021-05-20 15:53:47.123", eventType: "AwsApiCall" }).record.eventTime).toBe("2021-05-20T15:53:47.123Z");
  });

  it("leaves RFC 3339 times alone and fills what the engine needs where it is missing", () => {
    expect(normalisePantherEvent({ eventTime: "2021-05-20T15:53:47Z", eventType: "AwsApiCall" }).changes).toEqual([]);
    expect(normalisePantherEvent({ eventTime: "redacted" })).toEqual({
      record: { eventTime: PLACEHOLDER_TIME, eventType: "AwsApiCall" },
      changes: ["placeholder eventTime", "eventType AwsApiCall"],
    });
  });

  it("counts a test as agreeing when a mapped rule alerts exactly when Panther expects", () => {
    const tests = [
      { ruleId: "P.Stopped", testName: "stopped", expected: true, hasMocks: false, log: { eventName: "StopLogging", eventTime: "2021-05-20 15:53:47Z" } },
      { ruleId: "P.Stopped", testName: "started", expected: false, hasMocks: false, log: { eventName: "StartLogging", eventTime: "2021-05-20 15:53:47Z" } },
      { ruleId: "P.Stopped", testName: "odd", expected: true, hasMocks: true, log: { eventName: "Other", eventTime: "2021-05-20 15:53:47Z" } },
    ];
    const result = measurePantherAgreement(tests, (r) => firesOn("StopLogging", "Logging Stopped", [])([r])[0], [{ panther: "P.Stopped", ours: ["Logging Stopped"] }]);
    expect(result).toMatchObject({ tests: 3, agree: 2, normalised: { "eventTime as RFC 3339": 3, "eventType AwsApiCall": 3 } });
    expect(result.rows[0].disagreements).toEqual([{ test: "odd", expected: true, got: false, hasMocks: true, firedRules: [] }]);
  });
});

describe("technique and noise measurements", () => {
  const records: CloudTrailRecord[] = [
    { eventName: "StopLogging", userAgent: "stratus-red-team_1234" },
    { eventName: "StopLogging", userAgent: "terraform" },
    { eventName: "ListBuckets", userAgent: "aws-cli" },
  ];

  it("counts a technique as detected only by rules tagged with its MITRE id", () => {
    const source = TECHNIQUE_SOURCES[0];
    expect(measureTechnique(source, records, firesOn("StopLogging", "Stopped", [source.mitre]))).toMatchObject({ detected: true, detectingRules: ["Stopped"], alertedRecords: 2 });
    expect(measureTechnique(source, records, firesOn("StopLogging", "Untagged", ["T0000"]))).toMatchObject({ detected: false, otherRules: ["Untagged"] });
  });

  it("lists alerts on records without Stratus Red Team's user agent, by rule", () => {
    const noise = measureNoise(records, firesOn("StopLogging", "Stopped", []));
    expect(noise).toMatchObject({ records: 3, benignRecords: 2, attackAlerts: 1, benignAlerts: 1 });
    expect(noise.byRule).toEqual([{ rule: "Stopped", count: 1, examples: ["StopLogging (terraform)"] }]);
  });
});

describeWithSharedData("the bundled rules on real records", (dir) => {
  let files: RulesFile[];
  beforeAll(async () => {
    files = await bundledRulesFiles();
  });

  it("detect every Stratus Red Team S3/CloudTrail technique whose detonation is in the shared data, with a rule naming its MITRE id", () => {
    const results = measureTechniques(dir, evaluatorOf(files));
    const techniques = [...new Set(results.map((r) => r.source.technique))];
    expect(techniques.filter((t) => !results.some((r) => r.source.technique === t && r.detected))).toEqual([]);
  });

  it("fire on at most a handful of ordinary Invictus-IR records per rule, and every rule that does explains them", () => {
    const noise = measureNoise(invictusRecords(dir), evaluatorOf(files));
    for (const n of noise.byRule) expect([n.rule, n.count <= 5]).toEqual([n.rule, true]);
    const descs = new Map(files.flatMap((f) => [...f.content.matchAll(/^- rule: (.+)\n  desc: >\n((?: {4}.*\n)+)/gm)].map((m) => [m[1], m[2]] as const)));
    expect(noise.byRule.filter((n) => !/Invictus-IR/.test(descs.get(n.rule) ?? "")).map((n) => n.rule)).toEqual([]);
  });

  it("agree with Panther's labelled tests for the rules that mean the same, every disagreement explained", () => {
    const evaluateAll = evaluatorOf(files);
    const result = measurePantherAgreement(pantherTests(dir), (r) => evaluateAll([r])[0]);
    expect(result.tests).toBeGreaterThan(50);
    const unexplained = result.rows.flatMap((row) => row.disagreements.filter((d) => !d.explanation).map((d) => `${row.mapping.panther}: ${d.test}`));
    expect(unexplained).toEqual([]);
  });
});
