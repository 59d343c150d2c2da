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
