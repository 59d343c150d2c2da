import fc from "fast-check";
import { RE2JS } from "re2js";
import { regexMatcher, requiredLiterals, translateRegex } from "../../../detector/src/engine/condition/operators/regex";

/** RE2 in POSIX mode, whole-value match (Falco's `regex`), run by re2js (linear time). */
describe("regex", () => {
  const m = (pattern: string, value: string) => regexMatcher(pattern)(value);

  it("matches the whole value", () => {
    expect(m("Bucket", "CreateBucket")).toBe(false);
    expect(m(".*Bucket", "CreateBucket")).toBe(true);
    expect(m("a|b", "a")).toBe(true);
    expect(m("a|b", "ab")).toBe(false);
  });

  it("accepts POSIX classes, ranges, bounded repetition and escaped punctuation", () => {
    expect(m("[[:digit:]]{12}", "123456789012")).toBe(true);
    expect(m("[[:digit:]]{12}", "12345678901")).toBe(false);
    expect(m("arn:aws:s3:::[a-z0-9.-]{3,63}", "arn:aws:s3:::my-bucket")).toBe(true);
    expect(m("a\\.b\\*", "a.b*")).toBe(true);
    expect(m("[^/]+/[^/]+", "a/b")).toBe(true);
    expect(m("x{2,}", "xxx")).toBe(true);
    expect(m("[]a]+", "]a]")).toBe(true);
    expect(m("[a-]+", "a-a")).toBe(true);
  });

  it("lets ^ and $ match at line breaks, keeps . off newlines, and lets [^...] match them", () => {
    expect(m("a\n^b$", "a\nb")).toBe(true);
    expect(m("a^b", "ab")).toBe(false);
    expect(m("a$\nb", "a\nb")).toBe(true);
    expect(m("a.b", "a\nb")).toBe(false);
    // RE2 parses with ClassNL (re2.cc ParseFlags): a negated class matches a newline.
    expect(m("a[^x]b", "a\nb")).toBe(true);
    expect(m("a[^x]b", "axb")).toBe(false);
    expect(m("a[[:^alpha:]]b", "a\nb")).toBe(true);
  });

  it("applies stacked repetitions one after the other, as POSIX does", () => {
    expect(m("a**", "aaa")).toBe(true);
    expect(m("a*?", "")).toBe(true);
  });

  it("treats a brace that is not a repetition as a literal", () => {
    expect(m("a{", "a{")).toBe(true);
    expect(m("a{,3}", "a{,3}")).toBe(true);
  });

  it.each([
    ["\\d+", "invalid escape sequence: \\d"],
    ["\\w", "invalid escape sequence: \\w"],
    ["\\b", "invalid escape sequence: \\b"],
    ["(?i)a", "missing argument to repetition operator: ?"],
    ["(?:a)", "missing argument to repetition operator: ?"],
    ["*a", "missing argument to repetition operator: *"],
    ["(a", "missing )"],
    ["a)", "unexpected )"],
    ["[a", "missing closing ]"],
    ["[z-a]", "bad character class range"],
    ["[a-c-e]", "bad character class range"],
    ["a{1001}", "bad repetition operator"],
    ["a{3,2}", "bad repetition operator"],
    ["\\1", "invalid escape sequence: \\1"],
    ["[[:nope:]]", "invalid character class range"],
  ])("rejects %s as RE2 does", (pattern, message) => {
    expect(() => regexMatcher(pattern)).toThrow(message);
  });

  it.each([
    ["(a{100}){100}", "(a{100}){100}", "bad repetition operator: {100}"],
    ["((a{10}){10}){11}", "((a{10}){10}){11}", "bad repetition operator: {11}"],
    ["(a{2,1000}){2}", "(a{2,1000}){2}", "bad repetition operator: {2}"],
    ["[a-z]{1000} 200 times", "[a-z]{1000}".repeat(200), "pattern too large - compile failed"],
    ["1001 nested groups", "(".repeat(1001) + ")".repeat(1001), "expression nests too deeply"],
  ])("refuses what RE2 refuses to compile: %s", (_label, pattern, message) => {
    expect(() => regexMatcher(pattern)).toThrow(message);
  });

  it("accepts nested repetitions up to RE2's product of 1000", () => {
    expect(m("((ab){10}){100}", "ab".repeat(1000))).toBe(true);
    expect(m("((ab){10}){100}", "ab".repeat(999))).toBe(false);
  });

  it("reads octal and hex escapes", () => {
    expect(m("\\x41\\x{42}\\103", "ABC")).toBe(true);
    expect(m("\\t", "\t")).toBe(true);
  });
});

describe("regex in linear time", () => {
  const timed = (pattern: string, value: string) => {
    const match = regexMatcher(pattern);
    const start = process.hrtime.bigint();
    const result = match(value);
    return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  };

  it("answers at once on nested quantifiers where backtracking took 55 seconds", () => {
    const r = timed("([[:alnum:]]+[-_.]?)+[.](zip|tar|7z)", "a".repeat(30) + "!");
    expect(r.result).toBe(false);
    // A behaviour bound with a wide margin: a backtracking engine needs about 2^30 steps here.
    expect(r.ms).toBeLessThan(1000);
    expect(timed("([[:alnum:]]+[-_.]?)+[.](zip|tar|7z)", "backup-2024.tar").result).toBe(true);
  });

  it.each([
    ["(a*)*b", "a".repeat(100_000)],
    ["(a|a)*b", "a".repeat(100_000)],
    ["(.*a){20}", "a".repeat(10_000) + "b"],
    [".*.*.*.*.*.*=.*", "x".repeat(100_000)],
  ])("stays linear: %s on a long value", (pattern, value) => {
    const r = timed(pattern, value);
    expect(r.result).toBe(false);
    expect(r.ms).toBeLessThan(2000);
  });
});

describe("texts every match holds", () => {
  it("reads plain runs at the top level, and nothing from a pattern it cannot read for certain", () => {
    expect(requiredLiterals(".*:assumed-role/[^/]+/i-[0-9a-fA-F]{8,17}")).toEqual([":assumed-role/", "/i-"]);
    expect(requiredLiterals("abc*de(fg)hi\\.j")).toEqual(["ab", "de", "hi.j"]);
    for (const unsure of ["ab|cd", "\\x41bc", "ab{,3}", "ab(c[d])", "x\u{1F600}*yz"]) expect(requiredLiterals(unsure)).toEqual([]);
  });

  it("are in every value the pattern matches", () => {
    const atom = fc.tuple(fc.constantFrom("a", "b", "x", ".", "[ab]", "[^a]", "(ab)", "\\.", "^", "$"), fc.constantFrom("", "", "*", "+", "?", "{2}", "{0,2}"));
    fc.assert(
      fc.property(fc.array(atom, { maxLength: 8 }), fc.array(fc.string({ unit: fc.constantFrom("a", "b", "x", ".", "\n") }), { maxLength: 20 }), (atoms, values) => {
        const pattern = atoms.map(([a, q]) => (a === "^" || a === "$" ? a : a + q)).join("");
        const re = RE2JS.compile(translateRegex(pattern).source);
        for (const value of values) if (re.matches(value)) for (const text of requiredLiterals(pattern)) expect(value).toContain(text);
        for (const value of values) expect(regexMatcher(pattern)(value)).toBe(re.matches(value));
      }),
      { numRuns: 300 },
    );
  });
});
