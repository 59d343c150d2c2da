import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

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
  logs: () => CloudWatchLogsClient;
  securityHub: () => SecurityHubClient;
  sns: () => SNSClient;
  destroy(): void;
}

export function endpointFor(service: "SQS" | "S3" | "SNS" | "CLOUDWATCH_LOGS" | "SECURITYHUB", env: Env = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

export function createAwsClients(env: Env = process.env): AwsClients {
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
  return {
    sqs: keep(new SQSClient({ endpoint: endpointFor("SQS", env) })),
    s3: keep(new S3Client({ endpoint: s3Endpoint, forcePathStyle: s3Endpoint !== undefined })),
    logs: lazy(() => new CloudWatchLogsClient({ endpoint: endpointFor("CLOUDWATCH_LOGS", env) })),
    securityHub: lazy(() => new SecurityHubClient({ endpoint: endpointFor("SECURITYHUB", env) })),
    sns: lazy(() => new SNSClient({ endpoint: endpointFor("SNS", env) })),
    destroy: () => made.forEach((c) => c.destroy()),
  };
}
