import { loadRules } from "../../detector/src/engine";
import { load, loaded, rule } from "../support/engine";
import { baseEvent } from "../support/events";

/** Rules files: lists, macros, overrides, exceptions and load messages (falco-rules.md section 2). */

const E1 = baseEvent("E1");
const E2 = baseEvent("E2");
const fired = (rules: object[] | string, event: object = E1) => loaded(rules).evaluate(event).length > 0;

describe("lists", () => {
  it("substitute as text before parsing, wherever the name stands alone", () => {
    expect(fired([{ list: "l", items: ["CreateBucket"] }, rule("ct.name=l")])).toBe(true);
    expect(fired([{ list: "l", items: ["X", "CreateBucket"] }, rule("ct.name in (l)")])).toBe(true);
    expect(fired([{ list: "l", items: ["X"] }, rule("ct.name in (file_l, CreateBucket)")])).toBe(true);
  });

  it("also substitute inside quoted strings (the substitution is textual)", () => {
    expect(fired([{ list: "Bucket", items: ["Object"] }, rule('ct.name = "Create Bucket now"')], { ...E1, eventName: "Create Object now" })).toBe(true);
  });

  it("quote items with spaces, and drop a comma for an empty list", () => {
    expect(fired([{ list: "l", items: ["aws-cli/2.15.0 Python/3.11"] }, rule("ct.useragent in (l)")])).toBe(true);
    expect(fired([{ list: "empty", items: [] }, rule("ct.name in (CreateBucket, empty)")])).toBe(true);
  });

  it("expand lists that name earlier lists, one level", () => {
    const rules = [{ list: "a", items: ["CreateBucket"] }, { list: "b", items: ["a", "DeleteBucket"] }, rule("ct.name in (b)")];
    expect(fired(rules)).toBe(true);
    expect(fired(rules, E2)).toBe(true);
  });

  it("append items with override, and refuse an append without a definition", () => {
    expect(fired([{ list: "l", items: ["X"] }, { list: "l", items: ["CreateBucket"], override: { items: "append" } }, rule("ct.name in (l)")])).toBe(true);
    const r = load([{ list: "l", items: ["x"], append: true }]);
    expect(r.errors[0].message).toBe("List uses 'append' or 'override.items: append' but no list by that name already exists");
  });

  it("warn when deprecated append is used, and when a list is unused", () => {
    const r = load([{ list: "l", items: ["X"] }, { list: "l", items: ["Y"], append: true }, rule("ct.name exists")]);
    expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["LOAD_DEPRECATED_ITEM", "LOAD_UNUSED_LIST"]));
  });

  it("keep an unknown list name as a literal", () => {
    expect(fired([rule("ct.name in (undefined_list, CreateBucket)")])).toBe(true);
  });
});

describe("macros", () => {
  it("behave as if parenthesised", () => {
    const rules = [{ macro: "m", condition: "ct.name = X or ct.name = CreateBucket" }, rule("m and ct.region = us-east-1")];
    expect(fired(rules)).toBe(true);
    expect(fired(rules, { ...E1, eventName: "X", awsRegion: "eu" })).toBe(false);
  });

  it("may be used by rules before their definition, but only see macros defined before them", () => {
    expect(fired([rule("late"), { macro: "late", condition: "ct.name = CreateBucket" }])).toBe(true);
    const r = load([{ macro: "a", condition: "b" }, { macro: "b", condition: "ct.name = X" }, rule("a")]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toBe("Undefined macro 'b' used in filter.");
    expect(r.errors[0].location).toMatchObject({ itemKind: "macro", itemName: "a" });
  });

  it("are parsed and resolved even when unused", () => {
    expect(load([{ macro: "unused", condition: "ct.name = (" }]).errors[0].code).toBe("LOAD_ERR_COMPILE_CONDITION");
    expect(load([{ macro: "unused", condition: "nothere" }]).errors[0].message).toBe("Undefined macro 'nothere' used in filter.");
  });

  it("detect a reference loop", () => {
    const r = load([{ macro: "a", condition: "ct.name = X" }, { macro: "b", condition: "a" }, { macro: "a", condition: "b" }, rule("a")]);
    expect(r.errors[0].message).toMatch(/^reference loop in macro '(a|b)'$/);
  });

  it("append text with override: the result is parsed as a whole", () => {
    const rules = [{ macro: "m", condition: "ct.name = X or ct.name = CreateBucket" }, { macro: "m", condition: "and ct.region = nowhere", override: { condition: "append" } }, rule("m")];
    // "A or B and C" is "A or (B and C)": the appended text binds to the last term only.
    expect(fired(rules)).toBe(false);
    expect(fired(rules, { ...E1, eventName: "X" })).toBe(true);
  });

  it("warn when unused", () => {
    expect(load([{ macro: "m", condition: "ct.name = X" }, rule("ct.name exists")]).warnings.map((w) => w.code)).toContain("LOAD_UNUSED_MACRO");
  });
});

describe("rule overrides", () => {
  const base = rule("ct.name = CreateBucket", "bucket=%s3.bucket", { tags: ["a"] });

  it("append condition, output, desc and tags", () => {
    const rs = loaded([base, { rule: "r", condition: "and not ct.user = Bob", output: "by %ct.user", desc: "more", tags: ["b"], override: { condition: "append", output: "append", desc: "append", tags: "append" } }]);
    const [a] = rs.evaluate(E1);
    expect(a.message).toBe("bucket=my-bucket by Alice");
    expect(a.desc).toBe("d more");
    expect(a.tags).toEqual(["a", "b"]);
  });

  it("replace condition, priority, enabled and tags", () => {
    const rs = loaded([base, { rule: "r", condition: "ct.name = DeleteBucket", priority: "critical", tags: ["z"], override: { condition: "replace", priority: "replace", tags: "replace" } }]);
    expect(rs.evaluate(E1)).toHaveLength(0);
    expect(rs.evaluate(E2)[0]).toMatchObject({ priority: "Critical", tags: ["z"] });
    expect(loaded([base, { rule: "r", enabled: false, override: { enabled: "replace" } }]).evaluate(E1)).toHaveLength(0);
  });

  it("keep the position of the first definition", () => {
    const rules = [{ ...rule("ct.name exists"), rule: "first" }, { ...rule("ct.name exists"), rule: "second" }, { ...rule("ct.name = CreateBucket"), rule: "first", desc: "again" }];
    expect(loaded(rules).evaluate(E1).map((a) => a.rule)).toEqual(["first"]);
  });

  it("refuse keys that cannot be appended, and present keys not listed", () => {
    expect(load([base, { rule: "r", priority: "info", override: { priority: "append" } }]).errors[0].message).toBe("Key 'priority' cannot be appended to, use 'replace' instead");
    expect(load([base, { rule: "r", condition: "x", desc: "y", override: { condition: "replace" } }]).errors[0].message).toBe(
      "Unexpected key 'desc': no corresponding entry under 'override' is defined.",
    );
    expect(load([base, { rule: "r", override: { condition: "replace" } }]).errors[0].message).toBe("An replace override for 'condition' was specified but 'condition' is not defined");
    expect(load([base, { rule: "r", condition: "x", override: { condition: "prepend" } }]).errors[0].message).toBe(
      "Invalid override operation for key 'condition': 'prepend'. Allowed values are: append replace ",
    );
  });

  it("refuse an override of a missing rule, or with a different source", () => {
    expect(load([{ rule: "nope", condition: "x", override: { condition: "append" } }]).errors[0].message).toBe(
      "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
    );
    expect(load([base, { ...base, source: "syscall" }]).errors[0].message).toBe("Rule has been re-defined with a different source");
  });

  it("treat the CloudTrail source aliases as one source", () => {
    expect(load([base, { rule: "r", condition: "ct.name = X", source: "cloudtrail", override: { condition: "replace" } }]).ok).toBe(true);
  });

  it("refuse override together with append: true", () => {
    expect(load([base, { rule: "r", condition: "x", append: true, override: { condition: "append" } }]).errors[0].message).toContain("cannot be used together");
  });

  it("toggle a rule with a lone enabled key (deprecated)", () => {
    const r = load([base, { rule: "r", enabled: false }]);
    expect(r.ruleset!.evaluate(E1)).toHaveLength(0);
    expect(r.warnings.map((w) => w.code)).toContain("LOAD_DEPRECATED_ITEM");
  });

  it("legacy append: true appends the condition", () => {
    expect(fired([base, { rule: "r", condition: "and ct.user = Bob", append: true }])).toBe(false);
  });
});

describe("exceptions", () => {
  const withEx = (exceptions: object[], cond = "ct.name startswith Create") => [rule(cond, "o", { exceptions })];

  it("suppress a match when every field of a tuple matches", () => {
    expect(fired(withEx([{ name: "e", fields: ["ct.user", "ct.region"], values: [["Alice", "us-east-1"]] }]))).toBe(false);
    expect(fired(withEx([{ name: "e", fields: ["ct.user", "ct.region"], values: [["Alice", "eu-west-1"]] }]))).toBe(true);
  });

  it("take comparison operators and list values per field", () => {
    expect(fired(withEx([{ name: "e", fields: ["ct.user", "ct.region"], comps: ["startswith", "in"], values: [["Al", ["eu-west-1", "us-east-1"]]] }]))).toBe(false);
  });

  it("single-field form takes a flat list with in, pmatch or intersects", () => {
    expect(fired(withEx([{ name: "e", fields: "ct.user", values: ["Bob", "Alice"] }]))).toBe(false);
    expect(load(withEx([{ name: "e", fields: "ct.user", comps: "=", values: ["Alice"] }])).errors[0].message).toContain("comps must be one of (in, pmatch, intersects)");
  });

  it("never suppress through a missing field", () => {
    expect(fired(withEx([{ name: "e", fields: ["ct.error"], comps: ["!="], values: [["Throttling"]] }]))).toBe(true);
  });

  it("expand list names inside values", () => {
    expect(fired([{ list: "trusted", items: ["Alice"] }, ...withEx([{ name: "e", fields: ["ct.user"], comps: ["in"], values: [["trusted"]] }])])).toBe(false);
  });

  it("validate their shape and fields", () => {
    expect(load(withEx([{ name: "e", fields: ["ct.nosuch"], values: [["x"]] }])).errors[0].message).toBe("'ct.nosuch' is not a supported filter field");
    expect(load(withEx([{ name: "e", fields: ["ct.user", "ct.region"], comps: ["="], values: [] }])).errors[0].message).toBe("Fields and comps lists must have equal length");
    expect(load(withEx([{ name: "e", fields: ["ct.user"], comps: ["~"], values: [] }])).errors[0].message).toBe("'~' is not a supported comparison operator");
    expect(load(withEx([{ name: "e", fields: ["ct.user", "ct.region"], values: [["Alice"]] }])).errors[0].message).toBe("Fields and values lists must have equal length");
    expect(load(withEx([{ name: "e", values: [] }])).errors[0].message).toBe("Item has no mapping for key 'fields'");
  });

  it("append values to an existing exception by name", () => {
    const rules = [...withEx([{ name: "e", fields: ["ct.user"], values: [["Bob"]] }]), { rule: "r", exceptions: [{ name: "e", values: [["Alice"]] }], override: { exceptions: "append" } }];
    expect(fired(rules)).toBe(false);
  });

  it("warn about duplicate names", () => {
    const r = load(withEx([{ name: "e", fields: ["ct.user"], values: [["Bob"]] }, { name: "e", fields: ["ct.region"], values: [["x"]] }]));
    expect(r.warnings.map((w) => w.code)).toContain("LOAD_EXCEPTION_NAME_NOT_UNIQUE");
  });
});

describe("rules files", () => {
  it("may hold several YAML documents and several files, loaded in order", () => {
    const r = loadRules([
      { name: "a.yaml", content: "- list: l\n  items: [X]\n---\n- macro: m\n  condition: ct.name in (l)\n" },
      { name: "b.yaml", content: "- list: l\n  items: [CreateBucket]\n  override: {items: append}\n- rule: r\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n" },
    ]);
    expect(r.ruleset!.evaluate(E1)).toHaveLength(1);
  });

  it("report the first file with a problem, with file, line and item", () => {
    const r = loadRules([
      { name: "ok.yaml", content: "- rule: good\n  desc: d\n  condition: ct.name exists\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n" },
      { name: "bad.yaml", content: "# comment\n\n- rule: bad\n  desc: d\n  condition: ct.name = (\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n" },
    ]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].location).toMatchObject({ file: "bad.yaml", line: 5, itemKind: "rule", itemName: "bad", inText: { what: "condition", offset: 10 } });
    expect(r.errors[0].text).toMatch(/^bad\.yaml:5: rule 'bad': condition at line 1, column 11: /);
  });

  it("report YAML syntax errors with their line", () => {
    const r = loadRules([{ name: "broken.yaml", content: "- rule: x\n  desc: [unclosed\n" }]);
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_YAML_PARSE", location: { file: "broken.yaml" } });
    expect(r.errors[0].location.line).toBeGreaterThanOrEqual(2);
  });

  it("must be a list of mappings", () => {
    expect(load("rule: x").errors[0].message).toBe("Rules content is not yaml array of objects");
    expect(load("- just a string").errors[0].message).toBe("Unexpected element type. Each element should be a yaml associative array.");
    expect(load("- foo: bar").warnings[0].message).toBe("Unknown top level item");
  });

  it("check required plugin versions against the fields this engine provides", () => {
    expect(load([{ required_plugin_versions: [{ name: "cloudtrail", version: "0.10.0" }, { name: "json", version: "0.7.0" }] }]).ok).toBe(true);
    expect(load([{ required_plugin_versions: [{ name: "cloudtrail", version: "0.99.0" }] }]).errors[0].message).toContain("Plugin requirement not satisfied");
    expect(load([{ required_plugin_versions: [{ name: "k8saudit", version: "0.1.0", alternatives: [{ name: "cloudtrail", version: "0.1.0" }] }] }]).ok).toBe(true);
  });

  it("compile disabled rules too, so their errors are caught", () => {
    expect(load([rule("ct.name = (", "o", { enabled: false })]).ok).toBe(false);
  });

  it("skip a rule with an unknown field when skip-if-unknown-filter is set", () => {
    const r = load([rule("ct.nosuch = x", "o", { "skip-if-unknown-filter": true })]);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain("LOAD_UNKNOWN_FILTER");
    expect(r.ruleset!.rules).toHaveLength(0);
  });

  it("drop rules below the minimum priority", () => {
    const rules = [{ ...rule("ct.name exists"), rule: "low", priority: "debug" }, { ...rule("ct.name exists"), rule: "high", priority: "error" }];
    expect(loaded(rules, { minimumPriority: "Warning", ruleMatching: "all" }).evaluate(E1).map((a) => a.rule)).toEqual(["high"]);
  });
});

describe("the Sysdig Cloud Connector blog rule (source k8s_audit)", () => {
  const blog = `
- list: watched_bucket_events
  items: [CreateBucket, DeleteBucket]
- rule: Operation on buckets
  desc: Detect an operation on buckets.
  condition:
    not jevt.value[/errorCode] exists and
    jevt.value[/eventName] in (watched_bucket_events)
  output:
    Detected an operation on buckets
    ( bucket name=%jevt.value[/requestParameters/bucketName]
    operation=%jevt.value[/eventName],
    object key=%jevt.value[/requestParameters/key],
    requesting user=%jevt.value[/userIdentity/arn],
    requesting IP=%jevt.value[/sourceIPAddress],
    AWS region=%jevt.value[/awsRegion])
  priority: WARNING
  tags: [cloud, source=cloudtrail, aws, aws_s3]
  source: k8s_audit
`;

  it("loads as a CloudTrail rule, with a warning saying so", () => {
    const r = load(blog);
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain("LOAD_SOURCE_ALIAS");
  });

  it("fires on CreateBucket without errorCode, and not with one", () => {
    const rs = loaded(blog);
    const [a] = rs.evaluate(E1);
    expect(a.rule).toBe("Operation on buckets");
    expect(a.message).toBe(
      "Detected an operation on buckets ( bucket name=my-bucket operation=CreateBucket, object key=<NA>, requesting user=arn:aws:iam::123456789012:user/Alice, requesting IP=203.0.113.10, AWS region=us-east-1)",
    );
    expect(rs.evaluate({ ...E1, errorCode: "AccessDenied" })).toHaveLength(0);
  });
});
