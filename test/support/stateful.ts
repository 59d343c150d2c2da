import { loadStatefulRules, MemoryStore, type Alert, type EngineLoadOptions, type StatefulOptions, type StatefulRuleset, type StateStore } from "../../detector/src";

/** Loads rules (YAML text, or items written as JSON) with stateful keys, or fails with the errors. */
export function statefulRules(
  rules: string | object[],
  options: EngineLoadOptions & StatefulOptions = {},
  store: StateStore = new MemoryStore(),
): StatefulRuleset {
  const content = typeof rules === "string" ? rules : JSON.stringify(rules);
  const r = loadStatefulRules([{ name: "test.yaml", content }], { hostname: "test-host", ruleMatching: "all", ...options }, store);
  if (!r.ok || !r.stateful) throw new Error(`rules did not load:\n${r.errors.map((e) => e.text).join("\n")}`);
  return r.stateful;
}

/** Evaluates records one after the other and returns every alert, in order. */
export async function alertsOf(stateful: StatefulRuleset, records: readonly object[]): Promise<Alert[]> {
  const out: Alert[] = [];
  for (const r of records) out.push(...(await stateful.evaluate(r)).alerts);
  return out;
}

/** Alerts per record: which record made which rule alert. */
export async function alertsByRecord(stateful: StatefulRuleset, records: readonly object[]): Promise<string[][]> {
  const out: string[][] = [];
  for (const r of records) out.push((await stateful.evaluate(r)).alerts.map((a) => a.rule));
  return out;
}

/** A stateful CloudTrail rule. */
export function statefulRule(name: string, condition: string, keys: Record<string, unknown>, extra: Record<string, unknown> = {}): object {
  return { rule: name, desc: `${name} (test)`, condition, output: `${name} by %ct.user.arn on %s3.bucket`, priority: "WARNING", source: "aws_cloudtrail", ...keys, ...extra };
}

let serial = 0;

export interface S3Call {
  name?: string;
  /** Seconds after 2024-05-01T12:00:00Z. */
  at?: number;
  user?: string;
  bucket?: string;
  key?: string;
  id?: string;
  error?: string;
  extra?: Record<string, unknown>;
}

const BASE = Date.parse("2024-05-01T12:00:00Z");

/** An S3 data event shaped like CloudTrail's (see rules/tests for full real-shaped records). */
export function s3(call: S3Call = {}): Record<string, unknown> {
  const user = call.user ?? "alice";
  const bucket = call.bucket ?? "data-bucket";
  const key = call.key ?? `obj-${serial}`;
  const record: Record<string, unknown> = {
    eventVersion: "1.09",
    userIdentity: { type: "IAMUser", principalId: `AIDA${user.toUpperCase()}`, arn: `arn:aws:iam::123456789012:user/${user}`, accountId: "123456789012", userName: user },
    eventTime: new Date(BASE + (call.at ?? 0) * 1000).toISOString().replace(".000Z", "Z"),
    eventSource: "s3.amazonaws.com",
    eventName: call.name ?? "DeleteObject",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.7",
    userAgent: "aws-cli/2.15.0",
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.us-east-1.amazonaws.com`, key },
    responseElements: null,
    eventID: call.id ?? `evt-${String(++serial).padStart(6, "0")}`,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: "123456789012",
    eventCategory: "Data",
    ...call.extra,
  };
  if (call.error) record.errorCode = call.error;
  return record;
}
