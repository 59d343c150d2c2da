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
    ["arn:aws:iam::*:role/ci-*", "arn:aws:iam::1:role/ci-deploy", true],
  ])("%s matches %s: %s", (pattern, value, expected) => {
    expect(globMatcher(pattern, false)(value)).toBe(expected);
  });

  it("iglob folds case", () => {
    expect(globMatcher("CREATE*", true)("CreateBucket")).toBe(true);
    expect(globMatcher("CREATE*", false)("CreateBucket")).toBe(false);
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
  ])("%j matches %s: %s", (patterns, value, expected) => {
    expect(pmatchMatcher(patterns)(value)).toBe(expected);
  });
});
