import * as aws from "@pulumi/aws";
import { Policies, PolicyConfigSchema, ReportViolation, StackValidation, validateResourceOfType } from "@pulumi/policy";
import { readWatchedBuckets, WatchedBucket, watchedBucketsSchema } from "./intent";
import { StackResource, Violation } from "./resources";
import createdBucketsArePrivate from "./rules/createdBucketsArePrivate";
import createdBucketsAreVersioned from "./rules/createdBucketsAreVersioned";
import { actionsThatRequireAnyResource, policyGrantsNoWildcards, roleGrantsNoWildcards } from "./rules/iamPoliciesGrantNoWildcards";
import { noIngressRuleResource, securityGroupHasNoIngress, securityGroupRuleIsNotIngress } from "./rules/securityGroupsAllowNoIngress";
import trailIsLogging from "./rules/trailIsLogging";
import trailIsMultiRegion from "./rules/trailIsMultiRegion";
import trailLogBucketIsEncrypted from "./rules/trailLogBucketIsEncrypted";
import trailSelectorsCoverWatchedBuckets from "./rules/trailSelectorsCoverWatchedBuckets";
import trailValidatesLogFiles from "./rules/trailValidatesLogFiles";
import watchedBucketsBlockPublicAccess from "./rules/watchedBucketsBlockPublicAccess";
import watchedBucketsEnforceBucketOwner from "./rules/watchedBucketsEnforceBucketOwner";

/**
 * The pack's policies: each rule under rules/ given an id (the policy name users configure), a one-line
 * description of what must hold, and the config it reads. The pack makes them all mandatory by default
 * (index.ts); a stack's policy config can lower one to advisory or disable it.
 */

const accountBlockManagedElsewhere = {
  type: "boolean",
  default: false,
  description: "True when another stack or the organization owns the account-level public access block.",
} as const;

const watchedBucketsConfig: PolicyConfigSchema = { properties: { watchedBuckets: watchedBucketsSchema } };

function report(violations: readonly Violation[], reportViolation: ReportViolation): void {
  for (const v of violations) {
    reportViolation(v.message, v.urn);
  }
}

function reportEach(messages: readonly string[], reportViolation: ReportViolation): void {
  for (const m of messages) {
    reportViolation(m);
  }
}

/** A stack validation that reads the watched buckets from its config and fails closed when they are missing. */
function withWatchedBuckets<O extends object>(
  rule: (stack: readonly StackResource[], options: O & { watchedBuckets: readonly WatchedBucket[] }) => Violation[],
): StackValidation {
  return (args, reportViolation) => {
    const config = args.getConfig<O & { watchedBuckets?: unknown }>();
    const watchedBuckets = readWatchedBuckets(config);
    if (typeof watchedBuckets === "string") {
      reportViolation(watchedBuckets);
      return;
    }
    report(rule(args.resources, { ...config, watchedBuckets }), reportViolation);
  };
}

/** The names of the policies whose config carries `watchedBuckets` (policy/bin/policy-config.js fills exactly these). */
export const watchedBucketPolicies = [
  "watched-buckets-block-public-access",
  "watched-buckets-enforce-bucket-owner",
  "trail-selectors-cover-watched-buckets",
] as const;

export const policies: Policies = [
  {
    name: watchedBucketPolicies[0],
    description: "Every watched bucket has a public access block with all four settings on, or the account-level block is on.",
    severity: "critical",
    configSchema: { properties: { ...watchedBucketsConfig.properties, accountBlockManagedElsewhere } },
    validateStack: withWatchedBuckets(watchedBucketsBlockPublicAccess),
  },
  {
    name: watchedBucketPolicies[1],
    description: "Every watched bucket has ownership controls set to BucketOwnerEnforced, so ACLs grant nothing.",
    severity: "high",
    configSchema: watchedBucketsConfig,
    validateStack: withWatchedBuckets(watchedBucketsEnforceBucketOwner),
  },
  {
    name: watchedBucketPolicies[2],
    description: "The trail's advanced event selectors record every watched bucket in the mode configured, and not the trail's own log bucket.",
    severity: "critical",
    configSchema: watchedBucketsConfig,
    validateStack: withWatchedBuckets(trailSelectorsCoverWatchedBuckets),
  },
  {
    name: "trail-is-multi-region",
    description: "The trail records events of every region.",
    severity: "high",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _, v) => reportEach(trailIsMultiRegion(trail), v)),
  },
  {
    name: "trail-validates-log-files",
    description: "The trail validates its log files, so tampering can be proven.",
    severity: "high",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _, v) => reportEach(trailValidatesLogFiles(trail), v)),
  },
  {
    name: "trail-is-logging",
    description: "The trail is not stopped.",
    severity: "critical",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _, v) => reportEach(trailIsLogging(trail), v)),
  },
  {
    name: "trail-log-bucket-is-encrypted",
    description: "The trail logs to a bucket of this stack that is encrypted by default, or encrypts its log files with KMS.",
    severity: "high",
    validateStack: (args, v) => report(trailLogBucketIsEncrypted(args.resources), v),
  },
  {
    name: "created-buckets-are-private",
    description: "Every bucket the stack creates (the trail's log bucket, the rules bucket) blocks public access.",
    severity: "critical",
    configSchema: { properties: { accountBlockManagedElsewhere } },
    validateStack: (args, v) => report(createdBucketsArePrivate(args.resources, args.getConfig()), v),
  },
  {
    name: "created-buckets-are-versioned",
    description: "Every bucket the stack creates (the rules bucket, the trail's log bucket) is versioned.",
    severity: "medium",
    validateStack: (args, v) => report(createdBucketsAreVersioned(args.resources), v),
  },
  {
    name: "iam-policies-grant-no-wildcards",
    description: "No IAM policy of the stack (the connector's task role included) allows a wildcard action, or a * resource beyond what AWS requires.",
    severity: "high",
    configSchema: {
      properties: {
        actionsThatRequireAnyResource: {
          type: "array",
          items: { type: "string" },
          default: [...actionsThatRequireAnyResource],
          description: 'Actions that AWS authorizes only on "Resource": "*".',
        },
      },
    },
    validateResource: [
      validateResourceOfType(aws.iam.Role, (role, args, v) =>
        reportEach(roleGrantsNoWildcards(role, allowedOnAnyResource(args.getConfig())), v),
      ),
      validateResourceOfType(aws.iam.RolePolicy, (policy, args, v) =>
        reportEach(policyGrantsNoWildcards(policy, allowedOnAnyResource(args.getConfig())), v),
      ),
      validateResourceOfType(aws.iam.Policy, (policy, args, v) =>
        reportEach(policyGrantsNoWildcards(policy, allowedOnAnyResource(args.getConfig())), v),
      ),
    ],
  },
  {
    name: "security-groups-allow-no-ingress",
    description: "No security group of the stack (the connector's) allows inbound traffic.",
    severity: "high",
    validateResource: [
      validateResourceOfType(aws.ec2.SecurityGroup, (group, _, v) => reportEach(securityGroupHasNoIngress(group), v)),
      validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, _, v) => reportEach(securityGroupRuleIsNotIngress(rule), v)),
      validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _, v) => reportEach(noIngressRuleResource(rule), v)),
    ],
  },
];

function allowedOnAnyResource(config: { actionsThatRequireAnyResource?: string[] }): readonly string[] {
  return config.actionsThatRequireAnyResource ?? actionsThatRequireAnyResource;
}
