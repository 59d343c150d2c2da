/**
 * AWS limits and value sets that the program checks before `pulumi up`, so a bad setting fails in
 * `pulumi preview` with a clear message instead of half-way through a deployment.
 */

/** CloudTrail: "a maximum of 500 total values for all conditions in all advanced event selectors". */
export const MAX_SELECTOR_VALUES = 500;

/** CloudTrail: each advanced field selector value is 1–2048 characters. */
export const MAX_SELECTOR_VALUE_LENGTH = 2048;

/** S3 object keys are at most 1024 bytes, so a longer prefix can never match. */
export const MAX_OBJECT_PREFIX_LENGTH = 1024;

/** CloudWatch Logs `retentionInDays` accepts only these values (0 = never expire). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
];

/** ECS awsvpc network configuration: at most 16 subnets. */
export const MAX_SERVICE_SUBNETS = 16;

/** AWS resources carry at most 50 user tags. */
export const MAX_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

/** SQS: message visibility timeout 0–43200 seconds (12 hours). */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43200;

/** SQS redrive policy: maxReceiveCount 1–1000. */
export const MAX_RECEIVE_COUNT = 1000;

/**
 * Longest physical name AWS accepts for each kind of resource s3guard names, by Pulumi type. Every
 * name is `<namePrefix>-<component>-<part>`, plus Pulumi's auto-name suffix where the name is not
 * explicit; NAME_PREFIX_MAX_LENGTH (naming.ts) keeps the longest of them within these limits.
 */
export const NAME_LIMITS: Readonly<Record<string, number>> = {
  "aws:s3/bucket:Bucket": 63,
  "aws:sqs/queue:Queue": 80,
  "aws:sns/topic:Topic": 256,
  "aws:dynamodb/table:Table": 255,
  "aws:iam/role:Role": 64,
  "aws:iam/rolePolicy:RolePolicy": 128,
  "aws:secretsmanager/secret:Secret": 512,
  "aws:cloudwatch/logGroup:LogGroup": 512,
  "aws:cloudwatch/metricAlarm:MetricAlarm": 255,
  "aws:ecr/repository:Repository": 256,
  "aws:ec2/securityGroup:SecurityGroup": 255,
  "aws:ecs/cluster:Cluster": 255,
  "aws:cloudtrail/trail:Trail": 128,
  "aws:appautoscaling/policy:Policy": 255,
  "aws:kms/alias:Alias": 256,
  "awsx:ecs:FargateService": 255,
  "task definition family": 255,
};

/** Pulumi's auto-naming appends a hyphen and seven random characters to the logical name. */
export const AUTO_NAME_SUFFIX_LENGTH = 8;
