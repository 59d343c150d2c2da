import { bucketNameProblem } from "./bucketNames";
import { REGION_CODE } from "./configBuckets";
import { ACCOUNT_ID, ORGANIZATION_ID } from "./configContext";
import { ConfigError, ConfigProblem } from "./configErrors";
import { arnParts, EXTERNAL_ID, KMS_KEY, SNS_TOPIC_ARN } from "./configExistingTrail";
import { checkKeys, ProblemList, RawSection, readOptionalString, readSection } from "./configReader";
import { namePrefixProblem } from "./naming";

/**
 * The log archive program's settings (`log-archive/`, namespace `s3guard-log-archive`): the
 * existing trail's bucket, key and topic in this account, and the Cloud Connector they are opened
 * to. Checked like the s3guard stack's: every problem at once, each naming its key.
 */

export const ARCHIVE_NAMESPACE = "s3guard-log-archive";
export const ARCHIVE_KEYS = ["logBucketName", "kmsKeyArn", "snsTopicArn", "roleName", "externalId", "organizationId", "connector"] as const;
const CONNECTOR_KEYS = ["accountId", "region", "namePrefix", "taskRoleArn", "queueArn"] as const;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):[\w-]{1,80}$/;

export interface LogArchiveConnector {
  readonly accountId: string;
  readonly region: string;
  readonly namePrefix?: string;
  readonly taskRoleArn?: string;
  readonly queueArn?: string;
}

export interface LogArchiveSettings {
  readonly logBucketName?: string;
  readonly kmsKeyArn?: string;
  readonly snsTopicArn?: string;
  /** @default "s3guard-log-reader" */
  readonly roleName: string;
  readonly externalId?: string;
  readonly organizationId?: string;
  readonly connector: LogArchiveConnector;
}

export const DEFAULT_ROLE_NAME = "s3guard-log-reader";

export function checkLogArchiveConfig(raw: RawSection, region: string | undefined): { settings?: LogArchiveSettings; problems: readonly ConfigProblem[] } {
  const problems = new ProblemList();
  const key = (k: string) => `${ARCHIVE_NAMESPACE}:${k}`;
  checkKeys(problems, ARCHIVE_NAMESPACE, raw, ARCHIVE_KEYS, ":");

  const logBucketName = readOptionalString(problems, key("logBucketName"), raw.logBucketName, "the existing trail's log bucket, in this account");
  if (logBucketName !== undefined && bucketNameProblem(logBucketName) !== undefined) {
    problems.add("INVALID_BUCKET_NAME", key("logBucketName"), logBucketName, "not a valid S3 bucket name", `bucket names must ${bucketNameProblem(logBucketName)}`);
  }
  const kmsKeyArn = pattern(problems, key("kmsKeyArn"), raw.kmsKeyArn, KMS_KEY, "a KMS key ARN", "the ARN (not an alias) of the key the log files are encrypted with");
  const snsTopicArn = pattern(problems, key("snsTopicArn"), raw.snsTopicArn, SNS_TOPIC_ARN, "an SNS topic ARN", "the ARN of the trail's delivery topic, in this account and region");
  const roleName = pattern(problems, key("roleName"), raw.roleName, ROLE_NAME, "an IAM role name", "1 to 64 letters, digits or any of + = , . @ _ -") ?? DEFAULT_ROLE_NAME;
  const externalId = pattern(problems, key("externalId"), raw.externalId, EXTERNAL_ID, "an external id STS accepts", "2 to 1224 letters, digits or any of + = , . @ : / -");
  const organizationId = pattern(problems, key("organizationId"), raw.organizationId, ORGANIZATION_ID, "an organization id", "the id of your AWS organization, like o-a1b2c3d4e5");
  const connector = readConnector(problems, raw.connector, region);

  if (logBucketName === undefined && snsTopicArn === undefined) {
    problems.add("MISSING_KEY", key("logBucketName"), undefined, "nothing to open to the connector", `set ${key("logBucketName")} (the read role), ${key("snsTopicArn")} (the topic's subscription), or both`);
  }
  if (kmsKeyArn !== undefined && logBucketName === undefined) {
    problems.add("CONFLICT", key("kmsKeyArn"), kmsKeyArn, "a key without the log bucket it encrypts", `set ${key("logBucketName")} too, or remove the key`);
  }
  if (logBucketName !== undefined && externalId === undefined && organizationId === undefined) {
    problems.add(
      "MISSING_KEY",
      key("externalId"),
      undefined,
      "the read role's trust policy needs an external id or the organization",
      `set ${key("externalId")} (and the same in the s3guard stack's trail.existing.readRoleExternalId), or ${key("organizationId")} when both accounts are in one organization`,
    );
  }
  if (snsTopicArn !== undefined && region !== undefined && arnParts(snsTopicArn).region !== region) {
    problems.add("REGION_MISMATCH", key("snsTopicArn"), snsTopicArn, `the topic is in ${arnParts(snsTopicArn).region}, the stack in ${region}`, `deploy this stack in ${arnParts(snsTopicArn).region} (aws:region)`);
  }
  if (connector !== undefined && connector.namePrefix === undefined) {
    const missing = [
      ...(logBucketName !== undefined && connector.taskRoleArn === undefined ? ["taskRoleArn"] : []),
      ...(snsTopicArn !== undefined && connector.queueArn === undefined ? ["queueArn"] : []),
    ];
    if (missing.length > 0) {
      problems.add(
        "MISSING_KEY",
        key("connector.namePrefix"),
        undefined,
        `required without ${missing.map((m) => `connector.${m}`).join(" and ")}`,
        "the s3guard stack's s3guard:namePrefix (default s3guard-<stack>), which its task role and queue are named after; or their exact ARNs from its outputs",
      );
    }
  }
  if (problems.problems.length > 0 || connector === undefined) {
    return { problems: problems.problems };
  }
  return {
    settings: {
      ...(logBucketName !== undefined ? { logBucketName } : {}),
      ...(kmsKeyArn !== undefined ? { kmsKeyArn } : {}),
      ...(snsTopicArn !== undefined ? { snsTopicArn } : {}),
      roleName,
      ...(externalId !== undefined ? { externalId } : {}),
      ...(organizationId !== undefined ? { organizationId } : {}),
      connector,
    },
    problems: [],
  };
}

export function validateLogArchiveConfig(raw: RawSection, stack: string, region: string | undefined): LogArchiveSettings {
  const { settings, problems } = checkLogArchiveConfig(raw, region);
  if (settings === undefined) throw new ConfigError(problems, stack);
  return settings;
}

function pattern(problems: ProblemList, path: string, value: unknown, re: RegExp, what: string, accepted: string): string | undefined {
  const text = readOptionalString(problems, path, value, accepted);
  if (text !== undefined && !re.test(text)) {
    problems.add(path.endsWith("Id") ? "INVALID_ID" : path.endsWith("Arn") ? "INVALID_ARN" : "INVALID_NAME", path, text, `not ${what}`, accepted);
    return undefined;
  }
  return text;
}

function readConnector(problems: ProblemList, value: unknown, stackRegion: string | undefined): LogArchiveConnector | undefined {
  const path = `${ARCHIVE_NAMESPACE}:connector`;
  if (value === undefined || value === null) {
    problems.add("MISSING_KEY", path, undefined, "required", "the s3guard stack the logs are opened to: {accountId, namePrefix} (and region when it differs)");
    return undefined;
  }
  const raw = readSection(problems, path, value, CONNECTOR_KEYS);
  if (raw === undefined) return undefined;
  const accepted = 'the 12-digit id, quoted ("111122223333"), of the account the s3guard stack runs in';
  const accountId = readOptionalString(problems, `${path}.accountId`, raw.accountId, accepted);
  if (accountId === undefined) {
    if (raw.accountId === undefined || raw.accountId === null || raw.accountId === "") problems.add("MISSING_KEY", `${path}.accountId`, raw.accountId, "required", accepted);
  } else if (!ACCOUNT_ID.test(accountId)) {
    problems.add("INVALID_ID", `${path}.accountId`, accountId, "not a 12-digit AWS account id", accepted);
  }
  const region = readOptionalString(problems, `${path}.region`, raw.region, "a region code such as eu-west-1") ?? stackRegion;
  if (region !== undefined && !REGION_CODE.test(region)) {
    problems.add("INVALID_CHOICE", `${path}.region`, region, "not an AWS region code", "a region code such as eu-west-1");
  }
  const namePrefix = readOptionalString(problems, `${path}.namePrefix`, raw.namePrefix, "the s3guard stack's s3guard:namePrefix");
  const prefixProblem = namePrefix !== undefined ? namePrefixProblem(namePrefix) : undefined;
  if (prefixProblem !== undefined) {
    problems.add("INVALID_NAME", `${path}.namePrefix`, namePrefix, "not a name prefix an s3guard stack can have", `the prefix must ${prefixProblem}`);
  }
  const taskRoleArn = pattern(problems, `${path}.taskRoleArn`, raw.taskRoleArn, ROLE_ARN, "an IAM role ARN", "the s3guard stack's connectorTaskRoleArn output");
  const queueArn = pattern(problems, `${path}.queueArn`, raw.queueArn, QUEUE_ARN, "an SQS queue ARN", "the s3guard stack's queueArn output");
  const accountOk = accountId !== undefined && ACCOUNT_ID.test(accountId);
  for (const [name, arn] of [["taskRoleArn", taskRoleArn], ["queueArn", queueArn]] as const) {
    if (arn !== undefined && accountOk && arnParts(arn).account !== accountId) {
      problems.add("CONFLICT", `${path}.${name}`, arn, `not in the connector's account ${accountId}`, `use the s3guard stack's ${name === "queueArn" ? "queueArn" : "connectorTaskRoleArn"} output, or correct ${path}.accountId`);
    }
  }
  if (queueArn !== undefined && region !== undefined && arnParts(queueArn).region !== region) {
    problems.add("REGION_MISMATCH", `${path}.queueArn`, queueArn, `not in the connector's region ${region}`, `set ${path}.region to the s3guard stack's region`);
  }
  if (!accountOk || region === undefined) {
    if (region === undefined) problems.add("MISSING_KEY", `${path}.region`, undefined, "required without aws:region", "the s3guard stack's region, e.g. us-east-1");
    return undefined;
  }
  return {
    accountId: accountId!,
    region,
    ...(namePrefix !== undefined && prefixProblem === undefined ? { namePrefix } : {}),
    ...(taskRoleArn !== undefined ? { taskRoleArn } : {}),
    ...(queueArn !== undefined ? { queueArn } : {}),
  };
}
