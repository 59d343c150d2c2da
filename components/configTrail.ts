import { LOG_RETENTION_DAYS } from "./awsLimits";
import { arnParts, readAccountList, readExistingTrail } from "./configExistingTrail";
import { ProblemList, RawSection, readBoolean, readChoice, readInteger, readOptionalString, readSection } from "./configReader";
import { ObjectLockSettings, TrailSettings, WatchedBucket } from "./configTypes";
import { OBJECT_LOCK_MODES } from "./vocabulary";

const PATH = "s3guard:trail";
export const TRAIL_KEYS = [
  "multiRegion",
  "logFileValidation",
  "organization",
  "logRetentionDays",
  "kmsKeyArn",
  "createKmsKey",
  "objectLockDays",
  "objectLockMode",
  "cloudWatchLogs",
  "cloudWatchLogsRetentionDays",
  "accountIds",
  "existing",
] as const;

/** Keys that set up a trail of the kit's own: meaningless when the kit creates none. */
const OWN_TRAIL_KEYS = [
  "multiRegion",
  "logFileValidation",
  "logRetentionDays",
  "kmsKeyArn",
  "createKmsKey",
  "objectLockDays",
  "objectLockMode",
  "cloudWatchLogs",
  "cloudWatchLogsRetentionDays",
] as const;

/** A KMS key ARN (not an alias): IAM grants `kms:Decrypt` on it, and aliases cannot be granted. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;

/** Longest default retention the kit accepts for Object Lock: as long as log files may be kept. */
export const MAX_OBJECT_LOCK_DAYS = 36500;

const OBJECT_LOCK_NOTE =
  "Object Lock stays on once the log bucket has it: it cannot be switched off, and a version locked in compliance mode cannot be deleted by anyone, root included, before its date";

export const TRAIL_DEFAULTS: TrailSettings = {
  multiRegion: true,
  logFileValidation: true,
  organization: false,
  logRetentionDays: 365,
  createKmsKey: false,
  cloudWatchLogs: false,
  cloudWatchLogsRetentionDays: 90,
  accountIds: [],
};

/**
 * Reads `s3guard:trail`; every key is optional. `region` (the stack's `aws:region`, when known) must be
 * the region of a KMS key given by ARN: CloudTrail only uses a key of the log bucket's region.
 */
export function readTrail(problems: ProblemList, value: unknown, region?: string): TrailSettings {
  const raw = readSection(problems, PATH, value, TRAIL_KEYS);
  if (raw === undefined) {
    return TRAIL_DEFAULTS;
  }
  const d = TRAIL_DEFAULTS;
  const kmsAccepted = 'use "" for S3-managed encryption, or a key ARN like arn:aws:kms:us-east-1:111122223333:key/<key-id>';
  const kmsKeyArn = readOptionalString(problems, `${PATH}.kmsKeyArn`, raw.kmsKeyArn, kmsAccepted);
  if (kmsKeyArn !== undefined && !KMS_KEY_ARN.test(kmsKeyArn)) {
    problems.add("INVALID_ARN", `${PATH}.kmsKeyArn`, kmsKeyArn, "not a KMS key ARN", kmsAccepted);
  }
  const keyRegion = kmsKeyArn !== undefined ? KMS_KEY_ARN.exec(kmsKeyArn)?.[1] : undefined;
  if (keyRegion !== undefined && region !== undefined && keyRegion !== region) {
    problems.add(
      "REGION_MISMATCH",
      `${PATH}.kmsKeyArn`,
      kmsKeyArn,
      `a key of ${keyRegion}, while the trail and its log bucket are in ${region}`,
      `CloudTrail encrypts only with a key in the log bucket's region: give a key (or a multi-Region replica) of ${region}, or set ${PATH}.createKmsKey to true`,
    );
  }
  const createKmsKey = readBoolean(problems, `${PATH}.createKmsKey`, raw.createKmsKey, d.createKmsKey);
  if (createKmsKey && kmsKeyArn !== undefined) {
    problems.add(
      "CONFLICT",
      `${PATH}.createKmsKey`,
      true,
      "given together with kmsKeyArn",
      'either let the kit create the key (createKmsKey: true, kmsKeyArn: "") or bring your own (kmsKeyArn, createKmsKey: false)',
    );
  }
  const cloudWatchLogsRetentionDays = readInteger(
    problems,
    `${PATH}.cloudWatchLogsRetentionDays`,
    raw.cloudWatchLogsRetentionDays,
    d.cloudWatchLogsRetentionDays,
    0,
    3653,
  );
  if (!LOG_RETENTION_DAYS.includes(cloudWatchLogsRetentionDays)) {
    problems.add(
      "INVALID_CHOICE",
      `${PATH}.cloudWatchLogsRetentionDays`,
      cloudWatchLogsRetentionDays,
      "not a CloudWatch Logs retention period",
      `use one of ${LOG_RETENTION_DAYS.join(", ")} (0 keeps events forever)`,
    );
  }
  let settings: TrailSettings = {
    multiRegion: readBoolean(problems, `${PATH}.multiRegion`, raw.multiRegion, d.multiRegion),
    logFileValidation: readBoolean(problems, `${PATH}.logFileValidation`, raw.logFileValidation, d.logFileValidation),
    organization: readBoolean(problems, `${PATH}.organization`, raw.organization, d.organization),
    logRetentionDays: readInteger(problems, `${PATH}.logRetentionDays`, raw.logRetentionDays, d.logRetentionDays, 1, 36500),
    createKmsKey: createKmsKey && kmsKeyArn === undefined,
    cloudWatchLogs: readBoolean(problems, `${PATH}.cloudWatchLogs`, raw.cloudWatchLogs, d.cloudWatchLogs),
    cloudWatchLogsRetentionDays,
    accountIds: readAccountList(problems, `${PATH}.accountIds`, raw.accountIds),
  };
  const objectLock = readObjectLock(problems, raw, settings.logRetentionDays);
  if (objectLock !== undefined) {
    settings = { ...settings, objectLock };
  }
  const existing = readExistingTrail(problems, raw.existing);
  if (existing !== undefined) {
    settings = { ...settings, existing };
  }
  return kmsKeyArn !== undefined && KMS_KEY_ARN.test(kmsKeyArn) ? { ...settings, kmsKeyArn } : settings;
}

/**
 * `objectLockDays` and `objectLockMode`: the default retention of every log file version written to
 * the log bucket. Absent days means no Object Lock.
 */
function readObjectLock(problems: ProblemList, raw: RawSection, logRetentionDays: number): ObjectLockSettings | undefined {
  const daysPath = `${PATH}.objectLockDays`;
  const modePath = `${PATH}.objectLockMode`;
  const modeGiven = raw.objectLockMode !== undefined && raw.objectLockMode !== null && raw.objectLockMode !== "";
  const mode = readChoice(problems, modePath, modeGiven ? raw.objectLockMode : undefined, OBJECT_LOCK_MODES, "compliance");
  const days = raw.objectLockDays;
  if (days === undefined || days === null) {
    if (modeGiven) {
      problems.add("CONFLICT", modePath, raw.objectLockMode, "given without objectLockDays, so nothing is locked", "set objectLockDays too (days each log file version stays locked), or remove objectLockMode");
    }
    return undefined;
  }
  const accepted = `use a whole number of days from 1 to ${MAX_OBJECT_LOCK_DAYS} that each log file version stays locked, or remove the key for no Object Lock. ${OBJECT_LOCK_NOTE}`;
  if (typeof days !== "number" || !Number.isInteger(days)) {
    problems.add("WRONG_TYPE", daysPath, days, "not a whole number", accepted);
    return undefined;
  }
  if (days < 1 || days > MAX_OBJECT_LOCK_DAYS) {
    problems.add("OUT_OF_RANGE", daysPath, days, "out of range", accepted);
    return undefined;
  }
  if (days > logRetentionDays) {
    problems.add(
      "CONFLICT",
      daysPath,
      days,
      `longer than logRetentionDays (${logRetentionDays}): S3 could not expire log files still locked`,
      `lock at most as long as log files are kept: lower objectLockDays, or raise logRetentionDays to ${days} or more`,
    );
    return undefined;
  }
  return { days, mode };
}

/** What the trail section is checked against: the rest of the stack configuration. */
export interface TrailSurroundings {
  /** The raw `s3guard:trail` section (which keys were written, not their defaults). */
  readonly rawTrail: unknown;
  /** The raw `s3guard:managementEvents`. */
  readonly rawManagementEvents: unknown;
  readonly watchedBuckets: readonly WatchedBucket[];
}

/** Whether the kit creates a trail of its own: always, but with an existing trail only for data events it lacks. */
export function ownsTrail(trail: TrailSettings, watchedBuckets: readonly WatchedBucket[]): boolean {
  return trail.existing === undefined || (!trail.existing.recordsWatchedBuckets && watchedBuckets.length > 0);
}

/**
 * How `trail.existing` and `trail.accountIds` fit the rest: keys only a trail of the kit's own
 * uses, management events (the existing trail records them; a second copy is billed), ARNs in one
 * partition.
 */
export function checkTrailTopology(problems: ProblemList, trail: TrailSettings, around: TrailSurroundings): void {
  const raw: RawSection = typeof around.rawTrail === "object" && around.rawTrail !== null ? (around.rawTrail as RawSection) : {};
  const written = (key: string) => raw[key] !== undefined && raw[key] !== null && raw[key] !== "";
  const existing = trail.existing;
  if (existing === undefined) {
    if (trail.accountIds.length > 0 && !trail.organization) {
      problems.add(
        "CONFLICT",
        `${PATH}.accountIds`,
        trail.accountIds,
        "only an organization trail records other accounts",
        `set ${PATH}.organization to true, or ${PATH}.existing.accountIds to filter an existing trail, or remove the key`,
      );
    }
    return;
  }
  if (trail.organization) {
    problems.add(
      "CONFLICT",
      `${PATH}.organization`,
      true,
      "the kit creates no organization trail when it reads an existing one",
      `remove ${PATH}.organization; the existing trail's accounts are chosen with ${PATH}.existing.accountIds`,
    );
  }
  if (written("accountIds")) {
    problems.add("CONFLICT", `${PATH}.accountIds`, raw.accountIds, "applies to the kit's own organization trail", `with an existing trail, use ${PATH}.existing.accountIds`);
  }
  const management = around.rawManagementEvents;
  if (management !== undefined && management !== null && management !== false) {
    problems.add(
      "CONFLICT",
      "s3guard:managementEvents",
      management,
      "the existing trail records management events already; a second copy is billed for every event",
      `remove s3guard:managementEvents (or set it to false) while ${PATH}.existing is set`,
    );
  }
  if (!ownsTrail(trail, around.watchedBuckets)) {
    const why = existing.recordsWatchedBuckets
      ? `${PATH}.existing.recordsWatchedBuckets is true, so the kit creates no trail`
      : "no bucket is watched, so the kit creates no trail";
    for (const key of OWN_TRAIL_KEYS.filter(written)) {
      problems.add("CONFLICT", `${PATH}.${key}`, raw[key], `only applies to a trail of the kit's own: ${why}`, `remove ${PATH}.${key}`);
    }
  }
  const arns = (["snsTopicArn", "readRoleArn", "kmsKeyArn", "trailArn"] as const).filter((k) => existing[k] !== undefined);
  const partitions = new Set(arns.map((k) => arnParts(existing[k] as string).partition));
  if (partitions.size > 1) {
    problems.add(
      "CONFLICT",
      `${PATH}.existing`,
      arns.map((k) => existing[k]),
      "ARNs of different partitions (aws, aws-cn, aws-us-gov)",
      "one trail and its bucket, topic, key and role live in one partition: check each ARN",
    );
  }
  if (existing.readRoleExternalId !== undefined && existing.readRoleArn === undefined) {
    problems.add(
      "CONFLICT",
      `${PATH}.existing.readRoleExternalId`,
      existing.readRoleExternalId,
      "an external id without a role to assume",
      `set ${PATH}.existing.readRoleArn too, or remove the external id`,
    );
  }
  around.watchedBuckets.forEach((bucket, i) => {
    if (bucket.name === existing.logBucketName) {
      problems.add(
        "FEEDBACK_LOOP",
        `s3guard:watchedBuckets[${i}].name`,
        bucket.name,
        "is the existing trail's log bucket",
        "remove it: every log file delivered there, and every read of one by the connector, would be recorded and billed",
      );
    }
  });
}
