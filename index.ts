/**
 * The s3guard program: read this stack's `s3guard:` settings, refuse to declare anything if they are
 * wrong, then compose the audit trail, the public access guard and the Cloud Connector.
 */
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AuditTrail } from "./components/auditTrail";
import { CloudConnector } from "./components/cloudConnector";
import { loadConfig } from "./components/config";
import { ownsTrail } from "./components/configTrail";
import { outputWarnings } from "./components/configOutputs";
import { stackNames } from "./components/naming";
import { PublicAccessGuard } from "./components/publicAccess";
import { stackTags } from "./components/tags";

// Throws one ConfigError listing every problem; no resource has been declared yet.
const config = loadConfig();
const names = stackNames(config.namePrefix);
const tags = stackTags(config.tags, pulumi.getProject(), pulumi.getStack());

const { enabled, ...connectorSettings } = config.connector;
// The created key's policy lets the connector's task role decrypt log files, but the connector is
// declared after the trail (it needs the trail's topic): its role's ARN is filled in below.
const [taskRoleArnForKey, setTaskRoleArnForKey] = pulumi.deferredOutput<string>();

const existing = config.trail.existing;
// With an existing trail the kit's own trail records only the watched buckets' data events, and
// none at all when the existing trail records those too.
const auditTrail = ownsTrail(config.trail, config.watchedBuckets)
  ? new AuditTrail(names.auditTrail, {
      trailName: names.auditTrail,
      watchedBuckets: config.watchedBuckets,
      managementEvents: config.managementEvents,
      multiRegion: config.trail.multiRegion,
      logFileValidation: config.trail.logFileValidation,
      organization: config.trail.organization,
      logRetentionDays: config.trail.logRetentionDays,
      kmsKeyArn: config.trail.kmsKeyArn,
      createKmsKey: config.trail.createKmsKey,
      kmsKeyReaderRoleArns: enabled ? [taskRoleArnForKey] : [],
      ...(config.trail.objectLock !== undefined ? { objectLock: config.trail.objectLock } : {}),
      cloudWatchLogs: config.trail.cloudWatchLogs,
      cloudWatchLogsRetentionDays: config.trail.cloudWatchLogsRetentionDays,
      tags,
    })
  : undefined;
const accountIds = existing !== undefined ? existing.accountIds : config.trail.accountIds;

if (config.blockPublicAccess !== "off") {
  new PublicAccessGuard(names.publicAccessGuard, {
    mode: config.blockPublicAccess,
    buckets: config.watchedBuckets.map((b) => (b.region !== undefined ? { name: b.name, region: b.region } : { name: b.name })),
  });
}

if (enabled && config.connector.outputs !== undefined) {
  // Before deploy: outputs the rules to be uploaded cannot reach (usually a typo in a rule pattern or tag).
  for (const warning of outputWarnings(config.connector.outputs, path.join(__dirname, "rules"), config.connector.minimumPriority)) {
    pulumi.log.warn(warning);
  }
}
const connector = enabled
  ? new CloudConnector(names.cloudConnector, {
      ...connectorSettings,
      topicArn: auditTrail?.topicArn,
      logBucketName: auditTrail?.logBucketName,
      logKmsKeyArn: auditTrail?.kmsKeyArn,
      ...(existing !== undefined ? { existingTrail: existing } : {}),
      // The kit's own trail records this account's buckets: its records are always kept.
      ...(accountIds.length > 0
        ? { accountIds: [...accountIds, ...(auditTrail !== undefined ? [aws.getCallerIdentityOutput().accountId] : [])] }
        : {}),
      rulesDir: path.join(__dirname, "rules"),
      context: {
        watchedBuckets: config.watchedBuckets.map((b) => b.name),
        trails: [
          ...(auditTrail !== undefined ? [names.auditTrail, auditTrail.trailArn] : []),
          // The existing trail must keep recording too: its name as requests give it, and its ARN.
          ...(existing?.trailArn !== undefined ? [existing.trailArn.split("/").pop()!, existing.trailArn] : []),
        ],
        dataOnlyTrails: auditTrail !== undefined && config.managementEvents === "none" ? [names.auditTrail, auditTrail.trailArn] : [],
        organizationId: config.context.organizationId ?? (config.trail.organization ? aws.organizations.getOrganizationOutput().id : undefined),
        trustedAccounts: config.context.trustedAccounts,
        trustedNetworks: config.context.trustedNetworks,
      },
      dockerContext: __dirname,
      tags,
    })
  : undefined;
if (connector !== undefined) {
  setTaskRoleArnForKey(connector.taskRole.arn);
}

export const trailArn = auditTrail?.trailArn;
export const logBucketName = auditTrail?.logBucketName ?? existing?.logBucketName;
export const notificationTopicArn = auditTrail?.topicArn ?? existing?.snsTopicArn;
export const rulesBucketName = connector?.rulesBucketName;
export const queueUrl = connector?.queueUrl;
export const deadLetterQueueUrl = connector?.deadLetterQueueUrl;
export const alertsLogGroupName = connector?.logGroupName;
export const clusterName = connector?.cluster.name;
export const serviceName = connector?.serviceName;
/** What the log archive stack needs to admit this connector (log-archive/README.md). */
export const connectorTaskRoleArn = connector?.taskRole.arn;
export const queueArn = connector?.queue.arn;
/**
 * An existing trail without a delivery topic: the notification configuration its log bucket needs,
 * for `aws s3api put-bucket-notification-configuration` (docs/deploying.md, "Layouts").
 */
export const existingTrailNotification =
  existing !== undefined && existing.snsTopicArn === undefined && connector !== undefined
    ? connector.queue.arn.apply((arn) => ({
        QueueConfigurations: [
          { QueueArn: arn, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "AWSLogs/" }] } } },
        ],
      }))
    : undefined;
