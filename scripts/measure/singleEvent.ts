import type { RulesFile } from "s3guard";
import { runRules } from "./evaluate";
import type { CloudTrailRecord, Fired } from "./types";

/**
 * The alerts one record raises on its own with a fresh ruleset (every matching rule alerts, stateful
 * rules included: a rule that only suppresses repeats alerts on a first record). Used where labelled
 * tests are single events (Panther's).
 */
export function singleRecordEvaluator(files: readonly RulesFile[]): (record: CloudTrailRecord) => Promise<Fired[]> {
  return async (record) => (await runRules(files, [record])).filter((a) => a.raised).map((a) => ({ rule: a.rule, tags: a.tags }));
}
