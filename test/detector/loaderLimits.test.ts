import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { RULES_LIMITS } from "../../detector/src/engine/loader/budget";
import { s3guard } from "../support/cli";
import { load, rule } from "../support/engine";

/**
 * Rules files that cost far more than they weigh (macros that double each other, lists of lists,
 * YAML aliases of aliases, nesting, huge patterns) are refused quickly, with an error that names
 * the limit, where it was reached and what to do, instead of exhausting time, memory or the stack.
 */

/** `eN: eN-1 and eN-1`: 23 lines stand for 2^22 checks. */
export function doublingMacros(n = 22): string {
  const lines = ["- macro: e0", "  condition: ct.name = PutBucketPolicy"];
  for (let i = 1; i <= n; i++) lines.push(`- macro: e${i}`, `  condition: e${i - 1} and e${i - 1}`);
  lines.push("- rule: bomb", "  desc: d", `  condition: e${n}`, "  output: o", "  priority: WARNING", "  source: aws_cloudtrail");
  return lines.join("\n") + "\n";
}

function elapsed<T>(f: () => T): { value: T; ms: number } {
  const start = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

describe("loading within limits", () => {
  it("refuses macros that double each other at once, naming the macro that crosses the limit", () => {
    const { value: r, ms } = elapsed(() => load(doublingMacros()));
    expect(r.ok).toBe(false);
    // e16 is 2^17 - 1 checks: the first over the limit.
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_LIMIT", location: { itemKind: "macro", itemName: "e16" } });
    expect(r.errors[0].message).toContain(`condition too large: 131071 checks once its macros are expanded, more than the ${RULES_LIMITS.conditionChecks} allowed`);
    expect(ms).toBeLessThan(5000);
  });

  it("shares a macro used twice instead of copying it, and evaluates it", () => {
    const r = load(doublingMacros(12));
    expect(r.ok).toBe(true);
    expect(r.ruleset!.evaluate({ eventName: "PutBucketPolicy", eventTime: "2024-05-01T00:00:00Z", eventType: "AwsApiCall" })).toHaveLength(1);
  });

  it("refuses a condition nested deeper than the stack once macros are expanded", () => {
    const items: object[] = [{ macro: "m0", condition: "ct.name = X" }];
    for (let i = 1; i <= 1500; i++) items.push({ macro: `m${i}`, condition: `not (ct.name = Y or m${i - 1})` });
    items.push(rule("m1500"));
    const r = load(items);
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_LIMIT" });
    expect(r.errors[0].message).toMatch(/nests (more than 1000|\d+) levels deep once its macros are expanded/);
  });

  it("refuses deeply nested parentheses with a syntax error, not a crash", () => {
    const r = load([rule("(".repeat(100_000) + "ct.name = X" + ")".repeat(100_000))]);
    expect(r.errors[0].message).toContain("exceeded max depth limit of 1000");
  });

  it("refuses lists that multiply lists", () => {
    const big = Array.from({ length: 2000 }, (_, i) => `v${i}`);
    const r = load([{ list: "big", items: big }, { list: "huge", items: Array.from({ length: 1000 }, () => "big") }, rule("ct.name in (huge)")]);
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_LIMIT", location: { itemKind: "list", itemName: "huge" } });
    expect(r.errors[0].message).toContain(`more than ${RULES_LIMITS.listItems} items in all`);
  });

  it("refuses a list copied into a condition too many times", () => {
    const big = Array.from({ length: 50_000 }, (_, i) => `value-${i}`);
    const cond = Array.from({ length: 200 }, () => "ct.name in (big)").join(" or ");
    const r = load([{ list: "big", items: big }, rule(cond)]);
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_LIMIT" });
    expect(r.errors[0].message).toContain("condition too long");
  });

  it("refuses YAML aliases of aliases", () => {
    const lines = ["- list: l0", "  items: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i <= 8; i++) lines.push(`- list: l${i}`, `  items: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
    const { value: r, ms } = elapsed(() => load(lines.join("\n")));
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_YAML_PARSE" });
    expect(r.errors[0].message).toContain("YAML nodes once its aliases are expanded");
    expect(ms).toBeLessThan(5000);
  });

  it("refuses an alias that contains itself", () => {
    const r = load("- list: l\n  items: &a [x, *a]\n");
    expect(r.errors[0].message).toContain("refers to a node that contains it");
  });

  it("refuses exceptions multiplied by aliases", () => {
    const values = `&row [${Array.from({ length: 2000 }, () => "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").join(", ")}]`;
    const yaml = [
      "- rule: r",
      "  desc: d",
      "  condition: ct.name = X",
      "  output: o",
      "  priority: WARNING",
      "  source: aws_cloudtrail",
      "  exceptions:",
      "    - name: e",
      "      fields: [ct.user]",
      "      comps: [in]",
      `      values: [[${values}], ${Array.from({ length: 200 }, () => "[*row]").join(", ")}]`,
    ].join("\n");
    const r = load(yaml);
    expect(r.ok).toBe(false);
    expect(r.errors[0].code).toBe("LOAD_ERR_LIMIT");
  });

  it("refuses a rules file larger than the limit", () => {
    const pad = `# ${"x".repeat(1024)}\n`.repeat(Math.ceil(RULES_LIMITS.fileBytes / 1024) + 1);
    const r = load(pad + JSON.stringify([rule("ct.name = X")]));
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_LIMIT", location: { file: "test.yaml" } });
    expect(r.errors[0].message).toContain("rules file too large");
  });

  it("refuses regex patterns too large in all, even when each one is allowed", () => {
    // Each about 150,000 RE2 instructions (RE2 compiles up to about 170,000).
    const patterns = Array.from({ length: 7 }, (_, i) => rule(`ct.name regex '${"[a-z]{1000}".repeat(150)}x${i}'`, "o", { rule: `r${i}` }));
    const r = load(patterns);
    expect(r.errors[0]).toMatchObject({ code: "LOAD_ERR_LIMIT" });
    expect(r.errors[0].message).toContain("regex patterns too large");
  });

  it("reads long names and field references in one pass", () => {
    const long = "a".repeat(200_000);
    const { value: r, ms } = elapsed(() => load([rule(`${long}!`), { macro: `${long}!`, condition: "ct.name = X" }]));
    expect(r.ok).toBe(false);
    const { ms: ms2 } = elapsed(() =>
      load([rule("ct.name = X", "o", { exceptions: [{ name: "e", fields: [`${"a.".repeat(5).slice(0, -1)}${"a".repeat(50_000)}!`], values: [["x"]] }] })]),
    );
    expect(ms + ms2).toBeLessThan(5000);
  });
});

describe("s3guard validate on a macro bomb", () => {
  it("fails fast with the limit, where the old engine took half a minute and 1.8 GB", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "s3guard-limits-"));
    const file = path.join(dir, "bomb.yaml");
    writeFileSync(file, doublingMacros());
    const start = Date.now();
    const run = await s3guard(["validate", file]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("LOAD_ERR_LIMIT");
    expect(run.stderr).toContain("macro 'e16'");
    expect(Date.now() - start).toBeLessThan(10_000);
  });
});
