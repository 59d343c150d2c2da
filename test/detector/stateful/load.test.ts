import { loadRules, loadStatefulRules } from "../../../detector/src";
import { alertsOf, s3, statefulRules } from "../../support/stateful";

/** The stateful keys at load time: checked like conditions, and harmless to a plain Falco. */

const rule = (keys: string, name = "Mass deletion", extra = "") => `- rule: ${name}
  desc: many deletions
  condition: ct.name = DeleteObject
  output: deleted by %ct.user
  priority: WARNING
  source: aws_cloudtrail
${extra}${keys}
`;
const load = (content: string) => loadStatefulRules([{ name: "rules/x.yaml", content }]);
const firstError = (content: string) => {
  const r = load(content);
  expect(r.ok).toBe(false);
  return r.errors[0];
};

describe("loading stateful keys", () => {
  it("names the rule, the key and the value of a bad window, with the line", () => {
    const e = firstError(rule("  threshold: {count: 50, window: 10min, group_by: [ct.user.arn]}"));
    expect(e.text).toBe(
      "rules/x.yaml:7: rule 'Mass deletion': Invalid threshold.window '10min': write a whole number followed by s, m, h or d (30s, 10m, 1h, 1d) [LOAD_ERR_YAML_VALIDATE]",
    );
    for (const bad of ["10", "1.5h", "0m", "-1m", "1w", "''"]) {
      expect(firstError(rule(`  suppress: {window: ${bad}}`)).message).toMatch(/^Invalid suppress\.window '.*': write a whole number/);
    }
    expect(firstError(rule("  sequence: {after: Mass deletion, within: 8d}", "Other", "") + rule("", "Mass deletion")).message).toBe(
      "sequence.within '8d' is longer than the longest window, 7d",
    );
  });

  it("accepts windows in seconds, minutes, hours and days", () => {
    for (const w of ["30s", "10m", "1h", "1d", "7d"]) expect(load(rule(`  suppress: {window: ${w}}`)).ok).toBe(true);
  });

  it("reports an unknown field as a condition would: code, position and caret", () => {
    const e = firstError(rule("  threshold:\n    count: 50\n    window: 10m\n    group_by: [ct.user.arn, s3.buckett]"));
    expect(e.code).toBe("LOAD_ERR_COMPILE_CONDITION");
    expect(e.location).toMatchObject({ file: "rules/x.yaml", line: 10, itemKind: "rule", itemName: "Mass deletion" });
    expect(e.text).toBe(
      "rules/x.yaml:10: rule 'Mass deletion': threshold at line 1, column 1: threshold.group_by: filter_check called with nonexistent field s3.buckett (did you mean \"s3.bucket\"?) [LOAD_ERR_COMPILE_CONDITION]\n    s3.buckett\n    ^",
    );
    expect(firstError(rule("  threshold: {count: 5, window: 10m, distinct: 's3.key x'}")).message).toBe("threshold.distinct: unexpected text after the field 's3.key'");
    expect(firstError(rule("  sequence: {after: Mass deletion, within: 1h, by: ['json.value']}", "Other") + rule("", "Mass deletion")).message).toBe(
      "sequence.by: filter 'json.value': json.value requires an argument but none provided",
    );
  });

  it("reports a sequence that follows an unknown rule, or itself", () => {
    const unknown = firstError(rule("  sequence: {after: Bulk download, within: 1h}"));
    expect(unknown.code).toBe("LOAD_ERR_VALIDATE");
    expect(unknown.message).toBe("sequence.after names 'Bulk download', but no CloudTrail rule by that name is loaded");
    expect(firstError(rule("  sequence: {after: [Mass deletion], within: 1h}")).message).toBe(
      "sequence.after names the rule itself; use threshold to count repeated matches",
    );
  });

  it("reports sequences that follow each other in a cycle, at the first one's sequence key", () => {
    const e = firstError(rule("  sequence: {after: B, within: 1h}", "A") + rule("  sequence: {after: C, within: 1h}", "B") + rule("  sequence: {after: A, within: 1h}", "C"));
    expect(e.code).toBe("LOAD_ERR_VALIDATE");
    expect(e.message).toBe("sequence.after makes a cycle (A -> B -> C -> A): a sequence cannot follow a rule that follows it");
    expect(e.location).toMatchObject({ file: "rules/x.yaml", line: 7, itemName: "A" });
  });

  it("reports unknown, missing and malformed keys", () => {
    expect(firstError(rule("  threshold: {count: 50, window: 10m, groupby: [ct.user]}")).message).toBe(
      "Unknown key 'groupby' in threshold. Allowed keys are: count, window, group_by, distinct",
    );
    expect(firstError(rule("  threshold: {window: 10m}")).message).toBe("threshold has no 'count'");
    expect(firstError(rule("  threshold: 50")).message).toBe("threshold must be a mapping with the keys count, window, group_by, distinct");
    expect(firstError(rule("  threshold: {count: 0, window: 10m}")).message).toBe("threshold.count must be a whole number from 1 to 1000, not '0'");
    expect(firstError(rule("  threshold: {count: 5000, window: 10m}")).message).toBe("threshold.count must be a whole number from 1 to 1000, not '5000'");
    expect(firstError(rule("  suppress: {window: 1h, group_by: s3.bucket}")).message).toBe(
      "suppress.group_by must be a list of fields, such as [ct.user.arn, s3.bucket]",
    );
    expect(firstError(rule("  suppress: {window: 1h, group_by: [s3.bucket, s3.bucket]}")).message).toBe("suppress.group_by names 's3.bucket' twice");
  });

  it("checks the keys of disabled rules too", () => {
    expect(firstError(rule("  threshold: {count: 5, window: 5}", "Mass deletion", "  enabled: false\n")).message).toMatch(/^Invalid threshold\.window '5'/);
  });

  it("keeps the file loadable by a plain Falco: the keys are unknown keys, with a warning", () => {
    const content = rule("  threshold: {count: 50, window: 10m}\n  suppress: {window: 1h}");
    const plain = loadRules([{ name: "x.yaml", content }]);
    expect(plain.ok).toBe(true);
    expect(plain.warnings.map((w) => [w.code, w.message])).toEqual([
      ["LOAD_UNKNOWN_KEY", "Unknown key 'threshold'. The key will be ignored."],
      ["LOAD_UNKNOWN_KEY", "Unknown key 'suppress'. The key will be ignored."],
    ]);
    expect(load(content).warnings).toEqual([]);
  });

  it("lets an override replace a stateful key", async () => {
    const base = rule("  threshold: {count: 50, window: 10m}");
    const override = `- rule: Mass deletion
  threshold: {count: 2, window: 10m}
  override: {threshold: replace}
`;
    const stateful = statefulRules(base + override);
    expect(await alertsOf(stateful, [s3({ at: 0 }), s3({ at: 1 })])).toHaveLength(1);
  });
});
