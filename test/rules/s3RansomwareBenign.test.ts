import { readFileSync } from "node:fs";
import * as path from "node:path";
import { s3guard } from "../support/cli";
import { describeWithSharedData, sharedData } from "../support/sharedData";
import { loadStatefulRules } from "../../detector/src";

/** Real traffic raises none of the stateful s3-ransomware rules: it holds no burst of destruction. */

const RULES_FILE = path.resolve(__dirname, "..", "..", "rules", "s3-ransomware-thresholds.yaml");

describeWithSharedData("the s3-ransomware rules on real traffic", () => {
  it("raise nothing over the Invictus-IR dataset (benign traffic and Stratus Red Team detonations)", async () => {
    const r = await s3guard(["scan", "--rules", RULES_FILE, "--rule-matching", "all", "--summary", sharedData("invictus-ir-aws-dataset", "raw", "CloudTrail")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/events: +2900 \(0 skipped/);
    expect(r.stdout).toBe("");
  });

  it("raise nothing over Panther's labelled CloudTrail test events, read as one stream", async () => {
    const lines = readFileSync(sharedData("panther-analysis", "derived", "panther_cloudtrail_events_only.jsonl"), "utf8").trim().split("\n");
    const loaded = loadStatefulRules([{ name: RULES_FILE, content: readFileSync(RULES_FILE, "utf8") }], { ruleMatching: "all" });
    const stateful = loaded.stateful;
    if (!stateful) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
    const fired: string[] = [];
    for (const line of lines) for (const a of (await stateful.evaluate(JSON.parse(line))).alerts) fired.push(a.rule);
    expect(lines.length).toBeGreaterThan(400);
    expect(fired).toEqual([]);
  });
});
