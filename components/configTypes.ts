import type { SecretSetting } from "./configSecret";
import type { ConfigSecrets } from "./secretText";
import type { OutputSpec } from "../detector/src/alerts/outputs/model";
import { Access, AlertSink, ManagementEvents, ObjectLockMode, Priority, PublicAccessMode, RuleMatching } from "./vocabulary";

/**
 * The validated stack settings (namespace `s3guard`). Every field has its default filled in; the
 * stack YAML keys and defaults are listed in docs/deploying.md.
 */
export interface S3guardConfig {
  /** `s3guard:namePrefix` — prefix of every resource name. @default `s3guard-<stack>` */
  readonly namePrefix: string;
  /** `s3guard:watchedBuckets` — existing buckets whose object calls the trail records. */
  readonly watchedBuckets: readonly WatchedBucket[];
  /** `s3guard:managementEvents` — `true` → all, `"write"` → write, `false` → none. @default "all" */
  readonly managementEvents: ManagementEvents;
  /** `s3guard:blockPublicAccess` @default "buckets" */
  readonly blockPublicAccess: PublicAccessMode;
  readonly trail: TrailSettings;
  readonly connector: ConnectorSettings;
  readonly context: ContextSettings;
  /** `s3guard:tags` — user tags applied to every taggable resource. @default {} */
  readonly tags: Readonly<Record<string, string>>;
}

/** One entry of `s3guard:watchedBuckets`. */
export interface WatchedBucket {
  /** An existing S3 bucket. */
  readonly name: string;
  /** From the entry's `read` and `write` flags. */
  readonly access: Access;
  /** Object key prefixes (each ending in `/`); empty means the whole bucket. */
  readonly prefixes: readonly string[];
  /** The bucket's region, when it differs from the stack's `aws:region`. */
  readonly region?: string;
}

/** `s3guard:trail` */
export interface TrailSettings {
  /** @default true */
  readonly multiRegion: boolean;
  /** @default true */
  readonly logFileValidation: boolean;
  /** Organization trail (management account or delegated administrator only). @default false */
  readonly organization: boolean;
  /** Days log files are kept in the log bucket. @default 365 */
  readonly logRetentionDays: number;
  /** KMS key ARN for log files; absent means S3-managed encryption (SSE-S3), or the kit's key. */
  readonly kmsKeyArn?: string;
  /** The kit creates a rotated KMS key for the log files, with the key policy CloudTrail needs. @default false */
  readonly createKmsKey: boolean;
  /** Object Lock default retention of the log bucket; absent means no Object Lock. */
  readonly objectLock?: ObjectLockSettings;
  /** Also deliver events to a CloudWatch Logs group. @default false */
  readonly cloudWatchLogs: boolean;
  /** @default 90 */
  readonly cloudWatchLogsRetentionDays: number;
  /**
   * With `organization`: the member accounts whose records the connector evaluates (and this
   * account); the others are dropped. Empty means every account. @default []
   */
  readonly accountIds: readonly string[];
  /** `s3guard:trail.existing` — a trail the kit does not own whose logs the connector reads. */
  readonly existing?: ExistingTrail;
}

/**
 * `s3guard:trail.existing`. With it the kit records no management events of its own; the watched
 * buckets' data events come from a data-events-only trail of the kit's own unless
 * `recordsWatchedBuckets` says the existing trail records them already.
 */
export interface ExistingTrail {
  /** Where the existing trail writes its log files. */
  readonly logBucketName: string;
  /** Its delivery topic; the connector's queue subscribes to it. Absent: S3 event notifications of the bucket. */
  readonly snsTopicArn?: string;
  /** Role the connector assumes to read the log files (the log archive stack's); absent: the task role reads them. */
  readonly readRoleArn?: string;
  /** External id the read role's trust policy asks for. */
  readonly readRoleExternalId?: string;
  /** KMS key the trail encrypts its log files with. */
  readonly kmsKeyArn?: string;
  /** Accounts whose records are evaluated; empty means every account. @default [] */
  readonly accountIds: readonly string[];
  /** The existing trail already records the watched buckets' data events: the kit creates no trail. @default false */
  readonly recordsWatchedBuckets: boolean;
  /** Its ARN: the rules then watch it as a trail that must keep recording (s3guard_data_event_trails). */
  readonly trailArn?: string;
}

/** `trail.objectLockDays` and `trail.objectLockMode`. */
export interface ObjectLockSettings {
  /** Days each log file version stays locked after it is written. */
  readonly days: number;
  /** `compliance`: nobody can shorten or lift the lock; `governance`: principals with s3:BypassGovernanceRetention can. */
  readonly mode: ObjectLockMode;
}

/**
 * `s3guard:context` — facts about the deployment the program cannot find out by itself, written with
 * the ones it knows into the rules' context lists (docs/deployment-context.md).
 */
export interface ContextSettings {
  /** 12-digit ids of other accounts that may legitimately receive or read data. @default [] */
  readonly trustedAccounts: readonly string[];
  /** Addresses and CIDR blocks the deployment's own traffic comes from. @default [] */
  readonly trustedNetworks: readonly string[];
  /** The AWS organization (o-...); absent: the organization trail's, when `trail.organization`. */
  readonly organizationId?: string;
}

/** `s3guard:connector` */
export interface ConnectorSettings {
  /** @default true */
  readonly enabled: boolean;
  /** Prebuilt image URI; absent means build `detector/Dockerfile`. */
  readonly image?: string;
  /** @default 256 */
  readonly cpu: number;
  /** @default 512 */
  readonly memory: number;
  /** @default 1 */
  readonly minTasks: number;
  /** @default 4 */
  readonly maxTasks: number;
  /** Visible messages that add a task. @default 10 */
  readonly scaleOutQueueDepth: number;
  /** @default ["cloudwatch"] */
  readonly alerts: readonly AlertSink[];
  /** @default "notice" */
  readonly minimumPriority: Priority;
  /** @default "first" */
  readonly ruleMatching: RuleMatching;
  /** @default 60 */
  readonly rulesReloadSeconds: number;
  /** Empty means the default VPC's default subnets. @default [] */
  readonly subnetIds: readonly string[];
  /** @default true */
  readonly assignPublicIp: boolean;
  /** The alerts and container log group. @default the connector's name, `<namePrefix>-connector` */
  readonly logGroupName?: string;
  /** @default 90 */
  readonly logRetentionDays: number;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount: number;
  /** @default 300 */
  readonly visibilityTimeoutSeconds: number;
  /** Required when `alerts` has `sns`. */
  readonly snsTopicArn?: string;
  /** Required when `alerts` has `webhook`; a secret setting (see configSecret.ts). */
  readonly webhookUrl?: SecretSetting;
  /** Topic notified when the dead-letter queue alarm fires. */
  readonly alarmTopicArn?: string;
  /** Where alerts go and which go where (docs/outputs.md); replaces `alerts`, `snsTopicArn` and `webhookUrl`. */
  readonly outputs?: readonly OutputSpec[];
  /** The outputs' credentials, each reaching the container as an environment variable from a secret. */
  readonly outputSecrets?: readonly OutputSecret[];
}

/** One output credential: the secret it is kept in, and the variable the connector reads it from. */
export interface OutputSecret {
  readonly output: string;
  readonly key: string;
  /** `S3GUARD_OUTPUT_<NAME>_<KEY>`, named as `KEYEnv` in the shipped outputs. */
  readonly variable: string;
  readonly setting: SecretSetting;
}

/** What validation needs to know besides the settings themselves. */
export interface ValidationContext {
  /** The Pulumi stack name (default name prefix, error messages). */
  readonly stack: string;
  /** The Pulumi project name (default name prefix). @default "s3guard" */
  readonly project?: string;
  /** `aws:region`, when set; used to check buckets in other regions against a single-region trail. */
  readonly region?: string;
  /** Which keys hold secrets and how to read them as Pulumi secrets. @default nothing known */
  readonly secrets?: ConfigSecrets;
}
