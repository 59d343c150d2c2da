import { readFileSync } from "node:fs";
import { loadStatefulRules, type RulesFile } from "../../detector/src";
import { inTimeOrder } from "../../scripts/measure/evaluate";
import { DATASETS } from "../../scripts/measure/catalog";
import { bundledRulesFiles } from "../support/bundledRules";
import { describeWithSharedData, sharedData } from "../support/sharedData";

/** Real traffic raises none of the stateful S3 ransomware rules: it holds no burst of destruction. */

const RANSOMWARE_RULES = [
  "S3 Mass Object Deletion",
  "S3 Versions Listed then Batch-Deleted",
  "S3 Mass Re-encryption with Customer-Provided Key",
  "S3 Bulk Download",
  "S3 Deletion after Bulk Download",
  "S3 Access Denied Burst",
  "S3 Ransom Note after Destruction",
  "S3 Objects Deleted after Versioning Suspended",
];

async function ransomwareAlerts(files: readonly RulesFile[], records: readonly unknown[]): Promise<string[]> {
  const loaded = loadStatefulRules(files, { ruleMatching: "all" });
  if (!loaded.stateful) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
  const fired: string[] = [];
  for (const r of records) for (const a of (await loaded.stateful.evaluate(r)).alerts) if (RANSOMWARE_RULES.includes(a.rule)) fired.push(a.rule);
  return fired;
}

describeWithSharedData("the stateful S3 ransomware rules on real traffic", (dir) => {
  let files: RulesFile[];
  beforeAll(async () => {
    files = await bundledRulesFiles();
  });

  it("raise nothing over the Invictus-IR dataset (benign traffic and Stratus Red Team detonations)", async () => {
    const invictus = DATASETS.find((d) => d.id === "invictus-ir")!;
    const records = inTimeOrder(invictus.read(dir));
    expect(records.length).toBe(2900);
    expect(await ransomwareAlerts(files, records)).toEqual([]);
  });

  it("raise nothing over Panther's labelled CloudTrail test events, read as one stream", async () => {
    const lines = readFileSync(sharedData("panther-analysis", "derived", "panther_cloudtrail_events_only.jsonl"), "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThan(400);
    expect(await ransomwareAlerts(files, lines.map((l) => JSON.parse(l) as unknown))).toEqual([]);
  });
});
