import fc from "fast-check";
import { globMatcher } from "../../../detector/src/engine/condition/operators/glob";
import { pmatchMatcher } from "../../../detector/src/engine/condition/operators/pmatch";
import { regexMatcher, RegexSyntaxError } from "../../../detector/src/engine/condition/operators/regex";
import { loaded, rule } from "../../support/engine";

/**
 * Property tests of the operators: each agrees with a plain reference definition on generated
 * patterns and values (matching and not matching alike), and answers in bounded time on long,
 * hostile values where a backtracking matcher would run for hours.
 */

function timedMs<T>(f: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

// --- glob: against fnmatch written as a table (dynamic programming over tokens) ----------------

type GlobToken = "a" | "b" | "*" | "?" | "[ab]" | "[!a]" | "\\*";
const one = (t: GlobToken, c: string): boolean =>
  t === "?" ? true : t === "[ab]" ? c === "a" || c === "b" : t === "[!a]" ? c !== "a" : t === "\\*" ? c === "*" : t === c;

function fnmatchReference(tokens: GlobToken[], value: string): boolean {
  // can[i][j]: tokens[i..] match value[j..]
  const n = tokens.length;
  const m = value.length;
  let next = Array.from({ length: m + 1 }, (_, j) => j === m);
  for (let i = n - 1; i >= 0; i--) {
    const cur = new Array<boolean>(m + 1).fill(false);
    for (let j = m; j >= 0; j--) {
      cur[j] = tokens[i] === "*" ? next[j] || (j < m && cur[j + 1]) : j < m && one(tokens[i], value[j]) && next[j + 1];
    }
    next = cur;
  }
  return next[0];
}

const globTokens = fc.array(fc.constantFrom<GlobToken>("a", "b", "*", "?", "[ab]", "[!a]", "\\*"), { maxLength: 12 });
const globValue = fc.array(fc.constantFrom("a", "b", "*", "c"), { maxLength: 16 }).map((cs) => cs.join(""));

// --- regex: against JavaScript's RegExp, on constructs where RE2 POSIX and JS agree -------------

const regexAtom = fc.constantFrom("a", "b", ".", "[ab]", "[^a]", "(a|b)", "(ab)");
const regexPattern = fc
  .array(fc.tuple(regexAtom, fc.constantFrom("", "*", "+", "?", "{0,2}", "{2}")), { minLength: 1, maxLength: 6 })
  .chain((parts) => fc.constantFrom(parts.map(([a, op]) => a + op).join(""), `(${parts.map(([a, op]) => a + op).join("")})*`));
const regexValue = fc.array(fc.constantFrom("a", "b", "\n", "c"), { maxLength: 12 }).map((cs) => cs.join(""));

describe("operators agree with their definitions, on matches and non-matches alike", () => {
  it("glob is fnmatch", () => {
    fc.assert(
      fc.property(globTokens, globValue, (tokens, value) => {
        expect(globMatcher(tokens.join(""), false)(value)).toBe(fnmatchReference(tokens, value));
      }),
      { numRuns: 3000 },
    );
  });

  it("regex is a full match, as RE2 POSIX (here equal to JavaScript's)", () => {
    fc.assert(
      fc.property(regexPattern, regexValue, (pattern, value) => {
        const reference = new RegExp(`^(?:${pattern})$`, "u").test(value);
        expect(regexMatcher(pattern)(value)).toBe(reference);
      }),
      { numRuns: 800 },
    );
  });

  it("pmatch with literal patterns is a component-wise prefix", () => {
    const component = fc.constantFrom("a", "b", "ab");
    const pathOf = fc.array(component, { minLength: 1, maxLength: 4 }).map((cs) => "/" + cs.join("/"));
    fc.assert(
      fc.property(fc.array(pathOf, { minLength: 1, maxLength: 4 }), pathOf, (patterns, value) => {
        const parts = (p: string) => p.split("/").filter(Boolean);
        const v = parts(value);
        const reference = patterns.some((p) => parts(p).every((c, i) => v[i] === c));
        expect(pmatchMatcher(patterns)(value)).toBe(reference);
      }),
      { numRuns: 1000 },
    );
  });

  it("string operators compare as their names say, in the engine", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "A", "/", ".", "-", "é", " "), maxLength: 8 });
    fc.assert(
      fc.property(text, text, (value, operand) => {
        const event = { eventName: "GetObject", eventTime: "2024-05-01T00:00:00Z", eventType: "AwsApiCall", userAgent: value };
        const quoted = JSON.stringify(operand);
        const expected: Record<string, boolean> = {
          "=": value === operand,
          "!=": value !== operand,
          contains: value.includes(operand),
          icontains: value.toLowerCase().includes(operand.toLowerCase()),
          startswith: value.startsWith(operand),
          endswith: value.endsWith(operand),
          in: value === operand,
          "<": value < operand,
          ">=": value >= operand,
        };
        for (const [op, want] of Object.entries(expected)) {
          const right = op === "in" ? `(${quoted})` : quoted;
          if ((op === "<" || op === ">=") && !/^[0-9]+$/.test(operand)) continue;
          expect([op, value, operand, loaded([rule(`ct.useragent ${op} ${right}`)]).evaluate(event).length > 0]).toEqual([op, value, operand, want]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("operators answer in bounded time on hostile values", () => {
  const longValue = fc.tuple(fc.constantFrom("a", "ab", "a/", "x", "aaaaaaaaab"), fc.integer({ min: 10_000, max: 100_000 }), fc.constantFrom("", "!", "b", "/")).map(([unit, n, tail]) => unit.repeat(n / unit.length) + tail);

  it("glob, with any stars, on values up to 100,000 characters", () => {
    fc.assert(
      fc.property(globTokens, longValue, fc.boolean(), (tokens, value, fold) => {
        const match = globMatcher(tokens.join(""), fold);
        expect(timedMs(() => match(value)).ms).toBeLessThan(2000);
      }),
      { numRuns: 60 },
    );
  });

  it("regex, nested quantifiers included, on values up to 100,000 characters", () => {
    const nested = fc.constantFrom("(a+)+b", "(a|aa)*b", "(a*)*b", "((a+[-_.]?)+[.](zip|tar))", "(.*a){10}b", "([[:alnum:]]+[-_.]?)+[.](zip|tar|7z)");
    fc.assert(
      fc.property(fc.oneof(nested, regexPattern), longValue, (pattern, value) => {
        let match: (v: string) => boolean;
        try {
          match = regexMatcher(pattern);
        } catch (e) {
          expect(e).toBeInstanceOf(RegexSyntaxError);
          return;
        }
        expect(timedMs(() => match(value)).ms).toBeLessThan(3000);
      }),
      { numRuns: 40 },
    );
  });

  it("pmatch on deep paths", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("/a", "/a/*", "/*/b", "/a/b/c"), { minLength: 1, maxLength: 5 }), longValue, (patterns, value) => {
        const match = pmatchMatcher(patterns);
        expect(timedMs(() => match(value)).ms).toBeLessThan(2000);
      }),
      { numRuns: 40 },
    );
  });

  it("every string operator, in the engine, on long values", () => {
    const ops = ["=", "!=", "contains", "icontains", "startswith", "endswith", "glob", "iglob", "regex", "pmatch", "in", "intersects"];
    const ruleset = loaded(
      ops.map((op, i) => rule(`ct.useragent ${op} ${["pmatch", "in", "intersects"].includes(op) ? "(aaaa, /a/b)" : op === "regex" ? "'(a+)+b'" : op.endsWith("glob") ? "'*a*a*a*a*a*a*b'" : "aaaab"}`, "o", { rule: `r${i}` })),
      { ruleMatching: "all" },
    );
    fc.assert(
      fc.property(longValue, (value) => {
        const event = { eventName: "GetObject", eventTime: "2024-05-01T00:00:00Z", eventType: "AwsApiCall", userAgent: value };
        expect(timedMs(() => ruleset.evaluate(event)).ms).toBeLessThan(3000);
      }),
      { numRuns: 30 },
    );
  });
});
