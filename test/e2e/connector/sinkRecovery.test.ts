import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";
import { DELETE_RULE } from "../support/testRules";
import { WebhookReceiver } from "../support/webhookReceiver";

const key = (unique: string) => cloudTrailKey("123456789012", "us-east-1", new Date(), unique);

/** At-least-once delivery, exactly once per sink and alert id within the dedup window. */
describe("Cloud Connector: a failing sink and duplicate records", () => {
  let h: Harness;
  let webhook: WebhookReceiver;
  beforeAll(async () => {
    h = await Harness.start({ name: "sinks" });
  });
  afterEach(async () => {
    await h?.stopConnectors();
    await webhook?.stop();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("gives a webhook that fails and then recovers every alert exactly once, and deletes the message only then", async () => {
    // The first four POSTs of detections fail: the first alert exhausts its attempts, so the message is retried.
    let failures = 0;
    webhook = await WebhookReceiver.start((body) => (body.source === "aws_cloudtrail" && failures++ < 4 ? 503 : 200));
    const c = await h.startConnector({ S3GUARD_ALERTS: "webhook,stdout", S3GUARD_WEBHOOK_URL: webhook.url });
    const records = ["one", "two", "three"].map((k) => s3DataEvent({ eventName: "DeleteObject", bucket: "ledger", key: k, seed: `recover-${k}` }));
    await deliverLogFile(h.aws, h.pipeline, key("recover"), { records });

    await eventually("the message deleted", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1, 30_000);
    const detections = webhook.requests.filter((r) => r.body.source === "aws_cloudtrail" && r.status === 200);
    const ids = detections.map((r) => r.alertId);
    expect(webhook.requests.filter((r) => r.status === 503)).toHaveLength(4);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toHaveLength(3);
    // The healthy sink was not sent the redelivered alerts again.
    expect(c.detections).toHaveLength(3);
    expect((await c.metrics()).get('s3guard_messages_total{outcome="retried"}')).toBeGreaterThanOrEqual(1);
    expect(detections[0]).toMatchObject({ contentType: "application/json", body: { rule: DELETE_RULE, priority: "Warning" } });
    expect(Object.keys(detections[0].body).sort()).toEqual(["hostname", "output", "output_fields", "priority", "rule", "source", "tags", "time"]);
  });

  it("works on several messages at once (S3GUARD_CONCURRENCY)", async () => {
    // Every detection POST waits until three are waiting: only three messages in flight together get there.
    let release!: () => void;
    const allThree = new Promise<number>((resolve) => (release = () => resolve(200)));
    webhook = await WebhookReceiver.start((body) => (body.source === "aws_cloudtrail" ? allThree : 200));
    const c = await h.startConnector({ S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: webhook.url, S3GUARD_CONCURRENCY: "3" });
    for (const n of [1, 2, 3]) await deliverLogFile(h.aws, h.pipeline, key(`parallel-${n}`), { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: `parallel-${n}`, seed: `parallel-${n}` })] });

    await eventually("three alerts posted at once", async () => webhook.requests.filter((r) => r.body.source === "aws_cloudtrail").length === 3);
    expect((await c.metrics()).get("s3guard_messages_in_flight")).toBe(3);
    release();
    await eventually("the messages deleted", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 3);
  });

  it("alerts once for a record delivered in two log files (two trails sharing a bucket)", async () => {
    webhook = await WebhookReceiver.start();
    const c = await h.startConnector({ S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: webhook.url });
    const shared = s3DataEvent({ eventName: "DeleteObject", bucket: "shared", key: "same-record", seed: "dup-1" });
    const other = s3DataEvent({ eventName: "DeleteObject", bucket: "shared", key: "other-record", seed: "dup-2" });
    await deliverLogFile(h.aws, h.pipeline, key("trail-a"), { records: [shared] });
    await deliverLogFile(h.aws, h.pipeline, key("trail-b"), { records: [shared, other] });

    await eventually("both messages deleted", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 2);
    const keys = webhook.requests.filter((r) => r.body.source === "aws_cloudtrail").map((r) => (r.body.output_fields as Record<string, string>)["s3.key"]);
    expect(keys.sort()).toEqual(["other-record", "same-record"]);
    // The second copy is either not evaluated (the first was delivered already) or, when both
    // messages were in flight together, evaluated and its alert recognised by its id at the output.
    const metrics = await c.metrics();
    const repeated = metrics.get("s3guard_records_repeated_total") ?? 0;
    const duplicates = metrics.get('s3guard_destination_duplicates_total{destination="webhook",type="webhook"}') ?? 0;
    expect(repeated + duplicates).toBe(1);
  });
});

describe("Cloud Connector: a message that takes longer than the visibility timeout", () => {
  let h: Harness;
  let webhook: WebhookReceiver;
  beforeAll(async () => {
    h = await Harness.start({ name: "slow", visibilityTimeoutSeconds: 2 });
  });
  afterAll(async () => {
    await webhook?.stop();
    await h?.stop();
  });

  it("keeps it invisible while it is processed, so it is received and delivered once", async () => {
    // The receiver takes 5 s to accept the alert: two and a half visibility timeouts.
    webhook = await WebhookReceiver.start((body) => (body.source === "aws_cloudtrail" ? { status: 200, afterMs: 5000 } : 200));
    const c = await h.startConnector({ S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: webhook.url });
    await deliverLogFile(h.aws, h.pipeline, key("slow"), { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "slow", seed: "slow-1" })] });

    await eventually("the message deleted", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1, 20_000);
    const m = await c.metrics();
    expect(m.get("s3guard_messages_received_total")).toBe(1);
    expect(webhook.requests.filter((r) => r.body.source === "aws_cloudtrail")).toHaveLength(1);
  });
});
