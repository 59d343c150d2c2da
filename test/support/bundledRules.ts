import * as fs from "node:fs";
import * as path from "node:path";
import { readRulesFiles } from "../../detector/src/cli/rulesFiles";
import type { RulesFile } from "../../detector/src/engine";
import { loadStatefulRules } from "../../detector/src/stateful";
import { readFixtures, type FixtureCase } from "../../detector/src/ruletest";
import type { CloudTrailRecord } from "../../scripts/measure/types";

/** The bundled rules folder and its fixtures, as the CLI and the service find them. */
export const RULES_DIR = path.resolve(__dirname, "..", "..", "rules");
export const FIXTURES_DIR = path.join(RULES_DIR, "tests");

export function bundledRulesFiles(): Promise<RulesFile[]> {
  return readRulesFiles([RULES_DIR]);
}

/** The bundled fixture case of `rule` whose description starts with `description`. */
export async function fixtureCase(rule: string, description: string): Promise<FixtureCase> {
  const { cases } = await readFixtures(FIXTURES_DIR);
  const found = cases.find((c) => c.rule === rule && c.description.startsWith(description));
  if (!found) throw new Error(`no fixture of '${rule}' described as '${description}...'`);
  return found;
}

/**
 * Rule names that alert on `records` (all matching rules, a fresh ruleset) with `files` loaded, one
 * record at a time: stateful rules, which need a sequence of records, do not alert here.
 */
export function alertingRules(files: readonly RulesFile[], records: readonly CloudTrailRecord[]): string[] {
  const loaded = loadStatefulRules(files, { ruleMatching: "all" });
  if (!loaded.ruleset) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
  const ruleset = loaded.ruleset;
  return records.flatMap((r) => ruleset.inspect(r).alerts.map((a) => a.rule));
}

/**
 * The bundled rules files as one rules text (their YAML lists, one after the other, in load order),
 * for harnesses that upload a single rules file.
 */
export function bundledRulesText(): string {
  return fs
    .readdirSync(RULES_DIR)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => fs.readFileSync(path.join(RULES_DIR, n), "utf8"))
    .join("\n");
}
