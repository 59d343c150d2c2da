import type { AwsSecurityFinding, Resource, SeverityLabel } from "@aws-sdk/client-securityhub";
import type { Alert, OutputValue, Priority } from "../engine";
import { truncateUtf8, utf8Bytes } from "./batches";
import { findingTypes } from "./mitre";

/**
 * Alerts as AWS Security Finding Format findings. Required attributes (Security Hub user guide,
 * "ASFF required attributes"): AwsAccountId, CreatedAt, Description, GeneratorId, Id, ProductArn,
 * Resources, SchemaVersion, Severity, Title, Types, UpdatedAt.
 */
export const ASFF_SCHEMA_VERSION = "2018-10-08";
export const FINDING_ID_PREFIX = "s3guard/";
export const MAX_ID = 512;
export const MAX_TITLE = 256;
export const MAX_DESCRIPTION = 1024;
export const MAX_PRODUCT_FIELDS = 50;
export const MAX_RESOURCES = 32;
/** BatchImportFindings: 240 KB per finding. */
export const MAX_FINDING_BYTES = 240 * 1024;

/** Where findings are imported: the account and region the connector runs in. */
export interface FindingContext {
  partition: string;
  region: string;
  accountId: string;
}

const SEVERITY: Record<Priority, SeverityLabel> = {
  Emergency: "CRITICAL",
  Alert: "CRITICAL",
  Critical: "CRITICAL",
  Error: "HIGH",
  Warning: "MEDIUM",
  Notice: "LOW",
  Informational: "INFORMATIONAL",
  Debug: "INFORMATIONAL",
};

export function severityLabel(p: Priority): SeverityLabel {
  return SEVERITY[p];
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}

/** The product ARN Security Hub gives an account's own findings ("default" product). */
export function defaultProductArn(ctx: FindingContext): string {
  return `arn:${ctx.partition}:securityhub:${ctx.region}:${ctx.accountId}:product/${ctx.accountId}/default`;
}

export function findingId(alert: Alert): string {
  return (FINDING_ID_PREFIX + alert.id).slice(0, MAX_ID);
}

const S3_TYPES: Record<string, string> = { "AWS::S3::Bucket": "AwsS3Bucket", "AWS::S3::Object": "AwsS3Object" };

/** The record's resources: S3 buckets and objects from `resources[]` or the request; else the account. */
export function findingResources(record: Record<string, unknown>, ctx: FindingContext): Resource[] {
  const out: Resource[] = [];
  const region = typeof record.awsRegion === "string" ? record.awsRegion : ctx.region;
  if (Array.isArray(record.resources)) {
    for (const r of record.resources as Array<Record<string, unknown>>) {
      if (r && typeof r.ARN === "string" && r.ARN) out.push({ Type: S3_TYPES[String(r.type)] ?? "Other", Id: r.ARN, Partition: ctx.partition as Resource["Partition"], Region: region });
    }
  }
  const params = record.requestParameters as Record<string, unknown> | undefined;
  if (out.length === 0 && params && typeof params.bucketName === "string" && params.bucketName) {
    const bucketArn = `arn:${ctx.partition}:s3:::${params.bucketName}`;
    out.push({ Type: "AwsS3Bucket", Id: bucketArn, Partition: ctx.partition as Resource["Partition"], Region: region });
    if (typeof params.key === "string" && params.key) out.push({ Type: "AwsS3Object", Id: `${bucketArn}/${params.key}`, Partition: ctx.partition as Resource["Partition"], Region: region });
  }
  if (out.length === 0) {
    const account = typeof record.recipientAccountId === "string" ? record.recipientAccountId : ctx.accountId;
    out.push({ Type: "AwsAccount", Id: `AWS::::Account:${account}`, Partition: ctx.partition as Resource["Partition"], Region: region });
  }
  return out.slice(0, MAX_RESOURCES);
}

function fieldText(v: OutputValue): string {
  if (v === null) return "<NA>";
  if (Array.isArray(v)) return v.join(",");
  return String(v);
}

/** Rule output fields and the alert id, within ASFF's 50 pairs of 128-char keys and 2048-char values. */
function productFields(alert: Alert): Record<string, string> {
  const fields: Record<string, string> = { "s3guard/AlertId": alert.id, "s3guard/Rule": alert.rule, "s3guard/Source": alert.source };
  const eventId = alert.event.eventID;
  if (typeof eventId === "string") fields["s3guard/EventId"] = eventId;
  for (const [k, v] of Object.entries(alert.outputFields)) {
    if (Object.keys(fields).length >= MAX_PRODUCT_FIELDS) break;
    const text = fieldText(v);
    if (text) fields[k.slice(0, 128)] = text.slice(0, 2048);
  }
  return fields;
}

function iso(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString();
}

/**
 * One alert as a finding. `Id` is the alert's stable id, so the same record and rule, however
 * often delivered and by however many instances, update one finding instead of adding more.
 */
export function toFinding(alert: Alert, ctx: FindingContext, now: Date): AwsSecurityFinding {
  const eventTime = iso(alert.timeNs);
  const finding: AwsSecurityFinding = {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(alert),
    ProductArn: defaultProductArn(ctx),
    GeneratorId: `s3guard/${alert.rule}`.slice(0, 512),
    AwsAccountId: ctx.accountId,
    Types: findingTypes(alert.tags),
    FirstObservedAt: eventTime,
    LastObservedAt: eventTime,
    CreatedAt: eventTime,
    UpdatedAt: now.toISOString(),
    Severity: { Label: severityLabel(alert.priority), Original: alert.priority },
    Title: alert.rule.slice(0, MAX_TITLE),
    Description: (alert.message || alert.desc || alert.rule).slice(0, MAX_DESCRIPTION),
    Resources: findingResources(alert.event, ctx),
    ProductFields: productFields(alert),
    Region: ctx.region,
  };
  return fitFinding(finding);
}

export function findingBytes(f: AwsSecurityFinding): number {
  return utf8Bytes(JSON.stringify(f));
}

/** Keeps a finding under 240 KB: long product field values are cut first, then dropped. */
function fitFinding(f: AwsSecurityFinding): AwsSecurityFinding {
  if (findingBytes(f) <= MAX_FINDING_BYTES) return f;
  const fields = { ...f.ProductFields };
  for (const k of Object.keys(fields)) if (!k.startsWith("s3guard/")) fields[k] = truncateUtf8(fields[k], 256);
  const cut = { ...f, ProductFields: fields };
  if (findingBytes(cut) <= MAX_FINDING_BYTES) return cut;
  const essentials = Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith("s3guard/")));
  return { ...f, ProductFields: essentials, Resources: f.Resources?.slice(0, 4) };
}
