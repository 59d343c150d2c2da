/**
 * Names of what a stack creates. Every name starts with the stack's name prefix so that several
 * environments can share one AWS account, and the config validator can recognise this stack's own
 * buckets before they exist (a watched log bucket or rules bucket is a billing feedback loop).
 */

import { createHash } from "crypto";
import { bucketNameProblem } from "./bucketNames";

/** Longest prefix that keeps every derived name within AWS limits (IAM role names: 64 characters). */
export const NAME_PREFIX_MAX_LENGTH = 32;

const NAME_PREFIX = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** Lowercase letters, digits and single hyphens, none at either end. */
function cleaned(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
}

const DEFAULT_PROJECT = "s3guard";

/**
 * The default name prefix: `s3guard-<stack>` (`<project>-<stack>` for a project named otherwise),
 * lowercased. Distinct stacks must never share names, so when the name had to be changed to fit
 * (capitals, other characters, or cut to length) six characters of a hash of the exact project and
 * stack names are appended: `Prod_EU` and `prod-eu` differ, and so do two long names alike at first.
 */
export function defaultNamePrefix(stack: string, project: string = DEFAULT_PROJECT): string {
  const projectPart = cleaned(project);
  const stackPart = cleaned(stack);
  const base = cleaned(`${/^[a-z]/.test(projectPart) ? projectPart : `${DEFAULT_PROJECT}-${projectPart}`}-${stackPart}`);
  const exact = stackPart === stack && projectPart === project && base.length <= NAME_PREFIX_MAX_LENGTH;
  if (exact && namePrefixProblem(base) === undefined) {
    return base;
  }
  const hash = createHash("sha256").update(`${project}/${stack}`).digest("hex").slice(0, 6);
  const head = base.slice(0, NAME_PREFIX_MAX_LENGTH - hash.length - 1).replace(/-+$/, "");
  const prefix = `${head}-${hash}`;
  return namePrefixProblem(prefix) === undefined ? prefix : `${DEFAULT_PROJECT}-${hash}`;
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
  /** CloudConnector component; also its cluster, service, task family and default log group. */
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

/**
 * The names of a stack's components. Every resource is named after its component (explicitly, or by
 * Pulumi's auto-naming: the logical name plus a random suffix), so every physical name starts with
 * the prefix, and two stacks with different prefixes share none.
 */
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
