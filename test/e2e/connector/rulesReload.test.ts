import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { putRulesFile } from "../../../scripts/local/rulesUpload";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness, RULES_PREFIX } from "../support/harness";
import { BROKEN_RULES, DELETE_RULE, PUT_RULE, RULES_V2 } from "../support/testRules";

const key = (unique: string) => cloudTrailKey("123456789012", "us-east-1", new Date(), unique);

/** Rules in the rules bucket are checked every second here (S3GUARD_RULES_RELOAD_SECONDS=1). */
describe("Cloud Connector: rules updates in the rules bucket", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ name: "rules" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("keeps the running rules when an upload does not load, raises an Error alert, then picks up a good upload without a restart", async () => {
    const c = await h.startConnector();
    const first = await c.until("the rules loaded alert", () => c.serviceAlerts.find((a) => a.rule === "s3guard rules loaded"));
    const v1 = first.output_fields["s3guard.rules.version"];
    expect(first.priority).toBe("Informational");

    await putRulesFile(h.aws, h.pipeline.rulesBucket, `${RULES_PREFIX}s3.yaml`, BROKEN_RULES);
    const rejected = await c.until("the rules rejected alert", () => c.serviceAlerts.find((a) => a.rule === "s3guard rules update rejected"), 15_000);
    expect(rejected.priority).toBe("Error");
    expect(rejected.output_fields["s3guard.rules.running"]).toBe(v1);
    expect(rejected.output_fields["s3guard.rules.error"]).toMatch(/no_such_field/);
    expect(rejected.output_fields["s3guard.rules.error"]).toMatch(/Broken rule/);

    // The old rules still run: deletions alert, writes (not in v1) do not.
    await deliverLogFile(h.aws, h.pipeline, key("during-broken"), {
      records: [s3DataEvent({ eventName: "PutObject", bucket: "b", key: "write-1", seed: "w1" }), s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "delete-1", seed: "x1" })],
    });
    await eventually("the file handled", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1);
    expect(c.detections.map((a) => a.rule)).toEqual([DELETE_RULE]);
    expect((await c.metrics()).get("s3guard_rules_load_failures_total")).toBe(1);

    await putRulesFile(h.aws, h.pipeline.rulesBucket, `${RULES_PREFIX}s3.yaml`, RULES_V2);
    const loaded = await c.until("the new rules version", () => c.serviceAlerts.find((a) => a.rule === "s3guard rules loaded" && a.output_fields["s3guard.rules.version"] !== v1), 15_000);
    expect(loaded.output_fields["s3guard.rules.previous"]).toBe(v1);
    expect(loaded.output).toContain(`replacing version ${v1}`);
    const health = await c.waitReady();
    expect(health.rulesVersion).toBe(loaded.output_fields["s3guard.rules.version"]);

    await deliverLogFile(h.aws, h.pipeline, key("after-update"), { records: [s3DataEvent({ eventName: "PutObject", bucket: "b", key: "write-2", seed: "w2" })] });
    const written = await c.until("the new rule's alert", () => c.detections.find((a) => a.rule === PUT_RULE));
    expect(written.output_fields["s3.key"]).toBe("write-2");
    expect(c.exitCode).toBeNull(); // the same process throughout
  });
});
