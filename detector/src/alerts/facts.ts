import type { Alert } from "../engine";

/**
 * The few facts about an alert that people sort, route and summarise by: who, on which bucket, from
 * where, in which account. Read from the alert's record, so they are there whatever the rule prints.
 */
export interface AlertFacts {
  /** The caller's ARN, else its user name or the service that called; undefined when the record names none. */
  principal?: string;
  bucket?: string;
  sourceIp?: string;
  account?: string;
  region?: string;
}

export function alertFacts(alert: Alert): AlertFacts {
  const record = alert.event;
  const identity = objectAt(record, "userIdentity");
  const request = objectAt(record, "requestParameters");
  return {
    principal: text(identity?.arn) ?? text(identity?.userName) ?? text(identity?.invokedBy),
    bucket: text(request?.bucketName) ?? bucketOfResources(record),
    sourceIp: text(record.sourceIPAddress),
    account: text(record.recipientAccountId) ?? text(identity?.accountId),
    region: text(record.awsRegion),
  };
}

function objectAt(record: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = record[key];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function bucketOfResources(record: Record<string, unknown>): string | undefined {
  const resources = record.resources;
  if (!Array.isArray(resources)) return undefined;
  for (const r of resources) {
    if (r && typeof r === "object" && (r as Record<string, unknown>).type === "AWS::S3::Bucket") {
      const arn = text((r as Record<string, unknown>).ARN);
      if (arn) return arn.slice(arn.lastIndexOf(":") + 1);
    }
  }
  return undefined;
}
