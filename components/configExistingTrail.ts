import { bucketNameProblem } from "./bucketNames";
import { ACCOUNT_ID } from "./configContext";
import { isRecord, ProblemList, readBoolean, readOptionalString, readSection } from "./configReader";
import { ExistingTrail } from "./configTypes";

/**
 * `s3guard:trail.existing`: a trail the kit does not own (often an organization trail writing into
 * a log archive account) whose log files the connector reads. Only the shape of each value is
 * checked here; how the values fit together and with the rest of the trail section is checked by
 * `checkExistingTrail` in configTrail.ts.
 */

const PATH = "s3guard:trail.existing";
export const EXISTING_KEYS = [
  "logBucketName",
  "snsTopicArn",
  "readRoleArn",
  "readRoleExternalId",
  "kmsKeyArn",
  "accountIds",
  "recordsWatchedBuckets",
  "trailArn",
] as const;

export const SNS_TOPIC_ARN = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;
export const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
export const TRAIL_ARN = /^arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):trail\/[A-Za-z0-9._-]{3,128}$/;
export const KMS_KEY = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;
/** What STS accepts as an external id: 2 to 1224 of these characters. */
export const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** The partition, region and account of a well-formed ARN. */
export interface ArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

export function arnParts(arn: string): ArnParts {
  const [, partition, , region, account] = arn.split(":");
  return { partition, region, account };
}

/** Reads the section; `undefined` when it is absent (the kit owns its trail) or unusable. */
export function readExistingTrail(problems: ProblemList, value: unknown): ExistingTrail | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isRecord(value)) {
    problems.add("WRONG_TYPE", PATH, value, "not a mapping of keys to values", `use keys: ${EXISTING_KEYS.join(", ")}`);
    return undefined;
  }
  const raw = readSection(problems, PATH, value, EXISTING_KEYS) ?? {};
  const logBucketName = readLogBucket(problems, raw.logBucketName);
  const snsTopicArn = readArn(
    problems,
    "snsTopicArn",
    raw.snsTopicArn,
    SNS_TOPIC_ARN,
    "an SNS topic ARN",
    "use the ARN of the topic the trail announces log files on, like arn:aws:sns:us-east-1:222233334444:org-trail-delivery (or leave it out and send the log bucket's S3 event notifications to the queue)",
  );
  const readRoleArn = readArn(
    problems,
    "readRoleArn",
    raw.readRoleArn,
    ROLE_ARN,
    "an IAM role ARN",
    "use the ARN of the role the log archive stack created, like arn:aws:iam::222233334444:role/s3guard-log-reader (or leave it out when the task role may read the bucket itself)",
  );
  const externalAccepted = "use 2 to 1224 letters, digits or any of + = , . @ : / - (the externalId of the log archive stack)";
  const readRoleExternalId = readOptionalString(problems, `${PATH}.readRoleExternalId`, raw.readRoleExternalId, externalAccepted);
  if (readRoleExternalId !== undefined && !EXTERNAL_ID.test(readRoleExternalId)) {
    problems.add("INVALID_ID", `${PATH}.readRoleExternalId`, readRoleExternalId, "not an external id STS accepts", externalAccepted);
  }
  const kmsKeyArn = readArn(
    problems,
    "kmsKeyArn",
    raw.kmsKeyArn,
    KMS_KEY,
    "a KMS key ARN",
    "use the ARN of the key the trail encrypts log files with, like arn:aws:kms:us-east-1:222233334444:key/<key-id> (not an alias); leave it out for SSE-S3 log files",
  );
  const accountIds = readAccountIds(problems, raw.accountIds);
  const recordsWatchedBuckets = readBoolean(problems, `${PATH}.recordsWatchedBuckets`, raw.recordsWatchedBuckets, false);
  const trailArn = readArn(
    problems,
    "trailArn",
    raw.trailArn,
    TRAIL_ARN,
    "a CloudTrail trail ARN",
    "use the existing trail's ARN, like arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail: the rules then watch it as a trail that must keep recording",
  );
  if (logBucketName === undefined) {
    return undefined;
  }
  return {
    logBucketName,
    ...(snsTopicArn !== undefined ? { snsTopicArn } : {}),
    ...(readRoleArn !== undefined ? { readRoleArn } : {}),
    ...(readRoleExternalId !== undefined && EXTERNAL_ID.test(readRoleExternalId) ? { readRoleExternalId } : {}),
    ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
    accountIds,
    recordsWatchedBuckets,
    ...(trailArn !== undefined ? { trailArn } : {}),
  };
}

function readLogBucket(problems: ProblemList, value: unknown): string | undefined {
  const path = `${PATH}.logBucketName`;
  const accepted = "the bucket the existing trail delivers its log files to, like org-trail-logs-222233334444";
  const name = readOptionalString(problems, path, value, accepted);
  if (name === undefined) {
    if (value === undefined || value === null || value === "") {
      problems.add("MISSING_KEY", path, value, "required with an existing trail", accepted);
    }
    return undefined;
  }
  const reason = bucketNameProblem(name);
  if (reason !== undefined) {
    problems.add("INVALID_BUCKET_NAME", path, name, "not a valid S3 bucket name", `bucket names must ${reason}`);
    return undefined;
  }
  return name;
}

function readArn(problems: ProblemList, key: string, value: unknown, pattern: RegExp, what: string, accepted: string): string | undefined {
  const path = `${PATH}.${key}`;
  const arn = readOptionalString(problems, path, value, accepted);
  if (arn !== undefined && !pattern.test(arn)) {
    problems.add("INVALID_ARN", path, arn, `not ${what}`, accepted);
    return undefined;
  }
  return arn;
}

function readAccountIds(problems: ProblemList, value: unknown): string[] {
  const path = `${PATH}.accountIds`;
  return readAccountList(problems, path, value);
}

/**
 * A list of 12-digit account ids, each problem naming its entry; absent means every account. Shared
 * with `s3guard:trail.accountIds` (the kit's own organization trail).
 */
export function readAccountList(problems: ProblemList, path: string, value: unknown): string[] {
  const accepted = 'use a list of 12-digit account ids in quotes, like ["111122223333"] (unquoted, YAML reads a leading 0 away); leave it out to keep every account';
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.add("WRONG_TYPE", path, value, "not a list", accepted);
    return [];
  }
  if (value.length === 0) {
    problems.add("OUT_OF_RANGE", path, value, "an empty list would drop every record", accepted);
  }
  const ids: string[] = [];
  const first = new Map<string, number>();
  value.forEach((item: unknown, i) => {
    if (typeof item !== "string") {
      problems.add("WRONG_TYPE", `${path}[${i}]`, item, "not a string", accepted);
    } else if (!ACCOUNT_ID.test(item)) {
      problems.add("INVALID_ID", `${path}[${i}]`, item, "not a 12-digit AWS account id", accepted);
    } else if (first.has(item)) {
      problems.add("DUPLICATE", `${path}[${i}]`, item, `duplicate account, already at ${path}[${first.get(item)}]`, "list each account once");
    } else {
      first.set(item, i);
      ids.push(item);
    }
  });
  return ids;
}
