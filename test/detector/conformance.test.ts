import { readFileSync } from "node:fs";
import * as path from "node:path";
import { load, rule } from "../support/engine";

/**
 * The machine-checkable cases written for this project from Falco's sources and tests
 * (shared/spec/conformance-public.json, copied into test/fixtures). Each case is a condition or a
 * whole rules file, an event, and the expected verdict: true/false, or an error at load.
 */
interface Case {
  id: string;
  kind: "cond" | "rules";
  condition?: string;
  rules?: object[];
  event: object;
  expected: string;
  reason: string;
}

const cases: Case[] = JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "conformance-public.json"), "utf8"));

/** Load failures by stage: parse and compile errors of a condition, or validation of the whole file. */
const ERROR_CODES: Record<string, string[]> = {
  "parse error": ["LOAD_ERR_COMPILE_CONDITION"],
  "compile error": ["LOAD_ERR_COMPILE_CONDITION"],
  "load error": ["LOAD_ERR_VALIDATE", "LOAD_ERR_COMPILE_CONDITION", "LOAD_ERR_YAML_VALIDATE"],
};

describe("conformance cases", () => {
  it("are all present", () => {
    expect(cases.length).toBe(72);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const items = c.kind === "cond" ? [rule(c.condition as string)] : (c.rules as object[]);
    const result = load(items, { ruleMatching: "all" });
    if (c.expected in ERROR_CODES) {
      expect(result.ok).toBe(false);
      expect(ERROR_CODES[c.expected]).toContain(result.errors[0].code);
      // Every error names the file and the item it is about.
      expect(result.errors[0].text).toMatch(/^test\.yaml:\d+: (rule|macro|list) '/);
      return;
    }
    expect(result.errors).toEqual([]);
    const alerts = result.ruleset!.evaluate(c.event).filter((a) => a.rule === "r");
    expect(alerts.length > 0).toBe(c.expected === "true");
  });
});
