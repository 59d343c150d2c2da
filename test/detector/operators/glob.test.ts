import { globMatcher } from "../../../detector/src/engine/condition/operators/glob";
import { pmatchMatcher } from "../../../detector/src/engine/condition/operators/pmatch";

describe("glob (fnmatch without flags)", () => {
  it.each([
    ["*", "", true],
    ["*", "a/b/.c", true],
    ["?", "é", true],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["[abc]x", "bx", true],
    ["[!abc]x", "bx", false],
    ["[^abc]x", "dx", true],
    ["[a-c]*", "cat", true],
    ["[[:digit:]]*", "9lives", true],
    ["[]]", "]", true],
    ["\\*", "*", true],
    ["\\*", "x", false],
    ["[", "[", true],
    ["a[", "a[", true],
    ["*.txt", "FILES-DELETED.txt", true],
    ["*.txt", "FILES-DELETED.txt.gz", false],
    ["arn:aws:iam::*:role/ci-*", "arn:aws:iam::1:role/ci-deploy", true],
    ["arn:aws:iam::*:role/ci-*", "arn:aws:iam::1:user/ci-deploy", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "acb", false],
    ["a*a", "a", false],
    ["a*a", "aa", true],
    ["*a*", "bbb", false],
    ["[z-a]x", "bx", false],
    ["[a-c]x", "dx", false],
    ["x[[:upper:]]", "xQ", true],
    ["x[[:upper:]]", "xq", false],
    ["?", "", false],
    ["??", "é", false],
    ["a\\*", "a*", true],
    ["a\\*", "ab", false],
  ])("%s matches %s: %s", (pattern, value, expected) => {
    expect(globMatcher(pattern, false)(value)).toBe(expected);
  });

  it("iglob folds case, in literals and sets", () => {
    expect(globMatcher("CREATE*", true)("CreateBucket")).toBe(true);
    expect(globMatcher("CREATE*", false)("CreateBucket")).toBe(false);
    expect(globMatcher("*[B]UCKET", true)("createbucket")).toBe(true);
    expect(globMatcher("[a-z]*", true)("Zebra")).toBe(true);
    expect(globMatcher("ÉTÉ*", true)("été 2024")).toBe(true);
    expect(globMatcher("delete*", true)("CreateBucket")).toBe(false);
  });

  it("counts a character outside the BMP as one", () => {
    expect(globMatcher("a?b", false)("a😀b")).toBe(true);
    expect(globMatcher("a??b", false)("a😀b")).toBe(false);
  });
});

describe("glob in bounded time", () => {
  const timed = (pattern: string, value: string) => {
    const match = globMatcher(pattern, false);
    const start = process.hrtime.bigint();
    const result = match(value);
    return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
  };

  it("answers at once where a backtracking match ran for minutes", () => {
    const r = timed("*a*a*a*a*a*a*b", "a".repeat(200));
    expect(r.result).toBe(false);
    expect(r.ms).toBeLessThan(1000);
  });

  it.each([
    ["*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(100_000)],
    ["*?a?*?a?*?a?*b", "a".repeat(100_000)],
    ["*[a-z][a-z]*[a-z]*c", "ab".repeat(50_000)],
  ])("stays fast: %s on a long value", (pattern, value) => {
    const r = timed(pattern, value);
    expect(r.result).toBe(false);
    expect(r.ms).toBeLessThan(2000);
  });
});

describe("pmatch (path prefixes)", () => {
  it.each([
    [["/var"], "/var", true],
    [["/var"], "/var/lib/x", true],
    [["/var/lib"], "/var", false],
    [["/var"], "/variable", false],
    [["/var/lib", "/var"], "/var/run", true],
    [["/var", "/var/lib"], "/var/run", true],
    [["/"], "/anything", true],
    [["/v*"], "/var/x", true],
    [["/v*/lib"], "/var/lib/x", true],
    [["/v*/lib"], "/var/run", false],
    [["a/b"], "/a/b/c", true],
    [["//a//b"], "a/b", true],
    [["/a/b"], "/a", false],
    [["/a/*/c"], "/a/b/d", false],
  ])("%j matches %s: %s", (patterns, value, expected) => {
    expect(pmatchMatcher(patterns)(value)).toBe(expected);
  });

  it("takes patterns and values of any depth without recursing", () => {
    const deep = "/x".repeat(200_000);
    expect(pmatchMatcher([deep])(deep + "/y")).toBe(true);
    expect(pmatchMatcher([deep + "/z"])(deep + "/y")).toBe(false);
  });
});
