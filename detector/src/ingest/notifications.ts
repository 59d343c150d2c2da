/**
 * What an SQS message on the connector's queue asks for. The body may be wrapped in an SNS
 * envelope (no raw delivery): then its `Message` holds the notification.
 */

/** A log object to read. */
export interface LogObjectRef {
  bucket: string;
  key: string;
}

export type Notification =
  /** CloudTrail's delivery notification, or S3 "object created" events: read these objects. */
  | { kind: "objects"; format: "cloudtrail" | "s3-event" | "eventbridge-s3"; objects: LogObjectRef[] }
  /** EventBridge "AWS API Call via CloudTrail": the record travels in the event. */
  | { kind: "records"; format: "eventbridge"; records: Record<string, unknown>[] }
  /** A test or verification message: acknowledged, nothing else. */
  | { kind: "test"; format: string }
  /** Understood but nothing to read (e.g. an S3 event for a deleted object): acknowledged. */
  | { kind: "ignored"; format: string; reason: string }
  /** Not a message this service understands: left for the queue's dead-letter queue. */
  | { kind: "unknown"; reason: string };

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** CloudTrail posts this plain text to the topic when a trail's SNS settings are saved. */
const CLOUDTRAIL_VALIDATION = "CloudTrail validation message.";

/** S3 event keys are URL-encoded, with '+' for spaces; undefined when the encoding is broken. */
export function decodeS3EventKey(key: string): string | undefined {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * What a message asks for. Whatever the body holds, this answers: a body it cannot make sense of
 * is `unknown` (a bad message, for the dead-letter queue), never an exception.
 */
export function parseNotification(body: string): Notification {
  try {
    return parseBody(body);
  } catch (e) {
    return { kind: "unknown", reason: `the message could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function parseBody(body: string): Notification {
  const outer = parseJson(body);
  if (!isObject(outer)) return { kind: "unknown", reason: `the body is not a JSON object (starts with ${JSON.stringify(body.slice(0, 40))})` };
  if (outer.Type === "Notification" && typeof outer.Message === "string") {
    if (outer.Message.trim() === CLOUDTRAIL_VALIDATION) return { kind: "test", format: "cloudtrail-validation" };
    const inner = parseJson(outer.Message);
    if (!isObject(inner)) return { kind: "unknown", reason: `the SNS message is not a JSON object (starts with ${JSON.stringify(outer.Message.slice(0, 40))})` };
    return parseInner(inner);
  }
  return parseInner(outer);
}

function parseInner(n: Json): Notification {
  if (typeof n.s3Bucket === "string" && Array.isArray(n.s3ObjectKey)) {
    const keys = n.s3ObjectKey.filter((k): k is string => typeof k === "string" && k.length > 0);
    if (keys.length === 0) return { kind: "unknown", reason: "a CloudTrail notification without object keys" };
    return { kind: "objects", format: "cloudtrail", objects: keys.map((key) => ({ bucket: n.s3Bucket as string, key })) };
  }
  if (n.Event === "s3:TestEvent") return { kind: "test", format: "s3-test-event" };
  if (Array.isArray(n.Records)) return parseS3Event(n.Records);
  if (n["detail-type"] === "AWS API Call via CloudTrail" && isObject(n.detail)) {
    return { kind: "records", format: "eventbridge", records: [n.detail] };
  }
  if (n["detail-type"] === "Object Created" && n.source === "aws.s3" && isObject(n.detail)) {
    const bucket = (n.detail.bucket as Json | undefined)?.name;
    const key = (n.detail.object as Json | undefined)?.key;
    if (typeof bucket === "string" && typeof key === "string") return { kind: "objects", format: "eventbridge-s3", objects: [{ bucket, key }] };
  }
  const keys = Object.keys(n).slice(0, 6).join(", ");
  return { kind: "unknown", reason: `not a CloudTrail, S3 or EventBridge notification (keys: ${keys || "none"})` };
}

function parseS3Event(records: unknown[]): Notification {
  const objects: LogObjectRef[] = [];
  let others = 0;
  for (const r of records) {
    const s3 = isObject(r) ? (r.s3 as Json | undefined) : undefined;
    const bucket = (s3?.bucket as Json | undefined)?.name;
    const key = (s3?.object as Json | undefined)?.key;
    if (!isObject(r) || typeof bucket !== "string" || typeof key !== "string") {
      return { kind: "unknown", reason: "a Records array whose entries are not S3 event notifications (is a log file's content being sent to the queue?)" };
    }
    if (typeof r.eventName === "string" && r.eventName.startsWith("ObjectCreated:")) {
      const decoded = decodeS3EventKey(key);
      if (decoded === undefined) return { kind: "unknown", reason: `an S3 event whose object key is not valid URL encoding: ${JSON.stringify(key.slice(0, 200))}` };
      objects.push({ bucket, key: decoded });
    } else others++;
  }
  if (objects.length === 0) return { kind: "ignored", format: "s3-event", reason: `${others} S3 event(s), none for a created object` };
  return { kind: "objects", format: "s3-event", objects };
}

/** CloudTrail digest files (integrity validation) hold no events. */
export function isDigestKey(key: string): boolean {
  return key.includes("/CloudTrail-Digest/");
}
