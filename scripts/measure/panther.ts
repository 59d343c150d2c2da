import type { PantherTest } from "./datasets";
import type { CloudTrailRecord, Fired } from "./types";

/**
 * Panther's S3 and CloudTrail rules that mean the same thing as bundled rules. A Panther test
 * agrees when "any of `ours` alerts" equals Panther's expected result. Where Panther's rule also
 * covers other services, only its tests on `eventSources` are compared.
 */
export interface PantherMapping {
  panther: string;
  ours: readonly string[];
  eventSources?: readonly string[];
  /** Why a known disagreement is expected, by Panther test name. */
  explained?: Readonly<Record<string, string>>;
}

export const PANTHER_MAPPINGS: readonly PantherMapping[] = [
  { panther: "AWS.CloudTrail.Stopped", ours: ["CloudTrail Logging Stopped"] },
  { panther: "AWS.CloudTrail.EventSelectorsDisabled", ours: ["CloudTrail Event Selectors Narrowed"] },
  { panther: "AWS.CloudTrail.ShortLifecycle", ours: ["S3 Lifecycle Rule Expires Objects Quickly"] },
  {
    panther: "AWS.CloudTrail.SecurityConfigurationChange",
    ours: [
      "CloudTrail Logging Stopped",
      "CloudTrail Trail Deleted",
      "CloudTrail Trail Weakened",
      "CloudTrail Event Selectors Narrowed",
      "GuardDuty Detector Deleted or Suspended",
      "Security Hub Disabled",
    ],
  },
  { panther: "AWS.CloudTrail.ResourceMadePublic", ours: ["S3 Bucket Policy Grants Public Access"], eventSources: ["s3.amazonaws.com"] },
  {
    panther: "AWS.Root.Activity",
    ours: ["S3 API Call by Root User"],
    eventSources: ["s3.amazonaws.com"],
    explained: {
      "Root Activity - CreateServiceLinkedRole":
        "Panther allow-lists this event name; the bundled rule flags every call by root with the S3 event source (the test event is an IAM call labelled s3.amazonaws.com)",
    },
  },
  { panther: "AWS.S3.BucketDeleted", ours: ["S3 Bucket Deleted"] },
  { panther: "AWS.S3.CopyObject.CrossAccount.Encryption.KMS", ours: ["S3 Object Copied Across Accounts"] },
  { panther: "AWS.S3.CopyObjectToExternalAccountBucket", ours: ["S3 Object Copied Across Accounts"] },
  { panther: "AWS.S3.CopyObjectWithClientSideEncryption", ours: ["S3 Object Re-encrypted with Customer-Provided Key"] },
  { panther: "AWS.S3.DeleteBucketEncryption", ours: ["S3 Default Encryption Removed"] },
  { panther: "AWS.S3.DeleteBucketReplication", ours: ["S3 Bucket Replication Removed"] },
  { panther: "AWS.S3.DeleteObjects", ours: ["S3 Objects Deleted in Batch"] },
  { panther: "AWS.S3.DeletePublicAccessBlock", ours: ["S3 Bucket Public Access Block Removed"] },
  { panther: "AWS.S3.DisableBucketLogging", ours: ["S3 Server Access Logging Disabled"] },
  { panther: "AWS.S3.DisableMfaDelete", ours: ["S3 Bucket MFA Delete Disabled"] },
  { panther: "AWS.S3.SuspendVersioning", ours: ["S3 Bucket Versioning Suspended"] },
  {
    panther: "AWS.S3.SecurityControlDisabling",
    ours: ["S3 Bucket Versioning Suspended", "S3 Bucket MFA Delete Disabled", "S3 Server Access Logging Disabled"],
  },
  { panther: "AWS.S3.RansomwareNoteUpload", ours: ["S3 Ransom Note Uploaded"] },
  { panther: "AWS.KMS.CustomerManagedKeyLoss", ours: ["KMS Key Disabled or Scheduled for Deletion"] },
];

/** Placeholder time for Panther events that carry none (or "redacted"): only the rule conditions matter here. */
export const PLACEHOLDER_TIME = "2021-01-01T00:00:00Z";

/**
 * Panther's test events are written for Panther, not for the CloudTrail plugin: eventTime is often
 * "2021-05-20 15:53:47Z" (a space, sometimes no zone), which the plugin (and our engine) skips as
 * not RFC 3339, and some lack eventType. We rewrite the time as RFC 3339 UTC ("T", "Z"), put a
 * placeholder where there is no usable time, and add eventType AwsApiCall where it is missing.
 */
export function normalisePantherEvent(log: CloudTrailRecord): { record: CloudTrailRecord; changes: string[] } {
  const record: CloudTrailRecord = { ...log };
  const changes: string[] = [];
  const t = record.eventTime;
  const m = typeof t === "string" ? /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z?$/.exec(t) : null;
  if (m) {
    const rfc = `${m[1]}T${m[2]}Z`;
    if (rfc !== t) {
      record.eventTime = rfc;
      changes.push("eventTime as RFC 3339");
    }
  } else {
    record.eventTime = PLACEHOLDER_TIME;
    changes.push("placeholder eventTime");
  }
  if (typeof record.eventType !== "string") {
    record.eventType = "AwsApiCall";
    changes.push("eventType AwsApiCall");
  }
  return { record, changes };
}

export interface Disagreement {
  test: string;
  /** Why it is expected, when known. */
  explanation?: string;
  expected: boolean;
  got: boolean;
  hasMocks: boolean;
  firedRules: string[];
}

export interface AgreementRow {
  mapping: PantherMapping;
  tests: number;
  agree: number;
  disagreements: Disagreement[];
  /** Tests left out because their eventSource is outside the mapping's scope. */
  outOfScope: number;
}

export interface PantherResult {
  rows: AgreementRow[];
  tests: number;
  agree: number;
  /** How many events needed each normalisation. */
  normalised: Record<string, number>;
}

/** Compares, test by test, Panther's expected result with whether any mapped bundled rule alerts. */
export async function measurePantherAgreement(
  tests: readonly PantherTest[],
  evaluateOne: (record: CloudTrailRecord) => Fired[] | Promise<Fired[]>,
  mappings: readonly PantherMapping[] = PANTHER_MAPPINGS,
): Promise<PantherResult> {
  const normalised: Record<string, number> = {};
  const rows: AgreementRow[] = [];
  for (const mapping of mappings) {
    const row: AgreementRow = { mapping, tests: 0, agree: 0, disagreements: [], outOfScope: 0 };
    for (const t of tests.filter((x) => x.ruleId === mapping.panther)) {
      if (mapping.eventSources && !mapping.eventSources.includes(String(t.log.eventSource))) {
        row.outOfScope++;
        continue;
      }
      const { record, changes } = normalisePantherEvent(t.log);
      for (const c of changes) normalised[c] = (normalised[c] ?? 0) + 1;
      const fired = (await evaluateOne(record)).map((a) => a.rule);
      const got = fired.some((r) => mapping.ours.includes(r));
      row.tests++;
      if (got === t.expected) row.agree++;
      else {
        row.disagreements.push({
          test: t.testName,
          explanation: mapping.explained?.[t.testName],
          expected: t.expected,
          got,
          hasMocks: t.hasMocks,
          firedRules: [...new Set(fired)],
        });
      }
    }
    rows.push(row);
  }
  return { rows, tests: rows.reduce((n, r) => n + r.tests, 0), agree: rows.reduce((n, r) => n + r.agree, 0), normalised };
}
