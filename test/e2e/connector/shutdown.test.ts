import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";
import { WebhookReceiver } from "../support/webhookReceiver";

/** ECS sends SIGTERM and kills the task 30 seconds later. */
describe("Cloud Connector: SIGTERM", () => {
  let h: Harness;
  let webhook: WebhookReceiver;
  beforeAll(async () => {
    // A long visibility timeout: a message only comes back quickly if the connector hands it back.
    h = await Harness.start({ name: "shutdown", visibilityTimeoutSeconds: 60, maxReceiveCount: 5 });
  });
  afterAll(async () => {
    await webhook?.stop();
    await h?.stop();
  });

  it("stops mid-message without losing it: exits 0, hands the message back, and the next instance delivers its alert", async () => {
    let hang = true;
    webhook = await WebhookReceiver.start((body) => (hang && body.source === "aws_cloudtrail" ? "hang" : 200));
    const env = { S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: webhook.url, S3GUARD_SHUTDOWN_SECONDS: "3" };
    const first = await h.startConnector(env);
    await deliverLogFile(h.aws, h.pipeline, cloudTrailKey("123456789012", "us-east-1", new Date(), "sigterm"), {
      records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "in-flight", seed: "sigterm-1" })],
    });
    await eventually("the alert being posted", async () => webhook.requests.some((r) => r.body.source === "aws_cloudtrail"));

    const started = Date.now();
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    await first.waitForLog(/handed back to the queue/, 1000);
    expect((await h.depth()).visible).toBe(1);

    hang = false;
    const second = await h.startConnector(env);
    await eventually("the message deleted by the next instance", async () => (await second.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1);
    const delivered = webhook.requests.filter((r) => r.body.source === "aws_cloudtrail" && r.status === 200);
    expect(delivered.map((r) => (r.body.output_fields as Record<string, string>)["s3.key"])).toEqual(["in-flight"]);
  });

  it("exits 0 promptly when idle", async () => {
    const c = await h.startConnector({ S3GUARD_RECEIVE_WAIT_SECONDS: "20" });
    const started = Date.now();
    expect(await c.stop("SIGTERM")).toBe(0);
    // The long poll is abandoned, not waited for.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(c.logs.some((l) => l.msg === "stopped")).toBe(true);
  });
});
