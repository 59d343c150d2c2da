import { readdirSync } from "node:fs";
import { s3guard } from "../support/cli";
import { describeWithSharedData, sharedData } from "../support/sharedData";

/** Falco's own rules and test traces, and every real CloudTrail log of the shared data. */
describeWithSharedData("Falco's rules and real logs", () => {
  const falcoRules = () => sharedData("falco", "aws_cloudtrail_rules.yaml");

  it("Falco's aws_cloudtrail_rules.yaml validates with no error", async () => {
    const r = await s3guard(["validate", falcoRules()]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("error:");
    expect(r.stdout).toMatch(/^OK: 1 file\(s\), 22 CloudTrail rules \(20 enabled\)/);
  });

  it.each(["alice_start_instances.json", "alice_start_instances_bigevent.json"])("Falco's old test rule fires exactly once on %s", async (trace) => {
    const r = await s3guard(["scan", "--rules", sharedData("falco", "falco_test_cloudtrail_create_instances.yaml"), sharedData("falco", trace)]);
    expect(r.code).toBe(0);
    const alerts = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(alerts.map((a) => a.rule)).toEqual(["Cloudtrail Create Instance"]);
    expect(alerts[0].output).toBe(
      "2014-03-06T21:22:54.000000000+0000: Informational EC2 Instance Created (evtnum=1 info=us-east-2 Alice ec2 StartInstances Alice via 205.251.233.176 ← StartInstances id=<NA> user name=Alice)",
    );
  });

  it("scans every CloudTrail log of the shared data with Falco's rules and prints its summary", async () => {
    const stratus = sharedData("stratus-red-team", "raw", "docs", "detonation-logs");
    const inputs = [
      stratus,
      sharedData("invictus-ir-aws-dataset", "raw", "CloudTrail"),
      sharedData("falco", "alice_start_instances.json"),
      sharedData("falco", "alice_start_instances_bigevent.json"),
    ];
    const r = await s3guard(["scan", "--rules", falcoRules(), "--rule-matching", "all", "--summary", ...inputs]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("error:");
    const files = readdirSync(stratus).length + readdirSync(sharedData("invictus-ir-aws-dataset", "raw", "CloudTrail")).length + 2;
    expect(r.stderr).toContain(`inputs:   ${files} (0 with errors)`);
    expect(r.stderr).toMatch(/events: +3212 \(0 skipped/);
    const alerts = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    // Stratus Red Team stopped a trail: Falco's pack sees it.
    expect(alerts.some((a) => a.rule === "CloudTrail Logging Disabled")).toBe(true);
  });
});
