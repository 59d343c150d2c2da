import { loadRules } from "../../detector/src/engine";
import { load } from "../support/engine";

/** Load errors say what to fix: every error of the file at once, with the name that was meant. */

const rule = (name: string, keys: Record<string, string>) => ({ rule: name, desc: "d", condition: "ct.name = GetObject", output: "o %s3.bucket", priority: "WARNING", source: "aws_cloudtrail", ...keys });

describe("load errors", () => {
  it("reports every error of a file, in the order of the file", () => {
    const r = load([
      { macro: "broken", condition: "ct.name = (" },
      rule("R1", { condition: "ct.nme = GetObject" }),
      rule("R2", { priority: "WARNIN" }),
      rule("R3", { output: "o %s3.buckett" }),
      rule("Fine", {}),
    ]);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.location.itemName, e.code])).toEqual([
      ["broken", "LOAD_ERR_COMPILE_CONDITION"],
      ["R1", "LOAD_ERR_COMPILE_CONDITION"],
      ["R2", "LOAD_ERR_YAML_VALIDATE"],
      ["R3", "LOAD_ERR_COMPILE_OUTPUT"],
    ]);
  });

  it("does not report again the uses of a broken macro, nor call it unused", () => {
    const r = load([{ macro: "broken", condition: "ct.name = (" }, { macro: "user", condition: "broken and ct.user = x" }, rule("R", { condition: "user or broken" })]);
    expect(r.errors.map((e) => e.location.itemName)).toEqual(["broken"]);
    expect(r.warnings.map((w) => w.code)).not.toContain("LOAD_UNUSED_MACRO");
  });

  it("stops at the first file with errors: a later file is not read", () => {
    const r = loadRules([
      { name: "a.yaml", content: JSON.stringify([rule("A", { condition: "ct.nme = x" })]) },
      { name: "b.yaml", content: JSON.stringify([rule("B", { condition: "ct.nosuch = x" })]) },
    ]);
    expect(r.errors.map((e) => e.location.file)).toEqual(["a.yaml"]);
  });

  it("suggests the field a misspelt one meant, in conditions and outputs", () => {
    expect(load([rule("R", { condition: "ct.nme = GetObject" })]).errors[0].message).toBe('filter_check called with nonexistent field ct.nme (did you mean "ct.name"?)');
    expect(load([rule("R", { output: "bucket %s3.buckett" })]).errors[0].message).toBe('unknown filter: s3.buckett is not a field (did you mean "s3.bucket"?)');
    expect(load([rule("R", { output: "x %ct.nosuch" })]).errors[0].message).toBe("unknown filter: ct.nosuch is not a field ('s3guard fields' lists every field)");
  });

  it("checks every output field at load, ended by punctuation or not", () => {
    for (const output of ["%ct.name.", "(%ct.name)", "%ct.name,%s3.bucket", "%json.value[/a]b", "%tolower(ct.user)x"]) {
      expect(load([rule("R", { output })]).ok).toBe(true);
    }
    for (const output of ["%ct.namex", "%s3.bucket_name", "%ct.user.arnz", "%ec2.namee"]) {
      expect(load([rule("R", { output })]).errors[0]?.code).toBe("LOAD_ERR_COMPILE_OUTPUT");
    }
  });

  it("suggests the priority a misspelt one meant, and lists them", () => {
    expect(load([rule("R", { priority: "WARNIN" })]).errors[0].message).toBe(
      "Invalid priority 'WARNIN' (did you mean \"WARNING\"?); priorities are EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFORMATIONAL, INFO, DEBUG",
    );
  });

  it("suggests CloudTrail's source for a misspelt one, which would drop the rule", () => {
    const r = load([rule("R", { source: "aws_cloudtral" }), rule("Other", {})]);
    expect(r.warnings.find((w) => w.code === "LOAD_UNKNOWN_SOURCE")?.message).toBe('Unknown source aws_cloudtral, skipping (did you mean "aws_cloudtrail"?)');
  });

  it("suggests the override operation a misspelt one meant", () => {
    const r = load([rule("R", {}), { rule: "R", condition: "and ct.user = x", override: { condition: "apend" } }]);
    expect(r.errors[0].message).toBe(`Invalid override operation for key 'condition': 'apend' (did you mean "append"?). Allowed values are: append replace `);
  });

  it("names the misspelt key of a missing required one", () => {
    const { condition, ...noCondition } = rule("R", {});
    const r = load([{ ...noCondition, condtion: condition }]);
    expect(r.errors[0].message).toBe(`Item has no mapping for key 'condition' ('condtion' is there: did you mean "condition"?)`);
  });

  it("warns about a misspelt optional key with the key meant and the keys accepted", () => {
    const r = load([rule("R", { enabeld: "false" })]);
    expect(r.ok).toBe(true);
    const [warning] = r.warnings.filter((w) => w.code === "LOAD_UNKNOWN_KEY");
    expect(warning.message).toMatch(/^Unknown key 'enabeld'\. The key will be ignored\. Did you mean "enabled"\? The keys of rules are: rule, condition, output, desc, priority, source, enabled, /);
  });
});
