import { parseCondition } from "../../detector/src/engine/condition/parser";
import { requiredEventNames, requiredEventSources } from "../../detector/src/engine/condition/eventNames";
import { loaded, rule } from "../support/engine";
import { baseEvent } from "../support/events";

/**
 * Rules are indexed by the event names and sources their conditions require: an event meets only
 * the rules that can match it. The index must never change what alerts, nor in what order.
 */

const sorted = (s: Set<string> | undefined) => (s ? [...s].sort() : undefined);

describe("what a condition requires", () => {
  it("reads names and sources from = and in, through and and or", () => {
    const src = (c: string) => sorted(requiredEventSources(parseCondition(c)));
    expect(src("ct.src = s3.amazonaws.com")).toEqual(["s3.amazonaws.com"]);
    expect(src("ct.src in (s3.amazonaws.com, kms.amazonaws.com) and ct.name = X")).toEqual(["kms.amazonaws.com", "s3.amazonaws.com"]);
    expect(src("json.value[/eventSource] = s3.amazonaws.com or jevt.value[eventSource] = iam.amazonaws.com")).toEqual(["iam.amazonaws.com", "s3.amazonaws.com"]);
    expect(src("ct.src in (a, b) and ct.src in (b, c)")).toEqual(["b"]);
    expect(sorted(requiredEventNames(parseCondition("ct.name = GetObject and ct.src = s3.amazonaws.com")))).toEqual(["GetObject"]);
  });

  it("requires nothing where any source could match", () => {
    for (const c of ["not ct.src = s3.amazonaws.com", "ct.src = a or ct.name = X", "ct.src != a", "tolower(ct.src) = a", "ct.src startswith s3", "ct.shortsrc = s3"]) {
      expect([c, requiredEventSources(parseCondition(c))]).toEqual([c, undefined]);
    }
  });
});

describe("evaluating with the index", () => {
  const E1 = baseEvent("E1");
  const conditions: [string, string][] = [
    ["s3 only", "ct.src = s3.amazonaws.com"],
    ["any", "ct.name exists"],
    ["s3 bucket calls", "ct.name in (CreateBucket, GetObject) and ct.src = s3.amazonaws.com"],
    ["empty source", "ct.src = ''"],
    ["iam or s3", "ct.src in (iam.amazonaws.com, s3.amazonaws.com) or json.value[/eventSource] = kms.amazonaws.com"],
    ["kms", "json.value[/eventSource] = kms.amazonaws.com"],
  ];
  const items = conditions.map(([name, condition]) => ({ ...(rule(condition) as object), rule: name }));
  const ruleset = loaded(items, { ruleMatching: "all" });
  const firstOnly = loaded(items);
  // Each condition alone, where no index can apply (an `or` with a check of another field that never holds).
  const alone = conditions.map(([name, condition]) => ({ name, ruleset: loaded([rule(`(${condition}) or ct.useragent = never-an-agent`)]) }));

  it.each([
    ["s3", "s3.amazonaws.com"],
    ["iam", "iam.amazonaws.com"],
    ["kms", "kms.amazonaws.com"],
    ["a number", 5],
    ["an object", { a: 1 }],
    ["missing", undefined],
    ["empty", ""],
  ])("alerts as each rule alone, in definition order, on an event from %s", (_label, source) => {
    const ev: Record<string, unknown> = { ...E1, eventSource: source };
    if (source === undefined) delete ev.eventSource;
    for (const eventName of ["CreateBucket", "PutBucketPolicy"]) {
      const event = { ...ev, eventName };
      const expected = alone.filter((r) => r.ruleset.evaluate(event).length > 0).map((r) => r.name);
      expect([eventName, ruleset.evaluate(event).map((a) => a.rule)]).toEqual([eventName, expected]);
      expect([eventName, firstOnly.evaluate(event).map((a) => a.rule)]).toEqual([eventName, expected.slice(0, 1)]);
    }
  });

  it("gives the rules with no index the events of every source", () => {
    const names = (source: string) => ruleset.evaluate({ ...E1, eventSource: source }).map((a) => a.rule);
    expect(names("s3.amazonaws.com")).toEqual(["s3 only", "any", "s3 bucket calls", "iam or s3"]);
    expect(names("ec2.amazonaws.com")).toEqual(["any"]);
    expect(names("")).toEqual(["any", "empty source"]);
  });
});
