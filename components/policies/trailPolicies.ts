import { bucketArn } from "./arns";
import { denyInsecureTransport, PolicyDocument, policyDocument, PolicyStatement } from "./document";

/**
 * Resource policies CloudTrail needs on its log bucket and its notification topic. CloudTrail checks
 * both when the trail is created (InsufficientS3BucketPolicyException, InsufficientSnsTopicPolicy),
 * and each is scoped with `aws:SourceArn` to this one trail, so no other trail can write or publish.
 */

const CLOUDTRAIL = { Service: "cloudtrail.amazonaws.com" } as const;

export interface LogBucketPolicyInput {
  readonly partition: string;
  readonly bucketName: string;
  readonly accountId: string;
  readonly trailArn: string;
  /** Set for an organization trail: member accounts' logs land under `AWSLogs/<org id>/`. */
  readonly organizationId?: string;
}

export function logBucketPolicy(input: LogBucketPolicyInput): PolicyDocument {
  const bucket = bucketArn(input.partition, input.bucketName);
  const fromThisTrail = { "aws:SourceArn": input.trailArn };
  const write = (sid: string, owner: string): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Principal: CLOUDTRAIL,
    Action: "s3:PutObject",
    Resource: `${bucket}/AWSLogs/${owner}/*`,
    // Compatible with BucketOwnerEnforced: that canned ACL is the one a bucket without ACLs accepts.
    Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", ...fromThisTrail } },
  });
  return policyDocument([
    {
      Sid: "AWSCloudTrailAclCheck",
      Effect: "Allow",
      Principal: CLOUDTRAIL,
      Action: "s3:GetBucketAcl",
      Resource: bucket,
      Condition: { StringEquals: fromThisTrail },
    },
    write("AWSCloudTrailWrite", input.accountId),
    ...(input.organizationId !== undefined ? [write("AWSCloudTrailOrganizationWrite", input.organizationId)] : []),
    denyInsecureTransport("s3:*", [bucket, `${bucket}/*`]),
  ]);
}

/** Lets this trail, and only this trail, publish log-file notifications to the topic. */
export function notificationTopicPolicy(topicArn: string, trailArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "AWSCloudTrailSNSPolicy",
      Effect: "Allow",
      Principal: CLOUDTRAIL,
      Action: "SNS:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
  ]);
}

export interface TrailLogsRolePolicyInput {
  readonly logGroupArn: string;
  readonly accountId: string;
  readonly organizationId?: string;
}

/**
 * What CloudTrail's CloudWatch Logs role may do: create and write its own streams in one group.
 * CloudTrail names streams `<account>_CloudTrail_<region>...` (and `<org id>_...` for member accounts).
 */
export function trailLogsRolePolicy(input: TrailLogsRolePolicyInput): PolicyDocument {
  const streams = [`${input.logGroupArn}:log-stream:${input.accountId}_CloudTrail_*`];
  if (input.organizationId !== undefined) {
    streams.push(`${input.logGroupArn}:log-stream:${input.organizationId}_*`);
  }
  return policyDocument([
    {
      Sid: "AWSCloudTrailCreateAndPutLogEvents",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: streams,
    },
  ]);
}

/** Private, TLS-only bucket policy for a bucket only s3guard's own roles use. */
export function tlsOnlyBucketPolicy(partition: string, bucketName: string): PolicyDocument {
  const bucket = bucketArn(partition, bucketName);
  return policyDocument([denyInsecureTransport("s3:*", [bucket, `${bucket}/*`])]);
}
