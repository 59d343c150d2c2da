import type { Writable } from "node:stream";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { FindingContext } from "./asff";
import { CloudWatchLogsSink } from "./cloudwatch";
import type { Route } from "./delivery";
import type { ResolvedOutput } from "./outputs/secrets";
import { opsgenieDestination } from "./opsgenie";
import { pagerDutyDestination } from "./pagerduty";
import { alertFilter } from "./routing";
import { SecurityHubSink } from "./securityHub";
import type { AlertSink } from "./sink";
import { slackDestination } from "./slack";
import { SnsSink } from "./sns";
import { StdoutSink } from "./stdout";
import { teamsDestination } from "./teams";
import { webhookDestination } from "./webhook";

/** What destinations need from where they run (the connector, or `s3guard scan`). */
export interface DestinationEnvironment {
  logs: () => CloudWatchLogsClient;
  securityHub: () => SecurityHubClient;
  sns: () => SNSClient;
  /** The account and region findings belong to. */
  findingContext: (hub: SecurityHubClient) => () => Promise<FindingContext>;
  /** Log group and stream of cloudwatch outputs that name none. */
  logGroup: string;
  logStream: string;
  stdout?: Writable;
  /** Told about alert events CloudWatch Logs refused for good (outside its time window). */
  onCloudWatchRejected?: (alertIds: string[], why: string) => void;
}

/** One destination per output, each with its filters: the routes the delivery follows. */
export function createRoutes(outputs: readonly ResolvedOutput[], env: DestinationEnvironment): Route[] {
  return outputs.map((o) => ({ destination: createDestination(o, env), accepts: alertFilter(o.spec.filters) }));
}

export function createDestination({ spec, credentials }: ResolvedOutput, env: DestinationEnvironment): AlertSink {
  const { name } = spec;
  switch (spec.type) {
    case "slack":
      return slackDestination({ name, url: credentials.url, title: spec.title, text: spec.text });
    case "teams":
      return teamsDestination({ name, url: credentials.url, title: spec.title, text: spec.text });
    case "pagerduty":
      return pagerDutyDestination({ name, url: spec.url, routingKey: credentials.routingKey, title: spec.title, text: spec.text });
    case "opsgenie":
      return opsgenieDestination({ name, url: spec.url, apiKey: credentials.apiKey, title: spec.title, text: spec.text });
    case "webhook":
      return webhookDestination({ name, url: credentials.url });
    case "sns":
      return new SnsSink(env.sns(), spec.topicArn, undefined, name);
    case "securityhub": {
      const hub = env.securityHub();
      return new SecurityHubSink(hub, { name, context: env.findingContext(hub) });
    }
    case "cloudwatch":
      return new CloudWatchLogsSink(env.logs(), { name, group: spec.logGroup ?? env.logGroup, stream: spec.logStream ?? env.logStream, onRejected: env.onCloudWatchRejected });
    case "stdout":
      return new StdoutSink(env.stdout, name, spec.format);
  }
}
