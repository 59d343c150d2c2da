import { LOG_RETENTION_DAYS } from "./awsLimits";
import { ProblemList, readBoolean, readInteger, readOptionalString, readSection } from "./configReader";
import { TrailSettings } from "./configTypes";

const PATH = "s3guard:trail";
export const TRAIL_KEYS = [
  "multiRegion",
  "logFileValidation",
  "organization",
  "logRetentionDays",
  "kmsKeyArn",
  "cloudWatchLogs",
  "cloudWatchLogsRetentionDays",
] as const;

/** A KMS key ARN (not an alias): IAM grants `kms:Decrypt` on it, and aliases cannot be granted. */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export const TRAIL_DEFAULTS: TrailSettings = {
  multiRegion: true,
  logFileValidation: true,
  organization: false,
  logRetentionDays: 365,
  cloudWatchLogs: false,
  cloudWatchLogsRetentionDays: 90,
};

/** Reads `s3guard:trail`; every key is optional. */
export function readTrail(problems: ProblemList, value: unknown): TrailSettings {
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
    logRetentionDays: readInteger(problems, `${PATH}.logRetentionDays`, raw.logRetentionDays, d.logRetentionDays, 1, 36500),
    cloudWatchLogs: readBoolean(problems, `${PATH}.cloudWatchLogs`, raw.cloudWatchLogs, d.cloudWatchLogs),
    cloudWatchLogsRetentionDays,
  };
  return kmsKeyArn !== undefined && KMS_KEY_ARN.test(kmsKeyArn) ? { ...settings, kmsKeyArn } : settings;
}
