import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConnectorIdentity, readRolePolicy, readRoleTrustPolicy, subscribeStatement, topicPolicyWith } from "./policies/logArchivePolicies";
import { componentTags } from "./tags";

export interface LogArchiveAccessArgs {
  /**
   * The existing trail's log bucket, in this account. With it, the read role is created: the Cloud
   * Connector assumes it to read `AWSLogs/*` there.
   * @default none (no role)
   */
  readonly logBucketName?: string;
  /** The key the log files are encrypted with; the role may decrypt with it, through S3 only. @default none */
  readonly kmsKeyArn?: string;
  /**
   * The trail's delivery topic, in this account and region. With it, the topic's policy gets one
   * statement letting the connector's queue subscribe; every other statement is kept.
   * @default none
   */
  readonly snsTopicArn?: string;
  /** The connector the logs are opened to: its account and region, and its name prefix or exact ARNs. */
  readonly connector: Omit<ConnectorIdentity, "partition">;
  /** Name of the read role, so its ARN is known before it exists. @default "s3guard-log-reader" */
  readonly roleName?: string;
  /** External id the connector must present (one of this and `organizationId` is needed with a bucket). */
  readonly externalId?: string;
  /** The organization both accounts belong to (`aws:PrincipalOrgID`). */
  readonly organizationId?: string;
  readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * What the log archive account (or whichever account holds an existing trail's bucket, key and topic)
 * opens to an s3guard Cloud Connector in another account: a role that reads the trail's log files
 * and nothing else, and the delivery topic's permission for the connector's queue to subscribe.
 */
export class LogArchiveAccess extends pulumi.ComponentResource {
  readonly readRole?: aws.iam.Role;
  readonly readRoleArn?: pulumi.Output<string>;
  readonly topicPolicy?: aws.sns.TopicPolicy;

  constructor(name: string, args: LogArchiveAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s3guard:index:LogArchiveAccess", name, {}, opts);
    const parent = this;
    if (args.logBucketName === undefined && args.snsTopicArn === undefined) {
      throw new pulumi.ResourceError("LogArchiveAccess opens nothing: give the log bucket, the delivery topic, or both.", this);
    }
    if (args.logBucketName !== undefined && args.externalId === undefined && args.organizationId === undefined) {
      throw new pulumi.ResourceError("LogArchiveAccess: the read role's trust policy needs an externalId or an organizationId.", this);
    }
    const tags = pulumi.output(args.tags ?? {}).apply((t) => componentTags(t, "log-archive"));
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const connector = partition.apply((p): ConnectorIdentity => ({ ...args.connector, partition: p }));

    if (args.logBucketName !== undefined) {
      const bucket = args.logBucketName;
      this.readRole = new aws.iam.Role(
        `${name}-reader`,
        {
          name: args.roleName ?? "s3guard-log-reader",
          description: "Assumed by the s3guard Cloud Connector to read the trail's log files (AWSLogs/ only)",
          assumeRolePolicy: connector.apply((c) =>
            JSON.stringify(
              readRoleTrustPolicy({
                connector: c,
                ...(args.externalId !== undefined ? { externalId: args.externalId } : {}),
                ...(args.organizationId !== undefined ? { organizationId: args.organizationId } : {}),
              }),
            ),
          ),
          // One hour: the connector asks for that much and renews before it ends.
          maxSessionDuration: 3600,
          tags,
        },
        { parent },
      );
      new aws.iam.RolePolicy(
        `${name}-reader`,
        {
          role: this.readRole.id,
          policy: partition.apply((p) =>
            JSON.stringify(readRolePolicy({ partition: p, logBucketName: bucket, ...(args.kmsKeyArn !== undefined ? { kmsKeyArn: args.kmsKeyArn } : {}) })),
          ),
        },
        { parent },
      );
      this.readRoleArn = this.readRole.arn;
    }

    if (args.snsTopicArn !== undefined) {
      const topicArn = args.snsTopicArn;
      // The topic is the trail's: read its policy as it is, and add one statement to it.
      const topic = aws.sns.Topic.get(`${name}-delivery-topic`, topicArn, undefined, { parent });
      this.topicPolicy = new aws.sns.TopicPolicy(
        `${name}-delivery-topic`,
        {
          arn: topicArn,
          policy: pulumi.all([topic.policy, connector]).apply(([current, c]) => JSON.stringify(topicPolicyWith(current, subscribeStatement(topicArn, c)))),
        },
        // Deleting a topic policy puts back the default one, which would cut CloudTrail off its own
        // topic: on destroy the policy is left as it is (the connector's statement can be removed by hand).
        { parent, retainOnDelete: true },
      );
    }

    this.registerOutputs({ readRoleArn: this.readRoleArn });
  }
}
