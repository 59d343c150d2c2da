import type { OutputSpec } from "../../detector/src/alerts/outputs/model";
import type { OutputSecret } from "../configTypes";
import * as pulumi from "@pulumi/pulumi";
import type { SecretSetting } from "../configSecret";
import type { ContainerSecret } from "./secrets";
import { AlertSink, Priority, RuleMatching } from "../vocabulary";

/** The deployment facts the component cannot find out by itself. */
export interface DeploymentContextArgs {
  /** Buckets whose object calls the trail records. */
  readonly watchedBuckets?: readonly string[];
  /** Names and ARNs of the trails that must keep recording S3 data events. */
  readonly trails?: readonly pulumi.Input<string>[];
  /** Names and ARNs of those of them that record data events only, on purpose (no management events). */
  readonly dataOnlyTrails?: readonly pulumi.Input<string>[];
  readonly organizationId?: pulumi.Input<string | undefined>;
  /** 12-digit ids of other accounts that may legitimately receive or read data. */
  readonly trustedAccounts?: readonly string[];
  /** Addresses and CIDR blocks the deployment's own traffic comes from. */
  readonly trustedNetworks?: readonly string[];
}

/**
 * A trail the kit does not own (often an organization trail delivering into a log archive account),
 * read beside the kit's own trail or instead of it.
 */
export interface ExistingTrailArgs {
  /** Where it writes its log files. */
  readonly logBucketName: string;
  /**
   * Its delivery topic: the queue subscribes to it, and the queue policy admits it. A topic in another
   * account must let this account subscribe (the log archive stack's topic policy does).
   * @default none: the queue admits the log bucket's S3 event notifications instead
   */
  readonly snsTopicArn?: string;
  /**
   * Role the connector assumes (sts:AssumeRole) to read the log files; without it the task role reads
   * `AWSLogs/*` in the bucket itself.
   * @default none
   */
  readonly readRoleArn?: string;
  /** External id the role's trust policy asks for. @default none */
  readonly readRoleExternalId?: string;
  /** KMS key of the log files; the task role may decrypt with it. @default none */
  readonly kmsKeyArn?: string;
}

/** Arguments of the CloudConnector component; defaults are `CONNECTOR_DEFAULTS` in configConnector.ts. */
export interface CloudConnectorArgs {
  /**
   * The kit's own trail's log-file notification topic; the connector's queue subscribes to it.
   * @default none (only an existing trail is read)
   */
  readonly topicArn?: pulumi.Input<string>;
  /**
   * The kit's own trail's log bucket; the task role may read `AWSLogs/*` in it and nothing else.
   * @default none (only an existing trail is read)
   */
  readonly logBucketName?: pulumi.Input<string>;
  /** A trail the kit does not own whose log files are read too. @default none */
  readonly existingTrail?: ExistingTrailArgs;
  /**
   * Accounts whose records are evaluated; the connector drops the others' records (and skips their
   * log files unread, when the key names the account).
   * @default every account
   */
  readonly accountIds?: readonly pulumi.Input<string>[];
  /**
   * KMS key of the log files, if CloudTrail encrypts them with one; the task role may decrypt with it.
   * @default none (SSE-S3 log files need no key permission)
   */
  readonly logKmsKeyArn?: pulumi.Input<string | undefined>;
  /**
   * Folder whose `*.yaml`/`*.yml` files (not subfolders) are uploaded to the rules bucket under
   * `rules/`. Read when the program runs, so a changed rule shows in `pulumi preview`.
   */
  readonly rulesDir: string;
  /**
   * What the rules should know about the deployment, beside what the component knows itself (the
   * log bucket, the account, the partition). Written with those into
   * `context/s3guard-context.yaml` in the rules bucket, which the connector applies after the rules
   * (docs/deployment-context.md).
   * @default only what the component knows
   */
  readonly context?: DeploymentContextArgs;
  /**
   * Prebuilt detector image URI. Without it `detector/Dockerfile` is built from `dockerContext`
   * (Docker with buildx is then needed wherever `pulumi preview`/`up` runs) and pushed to a new ECR
   * repository.
   * @default build detector/Dockerfile
   */
  readonly image?: string;
  /** Build context containing `detector/Dockerfile` and `rules/` (sent whole to Docker). @default process.cwd() */
  readonly dockerContext?: string;
  /**
   * Task CPU units; with `memory`, one of the sizes Fargate offers. Fargate bills per vCPU-second.
   * @default 256
   */
  readonly cpu?: number;
  /** Task memory in MiB. @default 512 */
  readonly memory?: number;
  /** Tasks kept running even with an empty queue; 0 lets the service scale to zero. @default 1 */
  readonly minTasks?: number;
  /**
   * Most tasks the queue backlog may scale to. Above 1, a DynamoDB state table is created so stateful
   * rules see events from all tasks.
   * @default 4
   */
  readonly maxTasks?: number;
  /** Visible messages that add one task (twice as many add two). @default 10 */
  readonly scaleOutQueueDepth?: number;
  /**
   * Alert destinations. `securityhub` needs Security Hub enabled in the account and region (every
   * import fails otherwise and messages end in the dead-letter queue); `sns` needs `snsTopicArn`,
   * `webhook` needs `webhookUrl`. Each adds only its own permission to the task role.
   * @default ["cloudwatch"]
   */
  readonly alerts?: readonly AlertSink[];
  /** Least severe Falco priority that raises an alert. @default "notice" */
  readonly minimumPriority?: Priority;
  /** Falco rule matching: `first` matching rule only, or `all`. @default "first" */
  readonly ruleMatching?: RuleMatching;
  /** Seconds between polls of the rules bucket (each poll is a billed S3 LIST). @default 60 */
  readonly rulesReloadSeconds?: number;
  /** Topic for the `sns` sink; the task role may publish to it and to nothing else. @default none */
  readonly snsTopicArn?: string;
  /**
   * https URL for the `webhook` sink, a secret: set with `pulumi config set --secret`, or kept in
   * Secrets Manager or SSM. It reaches the container through its `secrets`, never in clear text. A
   * port other than 443 in a URL from the stack configuration is opened for egress.
   * @default none
   */
  readonly webhookUrl?: SecretSetting;
  /**
   * Further secrets for the container, each as the environment variable the detector reads it from
   * (see connector/secrets.ts). The execution role may read exactly these and the webhook URL.
   * @default []
   */
  readonly secrets?: readonly ContainerSecret[];
  /**
   * Topic notified when a message lands in the dead-letter queue (and when it is emptied). Without it
   * the alarm only shows in the CloudWatch console.
   * @default none
   */
  readonly alarmTopicArn?: string;
  /**
   * Subnets for the tasks. Without them, the default VPC's default subnets. Private subnets need a
   * NAT gateway or VPC endpoints for ECR, S3, SQS, CloudWatch Logs (and Security Hub, SNS, DynamoDB as
   * used), or tasks cannot start and `pulumi up` waits for them in vain.
   * @default the default VPC
   */
  readonly subnetIds?: readonly string[];
  /** Give tasks a public IP; required in public subnets without NAT, such as the default VPC's. @default true */
  readonly assignPublicIp?: boolean;
  /**
   * Log group for alerts (stream `alerts`) and container output. Names are unique per account and
   * region: give each environment sharing an account its own.
   * @default the component's name
   */
  readonly logGroupName?: string;
  /** Retention of that log group, one of CloudWatch's periods. @default 90 */
  readonly logRetentionDays?: number;
  /** Receives before a notification moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** Seconds a received notification stays hidden while the connector processes it. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Where alerts go and which go where: the outputs file (docs/outputs.md), shipped to the connector
   * in S3GUARD_OUTPUTS. Replaces `alerts`, `snsTopicArn` and `webhookUrl`. The task role gets what its
   * AWS outputs need; credentials are named by Secrets Manager ARN and reach the container through
   * its `secrets`.
   * @default none (the older `alerts`)
   */
  readonly outputs?: readonly OutputSpec[];
  /** The outputs' credentials (from `readOutputs`), injected as the variables the shipped outputs name. */
  readonly outputSecrets?: readonly OutputSecret[];
  /** Tags applied to every taggable resource of the component. @default {} */
  readonly tags?: pulumi.Input<Record<string, string>>;
}
