import type { SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { AwsClients } from "../connector/awsClients";
import type { ConnectorConfig } from "../connector/config";
import type { Logger } from "../connector/log";
import { partitionOf, type FindingContext } from "./asff";
import { CloudWatchLogsSink } from "./cloudwatch";
import { SecurityHubSink } from "./securityHub";
import type { AlertSink } from "./sink";
import { SnsSink } from "./sns";
import { StdoutSink } from "./stdout";
import { WebhookSink } from "./webhook";

/** The account in a queue URL: `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
export function accountOfQueueUrl(queueUrl: string): string | undefined {
  return /^https?:\/\/[^/]+\/(\d{12})\/[^/]+$/.exec(queueUrl)?.[1];
}

/**
 * Findings belong to the account the connector runs in, which owns its queue (the stack creates
 * both): the account is read from the queue URL, which needs no extra permission or call. The
 * region is the Security Hub client's.
 */
export function findingContextFrom(queueUrl: string, hub: SecurityHubClient): () => Promise<FindingContext> {
  let ctx: FindingContext | undefined;
  return async () => {
    if (ctx) return ctx;
    const accountId = accountOfQueueUrl(queueUrl);
    if (!accountId) throw new Error(`cannot tell the AWS account from S3GUARD_QUEUE_URL ${queueUrl}; Security Hub findings need it`);
    const region = await hub.config.region();
    return (ctx = { accountId, region, partition: partitionOf(region) });
  };
}

export function createSinks(config: ConnectorConfig, clients: AwsClients, log: Logger): AlertSink[] {
  return config.sinks.map((name): AlertSink => {
    switch (name) {
      case "stdout":
        return new StdoutSink();
      case "cloudwatch":
        return new CloudWatchLogsSink(clients.logs(), {
          group: config.logGroup,
          stream: config.logStream,
          onRejected: (ids, why) => log.error("CloudWatch Logs refused alert events permanently (outside its accepted time window)", { alertIds: ids, rejected: why }),
        });
      case "securityhub": {
        const hub = clients.securityHub();
        return new SecurityHubSink(hub, { context: findingContextFrom(config.queueUrl, hub) });
      }
      case "sns":
        return new SnsSink(clients.sns(), config.snsTopicArn!);
      case "webhook":
        return new WebhookSink({ url: config.webhookUrl! });
    }
  });
}
