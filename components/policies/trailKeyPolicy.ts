import { policyDocument, PolicyDocument, PolicyStatement } from "./document";

/**
 * The key policy of the KMS key that encrypts the trail's log files, as CloudTrail documents it
 * ("Configure AWS KMS key policies for CloudTrail"). CreateTrail fails unless CloudTrail may generate
 * data keys and describe the key; both are scoped with `aws:SourceArn` to this one trail. The same
 * statements are what a key brought with `trail.kmsKeyArn` needs (docs/deploying.md).
 */

const CLOUDTRAIL = { Service: "cloudtrail.amazonaws.com" } as const;

export interface TrailKeyPolicyInput {
  readonly partition: string;
  readonly accountId: string;
  /** The trail that encrypts with the key (its ARN, known before the trail exists). */
  readonly trailArn: string;
  /** Roles that read the log files, such as the connector's task role. */
  readonly readerRoleArns: readonly string[];
}

/** The encryption context CloudTrail sets on every log file of this account's trails. */
function cloudTrailContext(partition: string, accountId: string): string {
  return `arn:${partition}:cloudtrail:*:${accountId}:trail/*`;
}

export function trailKeyPolicy(input: TrailKeyPolicyInput): PolicyDocument {
  const fromThisTrail = { "aws:SourceArn": input.trailArn };
  const readers: PolicyStatement[] =
    input.readerRoleArns.length > 0
      ? [
          {
            Sid: "AllowLogReadersToDecrypt",
            Effect: "Allow",
            Principal: { AWS: input.readerRoleArns.length === 1 ? input.readerRoleArns[0] : [...input.readerRoleArns].sort() },
            Action: "kms:Decrypt",
            Resource: "*",
            // Only what CloudTrail encrypted: a log file always carries this context key.
            Condition: { Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } },
          },
        ]
      : [];
  return policyDocument([
    {
      // Without it the key could not be managed (KMS refuses a policy that locks the caller out),
      // and IAM policies of the account could not grant anything on it.
      Sid: "EnableAccountAdministration",
      Effect: "Allow",
      Principal: { AWS: `arn:${input.partition}:iam::${input.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "AllowCloudTrailEncryptLogs",
      Effect: "Allow",
      Principal: CLOUDTRAIL,
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": cloudTrailContext(input.partition, input.accountId) },
        StringEquals: fromThisTrail,
      },
    },
    {
      Sid: "AllowCloudTrailDescribeKey",
      Effect: "Allow",
      Principal: CLOUDTRAIL,
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: fromThisTrail },
    },
    ...readers,
  ]);
}
