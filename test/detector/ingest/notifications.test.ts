import { decodeS3EventKey, isDigestKey, parseNotification } from "../../../detector/src/ingest/notifications";

const cloudTrail = { s3Bucket: "trail-logs", s3ObjectKey: ["AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/a.json.gz", "AWSLogs/123456789012/CloudTrail/us-east-1/2024/05/01/b.json.gz"] };
const snsEnvelope = (message: string) => JSON.stringify({ Type: "Notification", MessageId: "m-1", TopicArn: "arn:aws:sns:us-east-1:123456789012:t", Subject: null, Message: message, Timestamp: "2024-05-01T00:00:00Z" });

describe("SQS messages the connector understands", () => {
  it("reads CloudTrail's delivery notification, raw or in an SNS envelope", () => {
    const expected = { kind: "objects", format: "cloudtrail", objects: cloudTrail.s3ObjectKey.map((key) => ({ bucket: "trail-logs", key })) };
    expect(parseNotification(JSON.stringify(cloudTrail))).toEqual(expected);
    expect(parseNotification(snsEnvelope(JSON.stringify(cloudTrail)))).toEqual(expected);
  });

  it("reads S3 event notifications for created objects, decoding their URL-encoded keys", () => {
    const event = { Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "trail-logs" }, object: { key: "AWSLogs/a+b%3Dc.json.gz" } } }] };
    expect(parseNotification(JSON.stringify(event))).toEqual({ kind: "objects", format: "s3-event", objects: [{ bucket: "trail-logs", key: "AWSLogs/a b=c.json.gz" }] });
    expect(decodeS3EventKey("x%2By+z")).toBe("x+y z");
  });

  it.each(["AWSLogs/%E0%A4%A.json.gz", "100%.json.gz", "%ZZ", "%C3%28"])("calls an S3 event with a malformed key (%s) a bad message, without throwing", (key) => {
    const event = { Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: "trail-logs" }, object: { key } } }] };
    expect(decodeS3EventKey(key)).toBeUndefined();
    expect(parseNotification(JSON.stringify(event))).toEqual({ kind: "unknown", reason: `an S3 event whose object key is not valid URL encoding: ${JSON.stringify(key)}` });
  });

  it("answers for any body, however strange, without throwing", () => {
    for (const body of ["", "null", "[]", '{"Records":null}', '{"Records":[null]}', '{"s3Bucket":1,"s3ObjectKey":"x"}', `{"Type":"Notification","Message":${JSON.stringify("{".repeat(100_000))}}`, "\u0000"]) {
      expect(() => parseNotification(body)).not.toThrow();
    }
  });

  it("acknowledges S3 events that name no created object", () => {
    const removed = { Records: [{ eventName: "ObjectRemoved:Delete", s3: { bucket: { name: "b" }, object: { key: "k" } } }] };
    expect(parseNotification(JSON.stringify(removed))).toMatchObject({ kind: "ignored", format: "s3-event" });
  });

  it("takes the record out of an EventBridge 'AWS API Call via CloudTrail' event", () => {
    const detail = { eventID: "e-1", eventName: "DeleteBucketPolicy", eventTime: "2024-05-01T00:00:00Z", eventType: "AwsApiCall" };
    expect(parseNotification(JSON.stringify({ "detail-type": "AWS API Call via CloudTrail", source: "aws.s3", detail }))).toEqual({ kind: "records", format: "eventbridge", records: [detail] });
  });

  it("reads EventBridge S3 'Object Created' events", () => {
    const event = { "detail-type": "Object Created", source: "aws.s3", detail: { bucket: { name: "trail-logs" }, object: { key: "AWSLogs/x.json.gz" } } };
    expect(parseNotification(JSON.stringify(event))).toEqual({ kind: "objects", format: "eventbridge-s3", objects: [{ bucket: "trail-logs", key: "AWSLogs/x.json.gz" }] });
  });

  it("recognises test messages: S3's test event and CloudTrail's validation message", () => {
    expect(parseNotification(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: "b" }))).toEqual({ kind: "test", format: "s3-test-event" });
    expect(parseNotification(snsEnvelope(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent" })))).toEqual({ kind: "test", format: "s3-test-event" });
    expect(parseNotification(snsEnvelope("CloudTrail validation message."))).toEqual({ kind: "test", format: "cloudtrail-validation" });
  });

  it("does not understand other messages, and says what they are", () => {
    expect(parseNotification("hello")).toEqual({ kind: "unknown", reason: 'the body is not a JSON object (starts with "hello")' });
    expect(parseNotification(JSON.stringify({ order: 1 }))).toEqual({ kind: "unknown", reason: "not a CloudTrail, S3 or EventBridge notification (keys: order)" });
    expect(parseNotification(snsEnvelope("plain text"))).toMatchObject({ kind: "unknown", reason: expect.stringContaining("SNS message is not a JSON object") });
    expect(parseNotification(JSON.stringify({ s3Bucket: "b", s3ObjectKey: [] }))).toEqual({ kind: "unknown", reason: "a CloudTrail notification without object keys" });
    expect(parseNotification(JSON.stringify({ Records: [{ eventID: "x", eventName: "GetObject" }] }))).toMatchObject({ kind: "unknown", reason: expect.stringContaining("is a log file's content being sent to the queue?") });
  });

  it("tells digest files from log files", () => {
    expect(isDigestKey("AWSLogs/1/CloudTrail-Digest/us-east-1/2024/05/01/d.json.gz")).toBe(true);
    expect(isDigestKey("AWSLogs/1/CloudTrail/us-east-1/2024/05/01/l.json.gz")).toBe(false);
  });
});
