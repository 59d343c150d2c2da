/**
 * The log archive program: read this stack's `s3guard-log-archive:` settings, refuse to declare
 * anything if they are wrong, then open the existing trail's logs and topic to the Cloud Connector.
 */
import * as pulumi from "@pulumi/pulumi";
import { ARCHIVE_NAMESPACE, validateLogArchiveConfig } from "../components/configLogArchive";
import { RawSection } from "../components/configReader";
import { LogArchiveAccess } from "../components/logArchive";
import { stackTags } from "../components/tags";

/** This stack's settings in the program's namespace, structured values parsed. */
function rawSettings(): RawSection {
  const config = new pulumi.Config(ARCHIVE_NAMESPACE);
  const raw: RawSection = {};
  for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(`${ARCHIVE_NAMESPACE}:`)) continue;
    const key = fullKey.slice(ARCHIVE_NAMESPACE.length + 1);
    const text = config.get(key);
    try {
      raw[key] = key === "connector" ? JSON.parse(text ?? "null") : text;
    } catch {
      raw[key] = text;
    }
  }
  return raw;
}

// Throws one ConfigError listing every problem; no resource has been declared yet.
const settings = validateLogArchiveConfig(rawSettings(), pulumi.getStack(), new pulumi.Config("aws").get("region"));

const access = new LogArchiveAccess("s3guard-log-archive", { ...settings, tags: stackTags({}, pulumi.getProject(), pulumi.getStack()) });

/** The s3guard stack's trail.existing.readRoleArn. */
export const readRoleArn = access.readRoleArn;
/** What to write under s3guard:trail.existing in the s3guard stack. */
export const trailExisting = pulumi.output({
  ...(settings.logBucketName !== undefined ? { logBucketName: settings.logBucketName } : {}),
  ...(settings.snsTopicArn !== undefined ? { snsTopicArn: settings.snsTopicArn } : {}),
  ...(access.readRoleArn !== undefined ? { readRoleArn: access.readRoleArn } : {}),
  ...(settings.externalId !== undefined ? { readRoleExternalId: settings.externalId } : {}),
  ...(settings.kmsKeyArn !== undefined ? { kmsKeyArn: settings.kmsKeyArn } : {}),
});
