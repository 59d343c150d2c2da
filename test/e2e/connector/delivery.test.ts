import { gzipSync } from "node:zlib";
import { cloudTrailKey, deliverLogFile, putLogObject } from "../../../scripts/local/cloudTrailDelivery";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";
import { DELETE_RULE, DENIED_RULE } from "../support/testRules";

/**
 * The connector against a local SQS/SNS/S3 endpoint with the real AWS SDK: log files delivered
 * the way CloudTrail delivers them, alerts on stdout, messages acknowledged only when done.
 */
describe("Cloud Connector: delivered log files", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ name: "delivery" });
  });
  afterEach(async () => {
    await h?.stopConnectors();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("alerts on the records of a delivered log file and deletes the message afterwards", async () => {
    const connector = await h.startConnector();
    const records = [
      s3DataEvent({ eventName: "GetObject", bucket: "payroll", key: "2024/jan.csv", seed: "d1" }),
      s3DataEvent({ eventName: "DeleteObject", bucket: "payroll", key: "2024/feb.csv", user: "mallory", seed: "d2" }),
      s3DataEvent({ eventName: "PutObject", bucket: "payroll", key: "x", errorCode: "AccessDenied", seed: "d3" }),
    ];
    await deliverLogFile(h.aws, h.pipeline, cloudTrailKey("123456789012", "us-east-1", new Date(), "first"), { records });

    const alerts = await connector.until("two alerts", () => (connector.detections.length >= 2 ? connector.detections : undefined));
    expect(alerts.map((a) => a.rule).sort()).toEqual([DELETE_RULE, DENIED_RULE].sort());
    const deleted = alerts.find((a) => a.rule === DELETE_RULE)!;
    expect(deleted.output_fields["s3.key"]).toBe("2024/feb.csv");
    expect(deleted.output_fields["ct.user"]).toBe("mallory");
    expect(deleted.source).toBe("aws_cloudtrail");

    await eventually("the message deleted", async () => {
      const d = await h.depth();
      return d.visible === 0 && d.inFlight === 0;
    });
    const metrics = await connector.metrics();
    expect(metrics.get('s3guard_messages_total{outcome="deleted"}')).toBe(1);
    expect(metrics.get("s3guard_records_total")).toBe(3);
    expect(metrics.get(`s3guard_alerts_total{priority="Warning",rule="${DELETE_RULE}"}`)).toBe(1);
    expect(metrics.get("s3guard_queue_lag_seconds")).toBeGreaterThanOrEqual(0);
    expect([...metrics.keys()].filter((k) => k.startsWith("s3guard_rules_info{"))).toEqual([expect.stringMatching(/^s3guard_rules_info\{origin="s3:\/\/delivery-rules\/rules\/",version="[0-9a-f]{12}"\}$/)]);
    expect(metrics.get("s3guard_ready")).toBe(1);
  });

  it("reads raw, S3 event and EventBridge messages, acknowledges S3 test events, and leaves unknown messages for the DLQ", async () => {
    const connector = await h.startConnector();
    const logKey = cloudTrailKey("123456789012", "us-east-1", new Date(), "raw");
    await deliverLogFile(h.aws, h.pipeline, logKey, { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "raw-delivery", seed: "r1" })] });
    // The same notification without the SNS envelope (raw delivery) names the object again: no new alert.
    await h.sendRaw(JSON.stringify({ s3Bucket: h.pipeline.logBucket, s3ObjectKey: [logKey] }));
    await h.sendRaw(JSON.stringify({ "detail-type": "AWS API Call via CloudTrail", source: "aws.s3", detail: s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "via-eventbridge", seed: "r2" }) }));
    // An S3 event notification names its object URL-encoded ('+' for a space).
    const spaced = "AWSLogs/123456789012/CloudTrail/us-east-1/with space.json.gz";
    await putLogObject(h.aws, h.pipeline, spaced, { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "via-s3-event", seed: "r3" })] });
    await h.sendRaw(JSON.stringify({ Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: h.pipeline.logBucket }, object: { key: spaced.replace(/ /g, "+") } } }] }));
    await h.sendRaw(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: h.pipeline.logBucket }));
    const unknownId = await h.sendRaw(JSON.stringify({ hello: "world" }));

    await connector.until("three alerts", () => connector.detections.length >= 3);
    expect(connector.detections.map((a) => a.output_fields["s3.key"]).sort()).toEqual(["raw-delivery", "via-eventbridge", "via-s3-event"]);

    const dead = await h.deadLetters(1);
    expect(dead.map((d) => d.id)).toEqual([unknownId]);
    const logged = await connector.waitForLog(/not understood/, 5000, (l) => l.messageId === unknownId);
    expect(logged.reason).toMatch(/not a CloudTrail, S3 or EventBridge notification/);
    await eventually("the other messages deleted", async () => (await connector.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 5);
    expect(connector.detections).toHaveLength(3);
  });

  it("retries a log object that cannot be read and moves its message to the DLQ after the redrive count", async () => {
    const connector = await h.startConnector();
    const good = gzipSync(JSON.stringify({ Records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "before-the-cut", seed: "c1" }), s3DataEvent({ eventName: "GetObject", bucket: "b", seed: "c2" })] }));
    const truncated = good.subarray(0, good.length - 12);
    const key = cloudTrailKey("123456789012", "us-east-1", new Date(), "truncated");
    await deliverLogFile(h.aws, h.pipeline, key, { bytes: truncated });

    const dead = await h.deadLetters(1, 40_000);
    expect(JSON.parse(JSON.parse(dead[0].body).Message)).toEqual({ s3Bucket: h.pipeline.logBucket, s3ObjectKey: [key] });
    const log = await connector.waitForLog(/log object damaged/, 5000);
    expect(log.key).toBe(key);
    expect(log.damage).toMatch(/gzip/);
    // What could be salvaged was evaluated, and alerted once despite the retries.
    expect(connector.detections.filter((a) => a.output_fields["s3.key"] === "before-the-cut")).toHaveLength(1);
  });

  it("reports a bad record inside a good file and still evaluates the others", async () => {
    const connector = await h.startConnector();
    const key = cloudTrailKey("123456789012", "us-east-1", new Date(), "badrecord");
    const records = [42, s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "after-bad-record", seed: "b1" })];
    await deliverLogFile(h.aws, h.pipeline, key, { records });

    await connector.until("the alert of the good record", () => connector.detections.find((a) => a.output_fields["s3.key"] === "after-bad-record"));
    const log = await connector.waitForLog(/bad record skipped/, 5000);
    expect(log).toMatchObject({ key, record: "record 1: not a JSON object (number)" });
    await eventually("the message deleted", async () => (await connector.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1);
  });
});
