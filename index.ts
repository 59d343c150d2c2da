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
const [connectorTaskRoleArn, setConnectorTaskRoleArn] = pulumi.deferredOutput<string>();

const auditTrail = new AuditTrail(names.auditTrail, {
  trailName: names.auditTrail,
  watchedBuckets: config.watchedBuckets,
  managementEvents: config.managementEvents,
  multiRegion: config.trail.multiRegion,
  logFileValidation: config.trail.logFileValidation,
  organization: config.trail.organization,
  logRetentionDays: config.trail.logRetentionDays,
  kmsKeyArn: config.trail.kmsKeyArn,
  createKmsKey: config.trail.createKmsKey,
  kmsKeyReaderRoleArns: enabled ? [connectorTaskRoleArn] : [],
  ...(config.trail.objectLock !== undefined ? { objectLock: config.trail.objectLock } : {}),
  cloudWatchLogs: config.trail.cloudWatchLogs,
  cloudWatchLogsRetentionDays: config.trail.cloudWatchLogsRetentionDays,
  tags,
});

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
      topicArn: auditTrail.topicArn,
      logBucketName: auditTrail.logBucketName,
      logKmsKeyArn: auditTrail.kmsKeyArn,
      rulesDir: path.join(__dirname, "rules"),
      context: {
        watchedBuckets: config.watchedBuckets.map((b) => b.name),
        trails: [names.auditTrail, auditTrail.trailArn],
        organizationId: config.context.organizationId ?? (config.trail.organization ? aws.organizations.getOrganizationOutput().id : undefined),
        trustedAccounts: config.context.trustedAccounts,
        trustedNetworks: config.context.trustedNetworks,
      },
      dockerContext: __dirname,
      tags,
    })
  : undefined;
if (connector !== undefined) {
  setConnectorTaskRoleArn(connector.taskRole.arn);
}

export const trailArn = auditTrail.trailArn;
export const logBucketName = auditTrail.logBucketName;
export const notificationTopicArn = auditTrail.topicArn;
export const rulesBucketName = connector?.rulesBucketName;
export const queueUrl = connector?.queueUrl;
export const deadLetterQueueUrl = connector?.deadLetterQueueUrl;
export const alertsLogGroupName = connector?.logGroupName;
export const clusterName = connector?.cluster.name;
export const serviceName = connector?.serviceName;
