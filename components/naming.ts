/**
 * Names of what a stack creates. Every name starts with the stack's name prefix so that several
 * environments can share one AWS account, and the config validator can recognise this stack's own
 * buckets before they exist (a watched log bucket or rules bucket is a billing feedback loop).
 */

import { bucketNameProblem } from "./bucketNames";

/** Longest prefix that keeps every derived name within AWS limits (IAM role names: 64 characters). */
export const NAME_PREFIX_MAX_LENGTH = 32;

const NAME_PREFIX = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** The default name prefix: `s3guard-<stack>`, lowercased and cut to a valid length. */
export function defaultNamePrefix(stack: string): string {
  const cleaned = stack
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  const prefix = cleaned.length > 0 ? `s3guard-${cleaned}` : "s3guard";
  return prefix.slice(0, NAME_PREFIX_MAX_LENGTH).replace(/-+$/, "");
}

/**
 * Why `prefix` cannot prefix s3guard's resource names, or `undefined` when it can. It becomes part of
 * bucket names (lowercase only), the trail name (no adjacent hyphens) and IAM role names (64 chars).
 */
export function namePrefixProblem(prefix: string): string | undefined {
  if (prefix.length < 3 || prefix.length > NAME_PREFIX_MAX_LENGTH) {
    return `be 3 to ${NAME_PREFIX_MAX_LENGTH} characters long`;
  }
  if (!NAME_PREFIX.test(prefix)) {
    return "start with a lowercase letter, use only lowercase letters, digits and hyphens, and end with a letter or digit";
  }
  if (prefix.includes("--")) {
    return "not contain two adjacent hyphens";
  }
  if (prefix.startsWith("sg-")) {
    return 'not start with "sg-", which EC2 reserves for security group IDs';
  }
  const bucketReason = bucketNameProblem(`${logBucketResourceName(`${prefix}-trail`)}-0000000`);
  if (bucketReason !== undefined) {
    return `make valid bucket names, which must ${bucketReason}`;
  }
  return undefined;
}

/** Logical names of the three components and the names AWS sees that must be known in advance. */
export interface StackNames {
  /** AuditTrail component; also the trail's own (explicit) name. */
  readonly auditTrail: string;
  readonly publicAccessGuard: string;
  readonly cloudConnector: string;
  /** Every physical name of this stack's log bucket starts with this. */
  readonly logBucketPrefix: string;
  /** Every physical name of this stack's rules bucket starts with this. */
  readonly rulesBucketPrefix: string;
}

/** Logical name of the AuditTrail's log bucket; Pulumi adds a random suffix to make the bucket name. */
export function logBucketResourceName(auditTrailName: string): string {
  return `${auditTrailName}-logs`;
}

/** Logical name of the CloudConnector's rules bucket; Pulumi adds a random suffix. */
export function rulesBucketResourceName(cloudConnectorName: string): string {
  return `${cloudConnectorName}-rules`;
}

export function stackNames(prefix: string): StackNames {
  const auditTrail = `${prefix}-trail`;
  const cloudConnector = `${prefix}-connector`;
  return {
    auditTrail,
    publicAccessGuard: `${prefix}-public-access`,
    cloudConnector,
    logBucketPrefix: logBucketResourceName(auditTrail),
    rulesBucketPrefix: rulesBucketResourceName(cloudConnector),
  };
}
