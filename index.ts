/**
 * The s3guard program: read this stack's `s3guard:` settings, refuse to declare anything if they are
 * wrong, then compose the audit trail, the public access guard and the Cloud Connector.
 */
import * as path from "path";
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

const auditTrail = new AuditTrail(names.auditTrail, {
  trailName: names.auditTrail,
  watchedBuckets: config.watchedBuckets,
  managementEvents: config.managementEvents,
  multiRegion: config.trail.multiRegion,
  logFileValidation: config.trail.logFileValidation,
  organization: config.trail.organization,
  logRetentionDays: config.trail.logRetentionDays,
  kmsKeyArn: config.trail.kmsKeyArn,
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

const { enabled, ...connectorSettings } = config.connector;
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
      logKmsKeyArn: config.trail.kmsKeyArn,
      rulesDir: path.join(__dirname, "rules"),
      dockerContext: __dirname,
      tags,
    })
  : undefined;

export const trailArn = auditTrail.trailArn;
export const logBucketName = auditTrail.logBucketName;
export const notificationTopicArn = auditTrail.topicArn;
export const rulesBucketName = connector?.rulesBucketName;
export const queueUrl = connector?.queueUrl;
export const deadLetterQueueUrl = connector?.deadLetterQueueUrl;
export const alertsLogGroupName = connector?.logGroupName;
export const clusterName = connector?.cluster.name;
export const serviceName = connector?.serviceName;
