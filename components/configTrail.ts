import { LOG_RETENTION_DAYS } from "./awsLimits";
import { ProblemList, RawSection, readBoolean, readChoice, readInteger, readOptionalString, readSection } from "./configReader";
import { ObjectLockSettings, TrailSettings } from "./configTypes";
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
  const logRetentionDays = readInteger(problems, `${PATH}.logRetentionDays`, raw.logRetentionDays, d.logRetentionDays, 1, 36500);
  const objectLock = readObjectLock(problems, raw, logRetentionDays);
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
  const settings: TrailSettings = {
    multiRegion: readBoolean(problems, `${PATH}.multiRegion`, raw.multiRegion, d.multiRegion),
    logFileValidation: readBoolean(problems, `${PATH}.logFileValidation`, raw.logFileValidation, d.logFileValidation),
    organization: readBoolean(problems, `${PATH}.organization`, raw.organization, d.organization),
    logRetentionDays,
    createKmsKey: createKmsKey && kmsKeyArn === undefined,
    ...(objectLock !== undefined ? { objectLock } : {}),
    cloudWatchLogs: readBoolean(problems, `${PATH}.cloudWatchLogs`, raw.cloudWatchLogs, d.cloudWatchLogs),
    cloudWatchLogsRetentionDays,
  };
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
