import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TRAIL_DEFAULTS } from "./configTrail";
import { AdvancedEventSelector, buildEventSelectors, composeEventSelectors, SelectorBucket } from "./eventSelectors";
import { hardenedBucket } from "./hardenedBucket";
import { logBucketResourceName } from "./naming";
import { trailArn as buildTrailArn } from "./policies/arns";
import { assumeRolePolicy } from "./policies/document";
import { trailKeyPolicy } from "./policies/trailKeyPolicy";
import { logBucketPolicy, notificationTopicPolicy, trailLogsRolePolicy } from "./policies/trailPolicies";
import { componentTags } from "./tags";
import { ManagementEvents, ObjectLockMode } from "./vocabulary";

export interface AuditTrailArgs {
  /**
   * The trail's name, set explicitly so its ARN is known before it exists: the log bucket policy and
   * the topic policy name it in `aws:SourceArn`, and CloudTrail checks both when creating the trail.
   * 3–128 of `[A-Za-z0-9._-]`. Must be unique in the account and region.
   */
  readonly trailName: string;
  /**
   * Buckets whose object-level calls are recorded as data events. Data events are billed per event
   * ($0.10 per 100,000 at the time of writing), so watch only what needs watching. A trail accepts at
   * most 500 selector values: one per bucket or prefix, plus 2–3 per access group.
   */
  readonly watchedBuckets: readonly SelectorBucket[];
  /**
   * Management events to record. Bucket ACL, policy and public-access changes are management events.
   * The first copy of management events in an account is free; a second trail recording them (e.g.
   * next to an organization trail) pays for every event.
   * @default "all"
   */
  readonly managementEvents?: ManagementEvents;
  /**
   * Record events from every region (notifications still go to this region's topic). A single-region
   * trail does not see buckets in other regions.
   * @default true
   */
  readonly multiRegion?: boolean;
  /**
   * Write hourly digest files so tampering with delivered log files can be detected.
   * @default true
   */
  readonly logFileValidation?: boolean;
  /**
   * Make this an organization trail recording every member account. Only the management account or a
   * delegated administrator can create one; elsewhere CreateTrail fails.
   * @default false
   */
  readonly organization?: boolean;
  /**
   * Days log files stay in the log bucket before they expire (replaced versions: 30 more days).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * KMS key ARN CloudTrail encrypts log files with, in the trail's region. The key policy must let
   * `cloudtrail.amazonaws.com` use `kms:GenerateDataKey*` and `kms:DescribeKey` for this trail, or
   * CreateTrail fails (the statements: `trailKeyPolicy`). Without it, and without `createKmsKey`, log
   * files are encrypted with S3-managed keys (SSE-S3).
   * @default S3-managed encryption
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Create a KMS key for the log files, with automatic yearly rotation and exactly the key policy
   * CloudTrail documents (see `trailKeyPolicy`), and an alias `alias/<trailName>-logs`. Not together
   * with `kmsKeyArn`. A key costs $1 a month, plus requests.
   * @default false
   */
  readonly createKmsKey?: boolean;
  /** Roles that may decrypt log files with the created key, such as the connector's task role. @default [] */
  readonly kmsKeyReaderRoleArns?: readonly pulumi.Input<string>[];
  /**
   * S3 Object Lock on the log bucket: every log file version stays locked for `days` after it is
   * written, in `compliance` mode (nobody, root included, can delete it or shorten the lock) or
   * `governance` mode (principals with `s3:BypassGovernanceRetention` can). Switched on when the bucket
   * is created, or in place on an existing (versioned) log bucket; S3 never switches it off again.
   * @default no Object Lock
   */
  readonly objectLock?: { readonly days: number; readonly mode: ObjectLockMode };
  /**
   * Also deliver events to a CloudWatch Logs group (ingestion and storage are billed by CloudWatch).
   * @default false
   */
  readonly cloudWatchLogs?: boolean;
  /**
   * Retention of that log group, one of CloudWatch's periods (1, 3, 5, 7, 14, 30, 60, 90, ...).
   * @default 90
   */
  readonly cloudWatchLogsRetentionDays?: number;
  /** Tags applied to every taggable resource of the component. @default {} */
  readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * A CloudTrail trail recording exactly the watched buckets' object calls, its hardened log bucket,
 * and an SNS topic that announces every delivered log file.
 */
export class AuditTrail extends pulumi.ComponentResource {
  readonly trail: aws.cloudtrail.Trail;
  readonly trailArn: pulumi.Output<string>;
  readonly logBucket: aws.s3.Bucket;
  readonly logBucketName: pulumi.Output<string>;
  readonly logBucketArn: pulumi.Output<string>;
  readonly logBucketPolicy: aws.s3.BucketPolicy;
  readonly topic: aws.sns.Topic;
  readonly topicArn: pulumi.Output<string>;
  readonly topicPolicy: aws.sns.TopicPolicy;
  readonly eventSelectors: pulumi.Output<AdvancedEventSelector[]>;
  readonly logGroup?: aws.cloudwatch.LogGroup;
  /** The key created with `createKmsKey`. */
  readonly kmsKey?: aws.kms.Key;
  /** The key log files are encrypted with: given, created, or `undefined` for SSE-S3. */
  readonly kmsKeyArn: pulumi.Output<string | undefined>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s3guard:index:AuditTrail", name, {}, opts);
    const d = TRAIL_DEFAULTS;
    const selectorInput = { buckets: args.watchedBuckets, managementEvents: args.managementEvents ?? "all" };
    // Fail now, with the count, rather than after CreateTrail when PutEventSelectors rejects them.
    if (buildEventSelectors(selectorInput).length === 0) {
      // An empty list would leave the provider's default selector: every management event, no data.
      throw new pulumi.ResourceError("AuditTrail records nothing: watch at least one bucket or record management events.", this);
    }

    const parent = this;
    if (args.createKmsKey && args.kmsKeyArn !== undefined) {
      throw new pulumi.ResourceError("AuditTrail: give kmsKeyArn or createKmsKey, not both.", this);
    }
    const tags = pulumi.output(args.tags ?? {}).apply((t) => componentTags(t, "audit-trail"));
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const region = aws.getRegionOutput({}, { parent }).region;
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const organizationId = args.organization ? aws.organizations.getOrganizationOutput({}, { parent }).id : undefined;
    // The trail's ARN before it exists, for the policies CreateTrail checks.
    const expectedTrailArn = pulumi
      .all([partition, region, accountId])
      .apply(([p, r, a]) => buildTrailArn(p, r, a, args.trailName));
    this.eventSelectors = partition.apply((p) => composeEventSelectors(selectorInput, p));

    if (args.createKmsKey) {
      this.kmsKey = new aws.kms.Key(
        `${name}-logs`,
        {
          description: `Encrypts the log files of CloudTrail trail ${args.trailName}`,
          enableKeyRotation: true,
          // The longest wait: a key deleted by mistake makes every log file unreadable.
          deletionWindowInDays: 30,
          policy: pulumi
            .all([partition, accountId, expectedTrailArn, pulumi.all([...(args.kmsKeyReaderRoleArns ?? [])])])
            .apply(([p, a, t, readers]) => JSON.stringify(trailKeyPolicy({ partition: p, accountId: a, trailArn: t, readerRoleArns: readers }))),
          tags,
        },
        // The log bucket outlives the stack (it is never force-deleted); so must the key its log
        // files need to be read. Its alias goes, so that a new stack of the same name can take it.
        { parent, retainOnDelete: true },
      );
      new aws.kms.Alias(`${name}-logs`, { name: `alias/${args.trailName}-logs`, targetKeyId: this.kmsKey.keyId }, { parent });
    }
    // A given key must be in the trail's region (the stack configuration checks it, components/configTrail.ts).
    this.kmsKeyArn = this.kmsKey ? this.kmsKey.arn : pulumi.output(args.kmsKeyArn);

    const logs = hardenedBucket(
      logBucketResourceName(name),
      {
        tags,
        expirationDays: args.logRetentionDays ?? d.logRetentionDays,
        noncurrentVersionDays: 30,
        // Audit evidence: `pulumi destroy` must not delete delivered logs behind anyone's back.
        forceDestroy: false,
        ...(args.objectLock ? { objectLock: { days: args.objectLock.days, mode: args.objectLock.mode === "governance" ? "GOVERNANCE" : "COMPLIANCE" } } : {}),
        policy: (bucketName) =>
          pulumi
            .all([partition, bucketName, accountId, expectedTrailArn, organizationId])
            .apply(([p, b, a, t, o]) =>
              JSON.stringify(
                logBucketPolicy({ partition: p, bucketName: b, accountId: a, trailArn: t, ...(o ? { organizationId: o } : {}) }),
              ),
            ),
      },
      this,
    );
    this.logBucket = logs.bucket;
    this.logBucketPolicy = logs.policy;
    this.logBucketName = logs.bucket.bucket;
    this.logBucketArn = logs.bucket.arn;

    // Unencrypted on purpose: CloudTrail cannot publish to a topic under the AWS-managed SNS key, and
    // the notifications carry only bucket and object key names.
    this.topic = new aws.sns.Topic(`${name}-notifications`, { tags }, { parent });
    this.topicArn = this.topic.arn;
    this.topicPolicy = new aws.sns.TopicPolicy(
      `${name}-notifications`,
      {
        arn: this.topic.arn,
        policy: pulumi.all([this.topic.arn, expectedTrailArn]).apply(([topic, trail]) => JSON.stringify(notificationTopicPolicy(topic, trail))),
      },
      { parent },
    );

    const delivery = args.cloudWatchLogs
      ? this.cloudWatchDelivery(name, args.cloudWatchLogsRetentionDays ?? d.cloudWatchLogsRetentionDays, tags, accountId, organizationId)
      : undefined;
    this.logGroup = delivery?.logGroup;

    this.trail = new aws.cloudtrail.Trail(
      name,
      {
        name: args.trailName,
        s3BucketName: logs.bucket.bucket,
        snsTopicName: this.topic.name,
        isMultiRegionTrail: args.multiRegion ?? d.multiRegion,
        includeGlobalServiceEvents: true,
        isOrganizationTrail: args.organization ?? d.organization,
        enableLogFileValidation: args.logFileValidation ?? d.logFileValidation,
        enableLogging: true,
        kmsKeyId: this.kmsKeyArn,
        cloudWatchLogsGroupArn: delivery ? pulumi.interpolate`${delivery.logGroup.arn}:*` : undefined,
        cloudWatchLogsRoleArn: delivery?.role.arn,
        advancedEventSelectors: this.eventSelectors,
        tags,
      },
      {
        parent,
        // CreateTrail checks that the bucket policy and the topic policy let this trail deliver, and
        // that the CloudWatch Logs role can write; none of them is an input of the trail, so without
        // these dependencies Pulumi would create them in parallel and CreateTrail would fail.
        // The Object Lock configuration goes first too, so that no log file is delivered unlocked.
        dependsOn: [
          logs.policy,
          this.topicPolicy,
          ...(logs.objectLock ? [logs.objectLock] : []),
          ...(delivery ? [delivery.role, delivery.rolePolicy] : []),
        ],
      },
    );

    this.trailArn = this.trail.arn;

    this.registerOutputs({
      trailArn: this.trailArn,
      logBucketName: this.logBucketName,
      topicArn: this.topicArn,
    });
  }

  private cloudWatchDelivery(
    name: string,
    retentionInDays: number,
    tags: pulumi.Input<Record<string, string>>,
    accountId: pulumi.Output<string>,
    organizationId: pulumi.Output<string> | undefined,
  ): { logGroup: aws.cloudwatch.LogGroup; role: aws.iam.Role; rolePolicy: aws.iam.RolePolicy } {
    const parent = this;
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-events`, { retentionInDays, tags }, { parent });
    const role = new aws.iam.Role(
      `${name}-cloudwatch`,
      {
        description: "Lets CloudTrail deliver this trail's events to its CloudWatch Logs group",
        assumeRolePolicy: JSON.stringify(assumeRolePolicy("cloudtrail.amazonaws.com")),
        tags,
      },
      { parent },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-cloudwatch`,
      {
        role: role.id,
        policy: pulumi
          .all([logGroup.arn, accountId, organizationId])
          .apply(([arn, a, o]) =>
            JSON.stringify(trailLogsRolePolicy({ logGroupArn: arn, accountId: a, ...(o ? { organizationId: o } : {}) })),
          ),
      },
      { parent },
    );
    return { logGroup, role, rolePolicy };
  }
}

