import fc from "fast-check";
import { ConditionSyntaxError, loadRules } from "../../../detector/src/engine";
import { parseCondition } from "../../../detector/src/engine/condition/parser";

/**
 * Property tests of the condition language with generated hostile input: deep nesting, long
 * tokens, arbitrary text, macro graphs that share and multiply. Whatever the input, parsing and
 * loading end with a result or a load error, never a crash (a stack overflow, an exception that
 * is not a load error), and in bounded time. Bounds are generous: behaviour, not benchmarks.
 */

const rulesItem = (condition: string) => JSON.stringify([{ rule: "r", desc: "d", condition, output: "o", priority: "WARNING", source: "aws_cloudtrail" }]);

/** Loads a condition; the result must be a load result, within `ms`. */
function loadsOrRefuses(content: string, ms = 5000): void {
  const start = process.hrtime.bigint();
  const r = loadRules([{ name: "p.yaml", content }]);
  const took = Number(process.hrtime.bigint() - start) / 1e6;
  expect(r.ok || r.errors.length > 0).toBe(true);
  for (const e of r.errors) expect(e.code).toMatch(/^LOAD_ERR_/);
  expect(took).toBeLessThan(ms);
}

const check = fc.constantFrom("ct.name = A", "ct.user exists", "s3.key glob '*a*'", "ct.name in (a, b)", "json.value[/x] regex 'a+'", "s3.bytes > 5");

/** A condition tree, up to `depth` levels of and/or/not/parentheses. */
const condition = (depth: number): fc.Arbitrary<string> =>
  fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", withCrossShrink: true, maxDepth: depth },
      check,
      fc.tuple(tie("expr"), fc.constantFrom(" and ", " or "), tie("expr")).map(([a, op, b]) => a + op + b),
      tie("expr").map((e) => `not ${e}`),
      tie("expr").map((e) => `(${e})`),
    ),
  })).expr;

describe("the condition parser and loader on hostile input", () => {
  it("parses or refuses any text, never crashing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        try {
          parseCondition(text);
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionSyntaxError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("loads generated conditions, or refuses them with a load error", () => {
    fc.assert(
      fc.property(condition(8), (c) => loadsOrRefuses(rulesItem(c))),
      { numRuns: 200 },
    );
  });

  it("refuses nesting of any depth with an error, not a stack overflow", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom("(", "not ", "not(", "(not "), (depth, open) => {
        const close = open.includes("(") ? ")" : "";
        loadsOrRefuses(rulesItem(open.repeat(depth) + "ct.name = A" + close.repeat(depth)));
      }),
      { numRuns: 30 },
    );
  });

  it("reads long tokens in time linear in their length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), fc.constantFrom("a", "a.", "1", "'", '"', "\\", "ct.name in (", "ct.name = "), fc.constantFrom("", "!", ")", "x"), (n, unit, tail) => {
        loadsOrRefuses(rulesItem(unit.repeat(Math.ceil(n / unit.length)) + tail));
      }),
      { numRuns: 40 },
    );
  });

  it("bounds macro graphs that share and multiply, in time and memory", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(" and ", " or "), (levels, uses, op) => {
        const items: object[] = [{ macro: "m0", condition: "ct.name = A" }];
        for (let i = 1; i <= levels; i++) items.push({ macro: `m${i}`, condition: Array.from({ length: uses }, () => `m${i - 1}`).join(op) });
        items.push({ rule: "r", desc: "d", condition: `m${levels}`, output: "o", priority: "WARNING", source: "aws_cloudtrail" });
        const before = process.memoryUsage().heapUsed;
        loadsOrRefuses(JSON.stringify(items));
        expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
      }),
      { numRuns: 60 },
    );
  });
});
