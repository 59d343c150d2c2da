import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { loadStatefulRules, type RulesFile } from "../../detector/src";
import { REPO } from "./cli";

/**
 * Rule fixtures as the rule library's runner (`npx detector test`) reads them: each file under
 * rules/tests/<theme>/ is a YAML list of cases {rule, description, source, expect, events}; each
 * case runs on a fresh ruleset (rule_matching all) and counts the alerts of its rule. Until that
 * runner is merged, the stateful fixtures are run from jest with the same semantics, through the
 * same entry point the runner should use: loadStatefulRules.
 */

// The detector's YAML reader (js-yaml 5), the one the rules are read with.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require(require.resolve("js-yaml", { paths: [path.join(REPO, "detector")] })) as { load(text: string): unknown };

export interface RuleFixtureCase {
  file: string;
  rule: string;
  description: string;
  source: string;
  expect: "alert" | "no_alert" | number;
  events: Record<string, unknown>[];
}

export const RULES_DIR = path.join(REPO, "rules");

/** The bundled rules files, in name order (not rules/tests). */
export function bundledRules(): RulesFile[] {
  return readdirSync(RULES_DIR)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => ({ name: path.join("rules", n), content: readFileSync(path.join(RULES_DIR, n), "utf8") }));
}

export function readFixtureCases(theme: string): RuleFixtureCase[] {
  const dir = path.join(RULES_DIR, "tests", theme);
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .flatMap((n) => (yaml.load(readFileSync(path.join(dir, n), "utf8")) as Omit<RuleFixtureCase, "file">[]).map((c) => ({ ...c, file: n })));
}

/** The number of alerts the case's rule raises over its events, on a fresh ruleset. */
export async function alertsOfCase(rules: RulesFile[], c: RuleFixtureCase): Promise<number> {
  const loaded = loadStatefulRules(rules, { ruleMatching: "all", hostname: "fixtures" });
  if (!loaded.ok || !loaded.stateful) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
  if (!loaded.stateful.ruleset.rules.some((r) => r.name === c.rule)) throw new Error(`${c.file}: no rule named '${c.rule}'`);
  let n = 0;
  for (const e of c.events) for (const a of (await loaded.stateful.evaluate(e)).alerts) if (a.rule === c.rule) n++;
  return n;
}

/** Does a count of alerts meet the case's expectation? */
export function meets(expect: RuleFixtureCase["expect"], alerts: number): boolean {
  if (expect === "alert") return alerts > 0;
  if (expect === "no_alert") return alerts === 0;
  return alerts === expect;
}
