import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { putRulesFile } from "../../../scripts/local/rulesUpload";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";

const key = (unique: string) => cloudTrailKey("123456789012", "us-east-1", new Date(), unique);
const CONTEXT_KEY = "context/s3guard-context.yaml";

// A rule on the deployment's log bucket, whatever it is called: the context file says which.
const RULES = `
- list: s3guard_cloudtrail_log_buckets
  items: []
- rule: Log bucket object deleted
  desc: an object of a bucket that receives CloudTrail logs was deleted
  condition: ct.name = DeleteObject and s3guard.log_bucket = true
  output: log file deleted (bucket=%s3.bucket key=%s3.key)
  priority: CRITICAL
  source: aws_cloudtrail
`;
const context = (bucket: string) => `- list: s3guard_cloudtrail_log_buckets\n  items: ["${bucket}"]\n  override: {items: append}\n`;

/**
 * The deployment context file the Pulumi program writes beside the rules: read with them, applied
 * after them, and a change to it reloads the rules like a changed rule.
 */
describe("Cloud Connector: the deployment context in the rules bucket", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ name: "context", rules: RULES });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("runs without it (with a warning), then applies it as soon as it is there", async () => {
    const c = await h.startConnector({ S3GUARD_CONTEXT_KEY: CONTEXT_KEY });
    const warned = await c.waitForLog(/rules loaded with a warning/, 10_000);
    expect(warned.warning).toContain(`${CONTEXT_KEY} is not there`);

    await deliverLogFile(h.aws, h.pipeline, key("before"), { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "acme-audit", key: "a.json.gz", seed: "c1" })] });
    await eventually("the first file handled", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1);
    expect(c.detections).toEqual([]);

    await putRulesFile(h.aws, h.pipeline.rulesBucket, CONTEXT_KEY, context("acme-audit"));
    await c.until("the rules reloaded with the context", () => c.serviceAlerts.filter((a) => a.rule === "s3guard rules loaded").length >= 2, 15_000);

    await deliverLogFile(h.aws, h.pipeline, key("after"), { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "acme-audit", key: "b.json.gz", seed: "c2" })] });
    const alert = await c.until("the log bucket alert", () => c.detections.find((a) => a.rule === "Log bucket object deleted"));
    expect(alert.output_fields["s3.key"]).toBe("b.json.gz");
  });
});
