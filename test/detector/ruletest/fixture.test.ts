import { isProblem, meets, readCase, readFixtureText, type FixtureCase, type FixtureProblem } from "../../../detector/src/ruletest";

const EVENT = { eventTime: "2024-01-01T00:00:00Z", eventType: "AwsApiCall", eventName: "DeleteBucket" };
const VALID = { rule: "Bucket Deleted", description: "a bucket is deleted", source: "written for this test", expect: "alert", events: [EVENT] };

function problem(item: unknown): FixtureProblem {
  const read = readCase(item, "f.yaml", 1);
  if (!isProblem(read)) throw new Error("expected a problem");
  return read;
}

describe("readCase", () => {
  it("accepts a case with rule, description, source, expect and events", () => {
    const read = readCase(VALID, "f.yaml", 3, 12) as FixtureCase;
    expect(isProblem(read)).toBe(false);
    expect(read).toMatchObject({ file: "f.yaml", index: 3, line: 12, rule: "Bucket Deleted", expect: { kind: "alert" } });
  });

  it("reads expect as alert, no_alert or an exact count", () => {
    expect((readCase({ ...VALID, expect: "no_alert" }, "f", 1) as FixtureCase).expect).toEqual({ kind: "no_alert" });
    expect((readCase({ ...VALID, expect: 3 }, "f", 1) as FixtureCase).expect).toEqual({ kind: "count", count: 3 });
    expect(problem({ ...VALID, expect: "alerts" }).message).toContain("'expect' must be alert, no_alert or a whole number");
    expect(problem({ ...VALID, expect: -1 }).message).toContain("'expect' must be");
  });

  it("requires a source for every case", () => {
    const { source: _source, ...withoutSource } = VALID;
    expect(problem(withoutSource).message).toContain("'source' must say where the records come from");
  });

  it("rejects misspelt keys instead of ignoring them", () => {
    expect(problem({ ...VALID, expected: "alert" }).message).toContain("unknown key 'expected'");
  });

  it("needs at least one event, each a mapping", () => {
    expect(problem({ ...VALID, events: [] }).message).toContain("'events' must be a non-empty list");
    expect(problem({ ...VALID, events: [EVENT, "not a record"] }).message).toContain("event 2 is not a mapping");
  });

  it("keeps the rule name of a broken case so the problem counts against that rule", () => {
    expect(problem({ ...VALID, description: "" }).rule).toBe("Bucket Deleted");
  });
});

describe("meets", () => {
  it("compares a number of alerts with the expectation", () => {
    expect(meets({ kind: "alert" }, 2)).toBe(true);
    expect(meets({ kind: "alert" }, 0)).toBe(false);
    expect(meets({ kind: "no_alert" }, 0)).toBe(true);
    expect(meets({ kind: "count", count: 2 }, 2)).toBe(true);
    expect(meets({ kind: "count", count: 2 }, 3)).toBe(false);
  });
});

describe("readFixtureText", () => {
  const text = [
    "# a comment",
    "- rule: Bucket Deleted",
    "  description: first",
    "  source: written for this test",
    "  expect: alert",
    "  events:",
    "    - {eventTime: 2024-01-01T00:00:00Z, eventType: AwsApiCall, eventName: DeleteBucket, recipientAccountId: \"111122223333\"}",
    "",
    "- rule: Bucket Deleted",
    "  description: second",
    "  source: written for this test",
    "  expect: 0",
    "  events: [{eventTime: \"2024-01-01T00:00:01Z\", eventType: AwsApiCall, eventName: CreateBucket}]",
  ].join("\n");

  it("reads every case with the line it starts on", () => {
    const { cases, problems } = readFixtureText("t.yaml", text);
    expect(problems).toEqual([]);
    expect(cases.map((c) => [c.description, c.line])).toEqual([
      ["first", 2],
      ["second", 9],
    ]);
  });

  it("keeps CloudTrail times as text, as the records have them", () => {
    const { cases } = readFixtureText("t.yaml", text);
    expect(cases[0].events[0].eventTime).toBe("2024-01-01T00:00:00Z");
    expect(cases[0].events[0].recipientAccountId).toBe("111122223333");
  });

  it("reports a file that is not a list, and a file that is not YAML", () => {
    expect(readFixtureText("m.yaml", "rule: x\n").problems[0].message).toBe("a fixture file must be a YAML list of cases");
    expect(readFixtureText("bad.yaml", "- {rule: [\n").problems[0].message).toMatch(/^not valid YAML/);
  });

  it("treats an empty file as no cases", () => {
    expect(readFixtureText("empty.yaml", "# nothing yet\n")).toEqual({ cases: [], problems: [] });
  });
});
