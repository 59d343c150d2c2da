import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { formatReport, readFixtures, runRuleTests } from "../../detector/src/ruletest";
import { bundledRulesFiles, FIXTURES_DIR } from "../support/bundledRules";
import { s3RansomwareFixtureFiles } from "./fixtures/s3RansomwareFixtures";

/**
 * The stateful S3 rules against their fixtures in rules/tests/s3-ransomware, through the
 * runner of `s3guard test` (the whole library's fixtures also run in fixtures.test.ts).
 */

const dir = path.join(FIXTURES_DIR, "s3-ransomware");
const files = s3RansomwareFixtureFiles();
if (process.env.UPDATE_FIXTURES === "1") {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

describe("the s3-ransomware fixtures", () => {
  it("are what their generator writes (UPDATE_FIXTURES=1 rewrites them)", () => {
    for (const [name, text] of Object.entries(files)) {
      expect(existsSync(path.join(dir, name))).toBe(true);
      expect(readFileSync(path.join(dir, name), "utf8") === text).toBe(true);
    }
  });

  it("all pass: the Stratus Red Team techniques, the near misses, the window edges, out-of-order and repeated records", async () => {
    const fixtures = await readFixtures(dir);
    const report = await runRuleTests(await bundledRulesFiles(), fixtures.cases, fixtures.problems);
    if (!report.passed) throw new Error(formatReport(report));
    expect(fixtures.cases.length).toBeGreaterThan(60);
    const ours = report.rules.filter((r) => r.cases > 0).map((r) => [r.rule, r.failed]);
    expect(ours.sort()).toEqual([
      ["S3 Mass Object Deletion", 0],
      ["S3 Object Versions Listed", 0],
      ["S3 Versions Listed then Batch-Deleted", 0],
      ["S3 Mass Re-encryption with Customer-Provided Key", 0],
      ["S3 Bulk Download", 0],
      ["S3 Deletion after Bulk Download", 0],
      ["S3 Access Denied Burst", 0],
      ["S3 Ransom Note after Destruction", 0],
    ].sort());
  });
});
