import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import { assumedRoleCredentials } from "./assumedRole";
import type { ReadRole } from "./config";

type Env = Record<string, string | undefined>;

/**
 * The SDK clients. Region and credentials come from the SDK's own chain (AWS_REGION, the task
 * role...). A custom endpoint (AWS_ENDPOINT_URL, or AWS_ENDPOINT_URL_<SERVICE>) is passed to the
 * client explicitly: the SQS client otherwise sends to the host in the queue URL, which a local
 * endpoint's queue URLs do not resolve to; and S3 uses path-style requests there, since local
 * endpoints rarely serve bucket subdomains.
 */
export interface AwsClients {
  sqs: SQSClient;
  s3: S3Client;
  /**
   * The client that reads a log object of `bucket`: with the read role's credentials for the buckets
   * behind it (another account's log archive), else the task's own.
   */
  logObjects: (bucket: string) => LogObjectClient;
  logs: () => CloudWatchLogsClient;
  securityHub: () => SecurityHubClient;
  sns: () => SNSClient;
  destroy(): void;
}

/** The client that reads a bucket's log objects, and the role it assumed for them, if any. */
export interface LogObjectClient {
  readonly s3: S3Client;
  readonly role?: string;
}

export function endpointFor(service: "SQS" | "S3" | "SNS" | "STS" | "CLOUDWATCH_LOGS" | "SECURITYHUB", env: Env = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function createAwsClients(env: Env = process.env, readRole?: ReadRole): AwsClients {
  const made: Array<{ destroy(): void }> = [];
  const keep = <T extends { destroy(): void }>(c: T): T => {
    made.push(c);
    return c;
  };
  const lazy = <T extends { destroy(): void }>(make: () => T) => {
    let c: T | undefined;
    return () => (c ??= keep(make()));
  };
  const s3Endpoint = endpointFor("S3", env);
  const s3 = keep(new S3Client({ endpoint: s3Endpoint, forcePathStyle: s3Endpoint !== undefined }));
  const roleS3 = readRole
    ? keep(
        new S3Client({
          endpoint: s3Endpoint,
          forcePathStyle: s3Endpoint !== undefined,
          credentials: assumedRoleCredentials(keep(new STSClient({ endpoint: endpointFor("STS", env) })), readRole),
        }),
      )
    : undefined;
  const behindRole = (bucket: string) => readRole !== undefined && (readRole.buckets.length === 0 || readRole.buckets.includes(bucket));
  return {
    sqs: keep(new SQSClient({ endpoint: endpointFor("SQS", env) })),
    s3,
    logObjects: (bucket) => (roleS3 !== undefined && behindRole(bucket) ? { s3: roleS3, role: readRole!.arn } : { s3 }),
    logs: lazy(() => new CloudWatchLogsClient({ endpoint: endpointFor("CLOUDWATCH_LOGS", env) })),
    securityHub: lazy(() => new SecurityHubClient({ endpoint: endpointFor("SECURITYHUB", env) })),
    sns: lazy(() => new SNSClient({ endpoint: endpointFor("SNS", env) })),
    destroy: () => made.forEach((c) => c.destroy()),
  };
}
