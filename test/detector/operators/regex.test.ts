import { regexMatcher } from "../../../detector/src/engine/condition/operators/regex";

/** RE2 in POSIX mode, whole-value match (Falco's `regex`), translated to JavaScript. */
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

  it("lets ^ and $ match at line breaks, and keeps . and [^...] off newlines", () => {
    expect(m("a\n^b$", "a\nb")).toBe(true);
    expect(m("a.b", "a\nb")).toBe(false);
    expect(m("a[^x]b", "a\nb")).toBe(false);
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

  it("reads octal and hex escapes", () => {
    expect(m("\\x41\\x{42}\\103", "ABC")).toBe(true);
    expect(m("\\t", "\t")).toBe(true);
  });
});
