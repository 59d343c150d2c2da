import type { OutputSpec } from "../../detector/src/alerts/outputs/model";
import { outputsFile } from "../../detector/src/alerts/outputs/write";
import { AlertSink, Priority, RuleMatching } from "../vocabulary";

/**
 * The environment the Cloud Connector container reads (the contract with `detector/`), and its
 * health check. Pure: the component resolves the Outputs, this decides names and values.
 */

/** Key prefix under which the rules live in the rules bucket. */
export const RULES_PREFIX = "rules/";
/** Log stream the connector writes alerts to, in its log group. */
export const ALERTS_LOG_STREAM = "alerts";
/** The webhook sink's URL, a secret. */
export const WEBHOOK_URL_VARIABLE = "S3GUARD_WEBHOOK_URL";
/** Port of the connector's `GET /healthz`. */
export const HEALTH_PORT = 8080;

export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
}

export interface ConnectorEnvironmentInput {
  readonly queueUrl: string;
  readonly rulesBucket: string;
  /** Key of the deployment context file in the rules bucket. */
  readonly contextKey?: string;
  readonly region: string;
  readonly alerts: readonly AlertSink[];
  readonly logGroupName: string;
  readonly minimumPriority: Priority;
  readonly ruleMatching: RuleMatching;
  readonly rulesReloadSeconds: number;
  readonly snsTopicArn?: string;
  /** DynamoDB table for stateful rules; set only when more than one task may run. */
  readonly stateTable?: string;
  /** The outputs file; when given, it replaces `alerts` (S3GUARD_OUTPUTS instead of S3GUARD_ALERTS). */
  readonly outputs?: readonly OutputSpec[];
  /** Role assumed to read the log files of `readRole.buckets` (an existing trail's, in a log archive account). */
  readonly readRole?: { readonly arn: string; readonly externalId?: string; readonly buckets: readonly string[] };
  /** Accounts whose records are evaluated; empty or absent: every account. */
  readonly accountIds?: readonly string[];
}

/**
 * Container environment, sorted by name; optional variables only when their feature is on. No
 * secret belongs here: secrets reach the container through its `secrets` (connector/secrets.ts).
 */
export function connectorEnvironment(input: ConnectorEnvironmentInput): EnvironmentVariable[] {
  const vars: Record<string, string> = {
    AWS_REGION: input.region,
    S3GUARD_QUEUE_URL: input.queueUrl,
    S3GUARD_RULES_BUCKET: input.rulesBucket,
    S3GUARD_RULES_PREFIX: RULES_PREFIX,
    ...(input.contextKey !== undefined ? { S3GUARD_CONTEXT_KEY: input.contextKey } : {}),
    S3GUARD_RULES_RELOAD_SECONDS: String(input.rulesReloadSeconds),
    ...(input.outputs ? { S3GUARD_OUTPUTS: JSON.stringify(outputsFile(input.outputs)) } : { S3GUARD_ALERTS: input.alerts.join(",") }),
    S3GUARD_LOG_GROUP: input.logGroupName,
    S3GUARD_LOG_STREAM: ALERTS_LOG_STREAM,
    S3GUARD_MIN_PRIORITY: input.minimumPriority,
    S3GUARD_RULE_MATCHING: input.ruleMatching,
    S3GUARD_HEALTH_PORT: String(HEALTH_PORT),
  };
  if (!input.outputs && input.alerts.includes("sns") && input.snsTopicArn !== undefined) {
    vars.S3GUARD_SNS_TOPIC_ARN = input.snsTopicArn;
  }
  if (input.stateTable !== undefined) {
    vars.S3GUARD_STATE_TABLE = input.stateTable;
  }
  if (input.readRole !== undefined) {
    vars.S3GUARD_READ_ROLE_ARN = input.readRole.arn;
    vars.S3GUARD_READ_ROLE_BUCKETS = input.readRole.buckets.join(",");
    if (input.readRole.externalId !== undefined) {
      vars.S3GUARD_READ_ROLE_EXTERNAL_ID = input.readRole.externalId;
    }
  }
  if (input.accountIds !== undefined && input.accountIds.length > 0) {
    vars.S3GUARD_ACCOUNT_IDS = [...new Set(input.accountIds)].sort().join(",");
  }
  return Object.keys(vars)
    .sort()
    .map((name) => ({ name, value: vars[name] }));
}

/** Where the image keeps the detector (the Dockerfile's WORKDIR); the health check names its files from here. */
export const IMAGE_APP_DIR = "/app";

/**
 * Timing of the health check, in seconds, shared by the task definition and the Dockerfile's
 * HEALTHCHECK (a test keeps them equal): a task gets `startPeriod` to load its rules and reach its
 * queue before failed probes count.
 */
export const HEALTH_CHECK_TIMING = { interval: 30, timeout: 5, retries: 3, startPeriod: 60 } as const;

/**
 * ECS container health check: the image's own probe (`detector/bin/healthcheck.js`, also its Docker
 * HEALTHCHECK), which asks `GET /healthz` on S3GUARD_HEALTH_PORT with node's fetch; slim images have
 * no curl or wget. Both paths are absolute, so the probe does not depend on the working directory.
 */
export function connectorHealthCheck(): {
  command: string[];
  interval: number;
  timeout: number;
  retries: number;
  startPeriod: number;
} {
  return { command: ["CMD", "/usr/local/bin/node", `${IMAGE_APP_DIR}/detector/bin/healthcheck.js`], ...HEALTH_CHECK_TIMING };
}
