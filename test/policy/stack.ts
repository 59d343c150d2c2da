import { WatchedBucket } from "../../policy/intent";
import { StackResource, types } from "../../policy/resources";
import { resource } from "./harness";

/**
 * A compliant s3guard stack as the policies see it, written out by hand from the resource contract the program
 * follows (see docs/previews-and-drift.md). Tests weaken one part of it at a time.
 */

export const watchedBuckets: WatchedBucket[] = [
  { name: "invoices", read: true, write: true },
  { name: "exports", read: true, write: false, prefixes: ["monthly/", "daily/"] },
];

const fullBlock = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

export const taskPolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Queue",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: "arn:aws:sqs:eu-west-1:111122223333:s3guard-dev-events",
    },
    { Sid: "Logs", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::s3guard-dev-trail/AWSLogs/*" },
    { Sid: "Metrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" },
  ],
};

export function selector(name: string, readOnly: string | undefined, arns: string[]) {
  return {
    name,
    fieldSelectors: [
      { field: "eventCategory", equals: ["Data"] },
      ...(readOnly === undefined ? [] : [{ field: "readOnly", equals: [readOnly] }]),
      { field: "resources.ARN", startsWiths: arns },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
    ],
  };
}

export function compliantStack(): StackResource[] {
  return [
    ...watchedBuckets.flatMap((b) => [
      resource(types.publicAccessBlock, `${b.name}-public-access`, { bucket: b.name, ...fullBlock }),
      resource(types.ownershipControls, `${b.name}-ownership`, { bucket: b.name, rule: { objectOwnership: "BucketOwnerEnforced" } }),
    ]),
    resource(types.trail, "trail", {
      name: "s3guard-dev",
      s3BucketName: "s3guard-dev-trail",
      isMultiRegionTrail: true,
      enableLogFileValidation: true,
      advancedEventSelectors: [
        selector("s3guard reads and writes", undefined, ["arn:aws:s3:::invoices/"]),
        selector("s3guard reads", "true", ["arn:aws:s3:::exports/monthly/", "arn:aws:s3:::exports/daily/"]),
        { name: "management", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
      ],
    }),
    resource("aws:s3/bucket:Bucket", "trail-bucket", { bucket: "s3guard-dev-trail" }),
    resource(types.publicAccessBlock, "trail-bucket-public-access", { bucket: "s3guard-dev-trail", ...fullBlock }),
    resource(types.encryption[0], "trail-bucket-encryption", {
      bucket: "s3guard-dev-trail",
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }],
    }),
    resource(types.versioning[0], "trail-bucket-versioning", { bucket: "s3guard-dev-trail", versioningConfiguration: { status: "Enabled" } }),
    resource("aws:s3/bucketV2:BucketV2", "rules-bucket", { bucket: "s3guard-dev-rules" }),
    resource(types.publicAccessBlock, "rules-bucket-public-access", { bucket: "s3guard-dev-rules", ...fullBlock }),
    resource(types.versioning[1], "rules-bucket-versioning", { bucket: "s3guard-dev-rules", versioningConfiguration: { status: "Enabled" } }),
    resource(types.role, "task-role", {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }),
    resource(types.rolePolicy, "task-role-policy", { name: "connector-task", role: "task-role", policy: JSON.stringify(taskPolicy) }),
    resource(types.securityGroup, "connector", {
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    }),
  ];
}

/** The stack with the resource of this logical name removed. */
export function without(stack: readonly StackResource[], name: string): StackResource[] {
  if (!stack.some((r) => r.name === name)) throw new Error(`no resource named ${name}`);
  return stack.filter((r) => r.name !== name);
}

/** The stack with the props of the resource of this logical name replaced by `patch(props)`. */
export function changed(
  stack: readonly StackResource[],
  name: string,
  patch: (props: Record<string, any>) => Record<string, any>,
): StackResource[] {
  if (!stack.some((r) => r.name === name)) throw new Error(`no resource named ${name}`);
  return stack.map((r) => (r.name === name ? { ...r, props: patch(structuredClone(r.props)) } : r));
}

/** The stack with the resource of this logical name declared as another type (e.g. the V2 variant of a bucket resource). */
export function retyped(stack: readonly StackResource[], name: string, type: string): StackResource[] {
  if (!stack.some((r) => r.name === name)) throw new Error(`no resource named ${name}`);
  return stack.map((r) => (r.name === name ? { ...r, type, urn: r.urn.replace(r.type, type) } : r));
}
