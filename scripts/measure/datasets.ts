import * as fs from "node:fs";
import * as path from "node:path";
import type { CloudTrailRecord } from "./types";

/** Panther's labelled rule tests in the shared data (`dir`): read, never copied. */

/** One of Panther's labelled rule tests: a CloudTrail event and whether their rule should match it. */
export interface PantherTest {
  ruleId: string;
  testName: string;
  expected: boolean;
  hasMocks: boolean;
  log: CloudTrailRecord;
}

export function pantherTests(dir: string): PantherTest[] {
  const text = fs.readFileSync(path.join(dir, "panther-analysis", "derived", "panther_cloudtrail_tests.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { rule_id: string; test_name: string; expected: boolean; has_mocks: boolean; is_cloudtrail: boolean; log: CloudTrailRecord })
    .filter((t) => t.is_cloudtrail && t.log && typeof t.log === "object")
    .map((t) => ({ ruleId: t.rule_id, testName: t.test_name, expected: t.expected, hasMocks: t.has_mocks, log: t.log }));
}
