import { loadStatefulRules, type RulesFile } from "s3guard";
import type { EvaluateAll } from "./types";

/**
 * Every matching rule's alerts, record by record, with a fresh ruleset: single-event rules only
 * (stateful rules need many records). Used where labelled tests are single events (Panther's).
 */
export function evaluatorOf(files: readonly RulesFile[]): EvaluateAll {
  return (records) => {
    const loaded = loadStatefulRules(files, { ruleMatching: "all" });
    if (!loaded.ok || !loaded.ruleset) throw new Error(`the rules do not load: ${loaded.errors.map((e) => e.text).join("\n")}`);
    const ruleset = loaded.ruleset;
    return records.map((r) => ruleset.inspect(r).alerts.map((a) => ({ rule: a.rule, tags: a.tags })));
  };
}
