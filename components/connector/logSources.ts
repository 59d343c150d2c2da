import type { ExistingTrailArgs } from "./args";

/**
 * Where the connector's log files come from, the kit's own trail and an existing one, and what that
 * means for the queue, the task role and the connector's environment. Pure: the component resolves
 * its inputs and builds resources from the answer.
 */

/** The kit's own trail as the connector sees it (all absent when the kit has none). */
export interface OwnTrailSource {
  readonly logBucketName?: string;
  readonly topicArn?: string;
  readonly kmsKeyArn?: string;
}

export interface LogSources {
  /** Every log bucket read, for the deployment context. */
  readonly logBuckets: readonly string[];
  /** Buckets the task role reads itself (`AWSLogs/*` of each). */
  readonly ownCredentialBuckets: readonly string[];
  /** Topics the queue subscribes to, which its policy admits. */
  readonly topicArns: readonly string[];
  /** Buckets whose S3 event notifications the queue admits (an existing trail without a topic). */
  readonly notifyingBuckets: readonly string[];
  /** Keys the task role may decrypt log files with. */
  readonly kmsKeyArns: readonly string[];
  /** The role assumed for the buckets behind it (S3GUARD_READ_ROLE_*). */
  readonly readRole?: { readonly arn: string; readonly externalId?: string; readonly buckets: readonly string[] };
}

export function logSources(own: OwnTrailSource, existing?: ExistingTrailArgs): LogSources {
  const ownBucket = own.logBucketName !== undefined ? [own.logBucketName] : [];
  if (existing === undefined) {
    return {
      logBuckets: ownBucket,
      ownCredentialBuckets: ownBucket,
      topicArns: own.topicArn !== undefined ? [own.topicArn] : [],
      notifyingBuckets: [],
      kmsKeyArns: own.kmsKeyArn !== undefined ? [own.kmsKeyArn] : [],
    };
  }
  const behindRole = existing.readRoleArn !== undefined;
  return {
    logBuckets: [...ownBucket, existing.logBucketName],
    ownCredentialBuckets: behindRole ? ownBucket : [...ownBucket, existing.logBucketName],
    topicArns: [...(own.topicArn !== undefined ? [own.topicArn] : []), ...(existing.snsTopicArn !== undefined ? [existing.snsTopicArn] : [])],
    // Without a topic, the existing trail's bucket sends its object-created notifications to the queue.
    notifyingBuckets: existing.snsTopicArn === undefined ? [existing.logBucketName] : [],
    kmsKeyArns: [...new Set([own.kmsKeyArn, existing.kmsKeyArn].filter((k): k is string => k !== undefined))],
    ...(existing.readRoleArn !== undefined
      ? {
          readRole: {
            arn: existing.readRoleArn,
            buckets: [existing.logBucketName],
            ...(existing.readRoleExternalId !== undefined ? { externalId: existing.readRoleExternalId } : {}),
          },
        }
      : {}),
  };
}
