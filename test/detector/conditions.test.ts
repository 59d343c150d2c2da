import { load, loaded, matches, rule } from "../support/engine";
import { baseEvent } from "../support/events";

/** The condition language of shared/spec/falco-rules.md section 1, beyond the conformance cases. */

const E1 = baseEvent("E1");
const E4 = baseEvent("E4");
const E5 = baseEvent("E5");

function loadError(condition: string): { code: string; message: string } {
  const r = load([rule(condition)]);
  expect(r.ok).toBe(false);
  return r.errors[0];
}

describe("grammar", () => {
  it("binds not tighter than and, and tighter than or", () => {
    expect(matches("ct.name = CreateBucket or ct.name = CreateBucket and ct.name = X", E1)).toBe(true);
    expect(matches("(ct.name = CreateBucket or ct.name = CreateBucket) and ct.name = X", E1)).toBe(false);
    expect(matches("not ct.name = X and ct.region = us-east-1", E1)).toBe(true);
  });

  it("takes tabs, newlines and CR as blanks anywhere", () => {
    expect(matches("ct.name\t=\nCreateBucket\r\nand\n(ct.region\t=\tus-east-1)", E1)).toBe(true);
  });

  it("accepts not( and and( without a blank, but not andx", () => {
    expect(matches("not(ct.name = X)", E1)).toBe(true);
    expect(matches("ct.name = CreateBucket and(ct.region = us-east-1)", E1)).toBe(true);
    expect(loadError("ct.name = CreateBucket andx ct.region = us-east-1").message).toContain("expected blank or '(' after 'and'");
    expect(loadError("ct.name = CreateBucket orx").message).toContain("expected blank or '(' after 'or'");
  });

  it("reads identifiers that start with and/or/not as macro names", () => {
    const r = load([{ macro: "not_x", condition: "ct.name = CreateBucket" }, { macro: "and_y", condition: "ct.region = us-east-1" }, rule("not_x and and_y")]);
    expect(r.ruleset!.evaluate(E1)).toHaveLength(1);
  });

  it("rejects a field without an operator, and a macro with one", () => {
    expect(loadError("ct.name").message).toContain("expected a valid check operator");
    expect(loadError("my_macro > 12").message).toContain("unexpected token after 'my_macro'");
  });

  it("needs a blank after word operators but not after symbols or list operators", () => {
    expect(matches("ct.name=CreateBucket", E1)).toBe(true);
    expect(matches("ct.name in(CreateBucket)", E1)).toBe(true);
    expect(matches("ct.name pmatch(CreateBucket)", E1)).toBe(true);
    expect(loadError('ct.name startswith"Create"').message).toContain("expected a valid check operator");
  });

  it("takes a bare identifier after in as a one-element list", () => {
    expect(matches("ct.name inCreateBucket", E1)).toBe(true);
    expect(matches("ct.name in CreateBucket", E1)).toBe(true);
  });

  it("accepts an empty list, and rejects empty items", () => {
    expect(matches("ct.name in ()", E1)).toBe(false);
    expect(loadError("ct.name in (,)").code).toBe("LOAD_ERR_COMPILE_CONDITION");
    expect(loadError("ct.name in (a,,b)").code).toBe("LOAD_ERR_COMPILE_CONDITION");
  });

  it("limits nesting depth", () => {
    const deep = "(".repeat(1000) + "ct.name = CreateBucket" + ")".repeat(1000);
    expect(loadError(deep).message).toContain("exceeded max depth limit of 1000");
    // Each parenthesis costs five levels of the parser, as in libsinsp.
    const ok = "(".repeat(150) + "ct.name = CreateBucket" + ")".repeat(150);
    expect(matches(ok, E1)).toBe(true);
  });

  it("rejects an empty or blank condition", () => {
    expect(load([rule("")]).errors[0].message).toBe("Value must be non-empty");
    expect(loadError("   ").message).toContain("expected a '(' token, a field check, or an identifier");
  });

  it("rejects the newer syntax of Falco master (modifiers, join/concat transformers)", () => {
    expect(loadError("ct.name = oneof (CreateBucket)").code).toBe("LOAD_ERR_COMPILE_CONDITION");
    expect(loadError("join(ct.name) = x").message).toContain("unexpected token after 'join'");
  });

  it("reports the position of a syntax error in the condition", () => {
    const r = load([rule("ct.name = CreateBucket and\n  ct.region in (a,")]);
    expect(r.errors[0].location.inText).toMatchObject({ what: "condition", line: 2, column: 19 });
    expect(r.errors[0].text).toContain("rule 'r': condition at line 2, column 19");
  });
});

describe("quoted strings", () => {
  it("decodes escapes inside quotes", () => {
    expect(matches('ct.useragent = "aws-cli/2.15.0 Python/3.11"', E1)).toBe(true);
    expect(matches("ct.useragent = 'aws-cli/2.15.0 Python/3.11'", E1)).toBe(true);
    expect(matches('ct.name = "Create\\/Bucket"', { ...E1, eventName: "Create/Bucket" })).toBe(true);
    expect(matches('ct.name = "a\\tb"', { ...E1, eventName: "a\tb" })).toBe(true);
    expect(matches("ct.name = 'it\\'s'", { ...E1, eventName: "it's" })).toBe(true);
    expect(matches(`ct.name = "it's"`, { ...E1, eventName: "it's" })).toBe(true);
  });

  it("reads the legacy backslash-space escape as a backslash", () => {
    expect(matches('ct.name = "a\\ b"', { ...E1, eventName: "a\\b" })).toBe(true);
  });

  it("rejects the other quote's escape, \\xHH and unknown escapes", () => {
    expect(loadError("ct.name = 'a\\\"b'").message).toContain("invalid");
    expect(loadError('ct.name = "\\x41"').message).toContain("unsupported string escape sequence: \\x");
    expect(loadError('ct.name = "\\q"').message).toContain("unsupported string escape sequence: \\q");
  });

  it("cannot end a quoted value with an escaped backslash", () => {
    expect(loadError('ct.name = "a\\\\"').code).toBe("LOAD_ERR_COMPILE_CONDITION");
  });

  it("takes bare strings verbatim, backslashes included", () => {
    expect(matches("ct.name = a\\b", { ...E1, eventName: "a\\b" })).toBe(true);
  });
});

describe("string operators", () => {
  it.each([
    ["ct.name != CreateBucket", false],
    ["ct.user.accountid < 9", true],
    ["ct.user.accountid <= 123456789012", true],
    ["ct.user.accountid > 12", true],
    ["ct.user.accountid >= 9", false],
    ["ct.name contains eateB", true],
    ["ct.name icontains CREATEb", true],
    ["ct.name startswith Create", true],
    ["ct.name endswith Bucket", true],
    ['ct.name endswith ""', true],
    ["ct.name glob Create*", true],
    ["ct.name glob Create?ucket", true],
    ["ct.name glob C[a-z]eate*", true],
    ["ct.name glob C[!r]*", false],
    ["ct.name iglob create*", true],
    ["ct.request.host glob *.amazonaws.com", true],
    ["ct.user.arn glob arn:aws:iam::*", true],
    ["ct.name regex Create.*", true],
    ["ct.name regex '[A-Z][a-z]+Bucket'", true],
    ["ct.name regex 'Create|Delete'", false],
    ["ct.name regex '(Create|Delete)Bucket'", true],
    ["ct.name in (A, CreateBucket)", true],
    ["ct.name intersects (CreateBucket)", true],
  ])("%s is %s on E1", (cond, expected) => {
    expect(matches(cond, E1)).toBe(expected);
  });

  it("glob's * crosses slashes", () => {
    expect(matches("s3.key glob logs*app.log", E4)).toBe(true);
  });

  it("pmatch matches path prefixes component by component", () => {
    expect(matches("s3.key pmatch (logs/2024)", E4)).toBe(true);
    expect(matches("s3.key pmatch (/logs/2024/)", E4)).toBe(true);
    expect(matches("s3.key pmatch (log)", E4)).toBe(false);
    expect(matches("s3.key pmatch (/logs/20*/app.log)", E4)).toBe(true);
    expect(matches("s3.key pmatch (/logs/2024/app.log/more)", E4)).toBe(false);
    expect(matches("s3.key pmatch (/other, /logs)", E4)).toBe(true);
  });

  it("numeric operators need a number or a transformer on the right", () => {
    expect(loadError("ct.name < D").message).toContain("expected a number value or a field with a valid transformer");
    expect(loadError('ct.name < "D"').message).toContain("expected a number value");
  });

  it("regex is POSIX: Perl classes and lazy quantifiers are errors", () => {
    expect(loadError("ct.name regex \\d+").message).toContain("invalid regex pattern");
    expect(loadError("ct.name regex '(?i)create'").message).toContain("invalid regex pattern");
    expect(matches("ct.name regex '[[:upper:]][[:alpha:]]+'", E1)).toBe(true);
  });

  it("regex . does not match a newline", () => {
    expect(matches("ct.name regex 'a.b'", { ...E1, eventName: "a\nb" })).toBe(false);
    expect(matches("ct.name regex 'a.b'", { ...E1, eventName: "axb" })).toBe(true);
  });

  it("warns when a constant looks like a field", () => {
    const r = load([rule("ct.name = ct.user")]);
    expect(r.warnings.map((w) => w.message)).toContain("'ct.user' may be a valid field misused as a const string value");
    expect(r.ruleset!.evaluate(E1)).toHaveLength(0);
  });

  it("rejects bcontains and bstartswith on strings", () => {
    expect(loadError("ct.name bcontains 41").message).toBe("'bcontains' operator not supported for string filters");
  });
});

describe("missing values", () => {
  it.each(["ct.error = X", "ct.error != X", "ct.error < 9", "ct.error contains A", "ct.error in (A)", "ct.error glob *", "ct.error regex '.*'", "ct.error pmatch (/)"])(
    "%s is false when errorCode is absent",
    (cond) => {
      expect(matches(cond, E1)).toBe(false);
    },
  );

  it("not of a false check on a missing value is true", () => {
    expect(matches("not ct.error = X", E1)).toBe(true);
    expect(matches("not ct.error exists", E1)).toBe(true);
  });

  it("an empty string or null value is present", () => {
    expect(matches("ct.error exists", { ...E1, errorCode: "" })).toBe(true);
    expect(matches('ct.error = ""', { ...E1, errorCode: null })).toBe(true);
  });
});

describe("numbers, booleans and lists", () => {
  it.each([
    ["s3.bytes > 2047", true],
    ["s3.bytes >= 2048", true],
    ["s3.bytes < 2048", false],
    ["s3.bytes = 2048", true],
    ["s3.bytes != 2048", false],
    ["s3.bytes in (1, 2048)", true],
    ["s3.bytes = +2048", true],
    ["s3.bytes.in = 0", true],
  ])("%s is %s on E4", (cond, expected) => {
    expect(matches(cond, E4)).toBe(expected);
  });

  it("parses unsigned constants as sscanf does: negative numbers wrap", () => {
    expect(matches("s3.bytes < -1", E4)).toBe(true);
  });

  it("rejects constants that are not decimal integers for numeric fields", () => {
    expect(loadError("s3.bytes = 1.0").message).toBe("1.0 is not a valid number");
    expect(loadError("s3.bytes > 0x10").message).toBe("0x10 is not a valid number");
    expect(loadError("s3.bytes = 12abc").message).toBe("12abc is not a valid number");
  });

  it("compares numeric operators on strings as text", () => {
    expect(matches("ct.region > 1", E1)).toBe(true);
    expect(matches("ct.region > 0x10", E1)).toBe(true);
  });

  it("checks booleans", () => {
    expect(matches("evt.is_async = false", E1)).toBe(true);
    expect(matches("evt.is_async != true", E1)).toBe(true);
    expect(loadError("evt.is_async = maybe").message).toBe("maybe is not a valid boolean");
    expect(loadError("evt.is_async > 0").message).toBe("'>' operator not supported for numeric filters");
  });

  it("list fields: in needs every value, intersects any, other operators are errors", () => {
    expect(matches("ec2.imageids in (ami-111, ami-222, ami-333)", E5)).toBe(true);
    expect(matches("ec2.imageids in (ami-111)", E5)).toBe(false);
    expect(matches("ec2.imageids intersects (ami-111)", E5)).toBe(true);
    expect(matches("ec2.imageids exists", E5)).toBe(true);
    expect(loadError("ec2.imageids = ami-111").message).toBe("'=' operator not supported list filters");
  });
});

describe("transformers and field comparisons", () => {
  it.each([
    ["tolower(ct.name) = createbucket", true],
    ["toupper(ct.name) = CREATEBUCKET", true],
    ["tolower(toupper(ct.name)) = createbucket", true],
    ["len(ct.name) = 12", true],
    ["len(ct.name) > 11", true],
    ["ct.user = val(ct.originaluser)", true],
    ["ct.name = val(ct.user)", false],
    ["tolower(ct.user) = tolower(ct.originaluser)", true],
    ["ct.user in (val(ct.originaluser))", false],
  ])("%s is %s on E1", (cond, expected) => {
    if (cond.includes("in (val(")) {
      expect(load([rule(cond)]).ok).toBe(false);
      return;
    }
    expect(matches(cond, E1)).toBe(expected);
  });

  it("basename and b64 apply to strings", () => {
    expect(matches("basename(s3.key) = app.log", E4)).toBe(true);
    expect(matches("b64(ct.name) = hello", { ...E1, eventName: "aGVsbG8=" })).toBe(true);
    expect(matches("b64(ct.name) exists", { ...E1, eventName: "not base64!" })).toBe(false);
  });

  it("len counts the values of a list field", () => {
    expect(matches("len(ec2.imageids) = 2", E5)).toBe(true);
  });

  it("a right-hand field that is missing makes the check false", () => {
    expect(matches("ct.name != val(ct.error)", E1)).toBe(false);
  });

  it("rejects transformers on numbers and fields of different types", () => {
    expect(loadError("tolower(s3.bytes) = x").message).toContain("can't add field transformer: type 'uint64' is not supported by 'tolower'");
    expect(loadError("s3.bytes = val(ct.name)").message).toContain("has incompatible type 'string'");
  });

  it("numeric operators take a transformer on the right", () => {
    expect(matches("s3.bytes > val(s3.bytes.in)", E4)).toBe(true);
  });
});

describe("work shared between the rules of an event", () => {
  const user = (agent: string) => ({ ...E1, userAgent: agent });

  it("a macro used by several rules gives each the result for the event at hand", () => {
    const ruleset = loaded([
      { macro: "tool", condition: "(tolower(ct.useragent) contains kali or tolower(ct.useragent) contains pacu)" },
      rule("tool and ct.name = CreateBucket", "o", { rule: "a" }),
      rule("tool", "o", { rule: "b" }),
      rule("not tool", "o", { rule: "c" }),
    ], { ruleMatching: "all" });
    expect(ruleset.evaluate(user("Kali Linux")).map((a) => a.rule)).toEqual(["a", "b"]);
    expect(ruleset.evaluate(user("aws-cli")).map((a) => a.rule)).toEqual(["c"]);
    expect(ruleset.evaluate({ ...user("x"), eventName: "Other" }).map((a) => a.rule)).toEqual(["c"]);
    expect(ruleset.evaluate({ ...user("PACU"), eventName: "Other" }).map((a) => a.rule)).toEqual(["b"]);
  });

  it("a transformed field reads the value of each event, and case-insensitive checks in a row too", () => {
    const ruleset = loaded([rule("tolower(ct.useragent) = abc or ct.useragent icontains XYZ or ct.useragent iglob '*q*'")]);
    expect(["ABC", "abd", "xYz", "aXYZ", "Q", "p"].map((agent) => ruleset.evaluate(user(agent)).length)).toEqual([1, 0, 1, 1, 1, 0]);
  });
});

describe("an or of checks on one field", () => {
  // The engine tests such a run by extracting the value once; each check must still decide as alone.
  const agents = ["Pacu/1.0", "stratus-red-team_1", "aws-cli/2 (KALI)", "Boto3/1.34", "", undefined, 42];
  const checks = [
    "tolower(ct.useragent) contains kali",
    "tolower(ct.useragent) contains pacu",
    "ct.useragent startswith Boto3",
    "ct.useragent endswith _1",
    "ct.useragent = ''",
    "ct.useragent in (Pacu/1.0, x)",
    "ct.useragent icontains STRATUS",
    "ct.useragent glob '*cli/?*'",
    "ct.useragent regex '.*[0-9][.][0-9]+'",
    "ct.name = CreateBucket",
  ];

  it.each(agents.map((a) => [String(a), a]))("decides as each check alone, user agent %s", (_label, agent) => {
    const ev = { ...E1, userAgent: agent };
    if (agent === undefined) delete (ev as Record<string, unknown>).userAgent;
    const alone = checks.map((c) => matches(c, ev));
    // Runs of one field, interleaved with another field and cut by it.
    for (let i = 0; i < checks.length; i++) {
      for (let j = i + 1; j <= checks.length; j++) {
        const part = checks.slice(i, j);
        expect([part.join(" or "), matches(part.join(" or "), ev)]).toEqual([part.join(" or "), alone.slice(i, j).some(Boolean)]);
      }
    }
    expect(matches("tolower(ct.useragent) contains kali or ct.name = X or tolower(ct.useragent) contains pacu", ev)).toBe(alone[0] || alone[1]);
  });

  it("finds each of several constants, whatever characters they hold", () => {
    // Read as patterns, the first set would match every text (x*); the second would not compile.
    for (const needles of [["a.b", "x*", "(y)", "[z]", "p|q", "^s$", "a/b-c"], ["{1}", "+?", "a\\b"]]) {
      const condition = needles.map((n) => `ct.useragent contains '${n.replace(/\\/g, "\\\\")}'`).join(" or ");
      for (const n of needles) {
        expect([n, matches(condition, { ...E1, userAgent: `before ${n} after` })]).toEqual([n, true]);
        const lookalike = n.replace(/[^a-z]/g, "") + "!";
        expect([lookalike, matches(condition, { ...E1, userAgent: lookalike })]).toEqual([lookalike, false]);
      }
    }
    expect(matches("ct.useragent contains '' or ct.useragent contains zz", { ...E1, userAgent: "anything" })).toBe(true);
  });

  it("still warns about each check and refuses a bad one", () => {
    const r = load([rule("ct.useragent contains kali or ct.useragent = ct.name or ct.useragent regex '('")]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toContain("regex");
  });
});
