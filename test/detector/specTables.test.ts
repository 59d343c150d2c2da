import { falcoJson } from "../../detector/src/engine";
import { alertFor, load, loaded, matches, rule } from "../support/engine";
import { baseEvent } from "../support/events";

/** The O (output), L (jevt semantics) and P (priorities and rules-file keys) tables of shared/spec/README.md. */

describe("O: output formatting", () => {
  const E1 = baseEvent("E1");

  it("O01 prints <NA> for a missing field", () => {
    expect(alertFor("op=%ct.name user=%ct.user err=%ct.error", E1).message).toBe("op=CreateBucket user=Alice err=<NA>");
  });

  it("O02 takes the longest valid field after %, ended by anything that cannot continue a name", () => {
    expect(alertFor("x=%ct.name, y=%s3.bucket.", E1).message).toBe("x=CreateBucket, y=my-bucket.");
  });

  it("O02 (s3guard) refuses a field name that runs on into name characters, which Falco prints as field + text", () => {
    const r = load([rule("ct.name exists", "x=%s3.buckett")]);
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_COMPILE_OUTPUT", message: 'unknown filter: s3.buckett is not a field (did you mean "s3.bucket"?)' });
    expect(load([rule("ct.name exists", "x=%ct.namefoo")]).errors[0].message).toBe("unknown filter: ct.namefoo is not a field (ct.name runs on into 'foo': end a field with a blank or punctuation)");
  });

  it("O03 rejects an unknown field in the output", () => {
    const r = load([rule("ct.name exists", "x=%ct.nosuch")]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].code).toBe("LOAD_ERR_COMPILE_OUTPUT");
    expect(r.errors[0].message).toContain("unknown filter");
  });

  it("O04 rejects an output ending with %", () => {
    const r = load([rule("ct.name exists", "100%")]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].code).toBe("LOAD_ERR_COMPILE_OUTPUT");
    expect(r.errors[0].message).toContain("cannot end with a %");
  });

  it("O05 pads or cuts a value to %N characters", () => {
    expect(alertFor("[%10ct.name]", E1).message).toBe("[CreateBuck]");
    expect(alertFor("[%15ct.name]", E1).message).toBe("[CreateBucket   ]");
  });

  it("O06 renders missing, uint64 and list fields in text and typed JSON", () => {
    const E5 = baseEvent("E5");
    const a = alertFor("%ct.error %s3.bytes %ec2.imageids", E5, {}, { timeFormat: "local" });
    expect(a.message).toBe("<NA> <NA> (ami-111,ami-222)");
    const fields = JSON.parse(falcoJson(a)).output_fields;
    expect(fields).toEqual({ "ct.error": null, "s3.bytes": null, "ec2.imageids": ["ami-111", "ami-222"], "evt.time": 1714564800000000000 });
    expect(falcoJson(a)).toContain('"evt.time":1714564800000000000');
  });

  it("O07 keys json.value output fields by their text", () => {
    const a = alertFor("user=%json.value[/userIdentity/userName]", baseEvent("E6"));
    expect(a.message).toBe("user=Alice");
    expect(a.outputFields["json.value[/userIdentity/userName]"]).toBe("Alice");
  });

  it("O08 builds Falco's JSON alert with the ISO time and priority prefix", () => {
    const a = alertFor("name=%ct.name", E1, { priority: "warning" });
    const json = JSON.parse(falcoJson(a));
    expect(json.output).toBe("2024-05-01T12:00:00.000000000+0000: Warning name=CreateBucket");
    expect(json.time).toBe("2024-05-01T12:00:00.000000000Z");
    expect(json.priority).toBe("Warning");
    expect(json.rule).toBe("r");
    expect(json.source).toBe("aws_cloudtrail");
    expect(json.hostname).toBe("test-host");
    expect(falcoJson(a)).toContain('"output_fields":{"ct.name":"CreateBucket","evt.time.iso8601":1714564800000000000}');
  });

  it("O09 sorts and de-duplicates tags", () => {
    const a = alertFor("x", E1, { tags: ["cloud", "aws", "aws_s3", "aws"] });
    expect(JSON.parse(falcoJson(a)).tags).toEqual(["aws", "aws_s3", "cloud"]);
  });
});

describe("L: jevt.* fields have the json plugin's semantics", () => {
  const E1 = baseEvent("E1");

  it("L01 a comparison on a missing value is false, even !=", () => {
    expect(matches("jevt.value[/errorCode] != AccessDenied", E1)).toBe(false);
  });

  it("L02 comparing with <NA> never matches a missing value, and warns", () => {
    expect(matches("jevt.value[/errorCode] = <NA>", E1)).toBe(false);
    const r = load([rule("jevt.value[/errorCode] = <NA>")]);
    expect(r.warnings.map((w) => w.code)).toContain("LOAD_UNSAFE_NA_CHECK");
  });

  it("L03 a number is compared as the text the record holds", () => {
    expect(matches("jevt.value[/additionalEventData/bytesTransferredOut] > 100", baseEvent("E4"))).toBe(true);
    expect(matches("jevt.value[/additionalEventData/bytesTransferredOut] = 2048.0", baseEvent("E4"))).toBe(true);
  });

  it("L04 `not ... exists` is true on a missing value", () => {
    expect(matches("not jevt.value[/errorCode] exists", E1)).toBe(true);
  });

  it("L05 `in` matches the event name", () => {
    expect(matches("jevt.value[/eventName] in (CreateBucket, DeleteBucket)", E1)).toBe(true);
  });
});

describe("P: priorities and rules-file keys", () => {
  const E1 = baseEvent("E1");
  const priorityOf = (p: string) => loaded([rule("ct.name = CreateBucket", "o", { priority: p })]).evaluate(E1)[0].priority;

  it("P01 parses priorities case-insensitively and prints them capitalised", () => {
    for (const p of ["warning", "Warning", "WARNING"]) expect(priorityOf(p)).toBe("Warning");
  });

  it("P02 accepts info and INFORMATIONAL as Informational", () => {
    expect(priorityOf("info")).toBe("Informational");
    expect(priorityOf("INFORMATIONAL")).toBe("Informational");
  });

  it("P03 rejects an unknown priority", () => {
    const r = load([rule("ct.name exists", "o", { priority: "WARN" })]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toBe("Invalid priority 'WARN'; priorities are EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, INFO, DEBUG");
    expect(r.errors[0].location).toMatchObject({ file: "test.yaml", itemKind: "rule", itemName: "r" });
  });

  it("P04 reads an integer engine version N as 0.N.0", () => {
    expect(load([{ required_engine_version: 10 }, rule("ct.name exists")]).ok).toBe(true);
  });

  it("P05 rejects an engine version of another major", () => {
    const r = load([{ required_engine_version: "1.0.0" }]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toMatch(/^Rules require engine version 1\.0\.0, but engine version is 0\.\d+\.\d+$/);
  });

  it("P06 rejects an engine version that is not semver", () => {
    const r = load([{ required_engine_version: "seven" }]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toContain("Unable to parse engine version 'seven'");
  });

  it("P07 warns about an unknown key and loads", () => {
    const r = load([rule("ct.name exists", "o", { typo: 1 })]);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.code, w.message])).toContainEqual(["LOAD_UNKNOWN_KEY", "Unknown key 'typo'. The key will be ignored."]);
  });

  it("P08 requires desc", () => {
    const r = load([{ rule: "r", condition: "ct.name exists", output: "o", priority: "INFO", source: "aws_cloudtrail" }]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toBe("Item has no mapping for key 'desc'");
  });

  it("P09 skips a rule of another source with a warning", () => {
    const r = load([rule("evt.type = open", "o", { source: "syscall" })]);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain("LOAD_UNKNOWN_SOURCE");
    expect(r.ruleset!.rules).toHaveLength(0);
    expect(r.ruleset!.evaluate(E1)).toEqual([]);
  });

  it("P10 reports only the first matching rule by default, every one with rule_matching all", () => {
    const rules = [
      { ...rule("ct.name = CreateBucket"), rule: "first" },
      { ...rule("ct.src = s3.amazonaws.com"), rule: "second" },
    ];
    expect(loaded(rules).evaluate(E1).map((a) => a.rule)).toEqual(["first"]);
    expect(loaded(rules, { ruleMatching: "all" }).evaluate(E1).map((a) => a.rule)).toEqual(["first", "second"]);
  });
});
