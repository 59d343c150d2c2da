import * as fs from "node:fs";
import * as path from "node:path";
import type { CloudTrailRecord } from "./types";

/** Readers for the shared data sets; `dir` is the shared data folder. Files are read, never copied. */

export function stratusDetonationFile(dir: string, technique: string): string {
  return path.join(dir, "stratus-red-team", "raw", "docs", "detonation-logs", `${technique}.json`);
}

/** The real CloudTrail records of one Stratus Red Team detonation (management events only). */
export function stratusDetonation(dir: string, technique: string): CloudTrailRecord[] {
  return JSON.parse(fs.readFileSync(stratusDetonationFile(dir, technique), "utf8")) as CloudTrailRecord[];
}

/** Every record of the Invictus-IR CloudTrail files, file by file in name order, each in file order. */
export function invictusRecords(dir: string): CloudTrailRecord[] {
  const folder = path.join(dir, "invictus-ir-aws-dataset", "raw", "CloudTrail");
  const records: CloudTrailRecord[] = [];
  for (const name of fs.readdirSync(folder).filter((n) => n.endsWith(".json")).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(folder, name), "utf8")) as { Records: CloudTrailRecord[] };
    records.push(...doc.Records);
  }
  return records;
}

/** Invictus-IR marks the simulation's calls by Stratus Red Team's user agent; the rest is ordinary traffic. */
export function isStratusRecord(record: CloudTrailRecord): boolean {
  return typeof record.userAgent === "string" && record.userAgent.includes("stratus-red-team");
}

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
