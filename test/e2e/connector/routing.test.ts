import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";
import { WebhookReceiver } from "../support/webhookReceiver";

/** Rules of four priorities; only the read rule carries aws_s3. */
const ROUTING_RULES = `
- rule: S3 object read
  desc: read
  condition: ct.name="GetObject"
  output: Object read (bucket=%s3.bucket key=%s3.key user=%ct.user)
  priority: NOTICE
  source: aws_cloudtrail
  tags: [aws, aws_s3]
- rule: S3 object deleted
  desc: deleted
  condition: ct.name="DeleteObject"
  output: Object deleted (bucket=%s3.bucket key=%s3.key user=%ct.user)
  priority: WARNING
  source: aws_cloudtrail
  tags: [aws]
- rule: S3 bucket deleted
  desc: bucket deleted
  condition: ct.name="DeleteBucket"
  output: Bucket deleted (bucket=%s3.bucket user=%ct.user)
  priority: CRITICAL
  source: aws_cloudtrail
  tags: [aws]
- rule: S3 object written
  desc: written
  condition: ct.name="PutObject"
  output: Object written (bucket=%s3.bucket key=%s3.key user=%ct.user)
  priority: INFO
  source: aws_cloudtrail
  tags: [aws]
`;

const OUTPUTS = `outputs:
  - name: chat
    type: slack
    urlEnv: CHAT_URL
    minimumPriority: warning
  - name: storage-team
    type: webhook
    urlEnv: SIEM_URL
    tags: [aws_s3]
`;

const key = (unique: string) => cloudTrailKey("123456789012", "us-east-1", new Date(), unique);

describe("Cloud Connector: alerts routed to outputs (S3GUARD_OUTPUTS)", () => {
  let h: Harness;
  let chat: WebhookReceiver;
  let siem: WebhookReceiver;
  beforeAll(async () => {
    h = await Harness.start({ name: "routing", rules: ROUTING_RULES, maxReceiveCount: 6 });
  });
  afterAll(async () => {
    await h?.stop();
    await chat?.stop();
    await siem?.stop();
  });

  it("routes like scan, and a failing destination recovers with nothing lost or duplicated, its token never logged", async () => {
    // Slack refuses its first six POSTs: both of the first message's alerts exhaust their attempts.
    chat = await WebhookReceiver.start((_body, n) => (n <= 6 ? 503 : 200));
    siem = await WebhookReceiver.start();
    const chatToken = "chatSecretToken0123456789abcdef";
    const c = await h.startConnector({
      S3GUARD_ALERTS: "",
      S3GUARD_OUTPUTS: OUTPUTS,
      CHAT_URL: `${chat.url}services/T0000/B0000/${chatToken}`,
      SIEM_URL: `${siem.url}ingest?token=siemQueryToken42`,
    });
    const records = [
      s3DataEvent({ eventName: "GetObject", bucket: "ledger", key: "a", seed: "route-read" }),
      s3DataEvent({ eventName: "DeleteObject", bucket: "ledger", key: "b", seed: "route-delete" }),
      s3DataEvent({ eventName: "DeleteBucket", bucket: "ledger", seed: "route-bucket" }),
      s3DataEvent({ eventName: "PutObject", bucket: "ledger", key: "c", seed: "route-write" }),
    ];
    await deliverLogFile(h.aws, h.pipeline, key("routing"), { records });

    await eventually("the message deleted", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1, 40_000);
    const m = await c.metrics();
    expect(m.get('s3guard_messages_total{outcome="retried"}')).toBeGreaterThanOrEqual(1);

    // Slack: exactly the Warning and Critical alerts, each accepted once, after failing first.
    const chatAccepted = chat.requests.filter((r) => r.status === 200);
    const titles = chatAccepted.map((r) => ((r.body.attachments as Array<{ blocks: Array<{ text: { text: string } }> }>)[0].blocks[0].text.text));
    expect(titles.sort()).toEqual(["Critical: S3 bucket deleted", "Warning: S3 object deleted"]);
    expect(new Set(chatAccepted.map((r) => r.alertId)).size).toBe(2);
    expect(chat.requests.filter((r) => r.status === 503)).toHaveLength(6);

    // The webhook: exactly the aws_s3 alert, as Falco JSON, once, although the message came back.
    expect(siem.requests).toHaveLength(1);
    expect(siem.requests[0].body).toMatchObject({ rule: "S3 object read", priority: "Notice", tags: ["aws", "aws_s3"] });
    expect(Object.keys(siem.requests[0].body).sort()).toEqual(["hostname", "output", "output_fields", "priority", "rule", "source", "tags", "time"]);

    expect(m.get('s3guard_destination_sent_total{destination="chat",type="slack"}')).toBe(2);
    expect(m.get('s3guard_destination_failed_total{destination="chat",type="slack"}')).toBe(2);
    expect(m.get('s3guard_destination_retried_total{destination="chat",type="slack"}')).toBeGreaterThanOrEqual(4);
    expect(m.get('s3guard_destination_sent_total{destination="storage-team",type="webhook"}')).toBe(1);
    expect(m.get('s3guard_destination_up{destination="chat",type="slack"}')).toBe(1);

    // The failures were logged, the credentials were not.
    const logs = c.logs.map((l) => JSON.stringify(l)).join("\n");
    expect(logs).toMatch(/alerts not accepted by a destination/);
    expect(logs).not.toContain(chatToken);
    expect(logs).not.toContain("siemQueryToken42");
  });

  it("never logs the older S3GUARD_WEBHOOK_URL's token when POSTs to it fail", async () => {
    await h.stopConnectors();
    const failing = await WebhookReceiver.start(() => 500);
    try {
      const token = "legacyWebhookToken987654321";
      const c = await h.startConnector({ S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: `${failing.url}hook/${token}?token=${token}` });
      await deliverLogFile(h.aws, h.pipeline, key("legacy"), { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "ledger", key: "z", seed: "legacy-token" })] });
      await c.waitForLog("message left for redelivery");
      expect(failing.requests.length).toBeGreaterThanOrEqual(3);
      const logs = c.logs.map((l) => JSON.stringify(l)).join("\n");
      expect(logs).toMatch(/webhook output 'webhook': HTTP 500 from 127\.0\.0\.1/);
      expect(logs).not.toContain(token);
    } finally {
      await h.stopConnectors();
      await failing.stop();
    }
  });
});

