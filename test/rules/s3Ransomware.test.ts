import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { s3RansomwareFixtureFiles } from "./fixtures/s3RansomwareFixtures";
import { alertsOfCase, bundledRules, meets, readFixtureCases, RULES_DIR } from "../support/ruleFixtures";

/** rules/s3-ransomware-thresholds.yaml against its fixtures in rules/tests/s3-ransomware. */

const THEME = "s3-ransomware";
const dir = path.join(RULES_DIR, "tests", THEME);
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
});

describe("rules/s3-ransomware-thresholds.yaml", () => {
  const rules = bundledRules();
  const cases = readFixtureCases(THEME);

  it.each(cases.map((c) => [`${c.file}: ${c.rule}: ${c.description}`, c] as const))("%s", async (_name, c) => {
    const alerts = await alertsOfCase(rules, c);
    expect({ alerts, meetsExpectation: meets(c.expect, alerts) }).toEqual({ alerts, meetsExpectation: true });
  });
});
