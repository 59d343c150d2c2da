import type { OutputSpec } from "../../detector/src/alerts/outputs/model";
import { AlertSink } from "../vocabulary";
import { securityHubProductArn } from "./arns";
import { denyInsecureTransport, PolicyDocument, policyDocument, PolicyStatement } from "./document";

/**
 * Policies of the Cloud Connector. The task role gets exactly what the detector does and nothing
 * else: read log files and rules, consume its own queue, write its own log group and findings, and
 * only the extras the configured alert sinks and options need. No `*` action or resource.
 */

/** Who may send into the connector's queue: the trails' topics, and log buckets sending S3 event notifications. */
export interface QueueSenders {
  /** Topics CloudTrail announces log files on (the kit's own trail's, an existing trail's). */
  readonly topicArns: readonly string[];
  /** Log buckets whose S3 event notifications go straight to the queue (an existing trail without a topic). */
  readonly bucketArns?: readonly string[];
}

/** Lets the trails' topics (and log buckets' event notifications), and nothing else, send into the queue; TLS only. */
export function queuePolicy(queueArn: string, senders: QueueSenders): PolicyDocument {
  const one = (values: readonly string[]) => (values.length === 1 ? values[0] : [...values]);
  const statements: PolicyStatement[] = [];
  if (senders.topicArns.length > 0) {
    statements.push({
      Sid: "AllowTrailTopic",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": one(senders.topicArns) } },
    });
  }
  if ((senders.bucketArns ?? []).length > 0) {
    statements.push({
      Sid: "AllowLogBucketNotifications",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": one(senders.bucketArns ?? []) } },
    });
  }
  statements.push(denyInsecureTransport("sqs:*", [queueArn]));
  return policyDocument(statements);
}

export interface TaskRolePolicyInput {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Log buckets the task role reads itself (`AWSLogs/*` in each). */
  readonly logBucketArns: readonly string[];
  /** Role to assume for reading an existing trail's log files in another account. */
  readonly readRoleArn?: string;
  readonly rulesBucketArn: string;
  /** Key prefix of the rules in the rules bucket, ending in `/`. */
  readonly rulesPrefix: string;
  /** Key of the deployment context file in the rules bucket, read with the rules. */
  readonly contextKey?: string;
  readonly queueArn: string;
  readonly logGroupArn: string;
  readonly alerts: readonly AlertSink[];
  readonly snsTopicArn?: string;
  /** The outputs file, when it replaces `alerts`: its AWS outputs decide the permissions. */
  readonly outputs?: readonly OutputSpec[];
  /** KMS keys CloudTrail encrypts log files with, if any. */
  readonly logKmsKeyArns?: readonly string[];
  /** DynamoDB table for stateful rules, when the service may run more than one task. */
  readonly stateTableArn?: string;
}

export function taskRolePolicy(input: TaskRolePolicyInput): PolicyDocument {
  const logObjects = input.logBucketArns.map((arn) => `${arn}/AWSLogs/*`);
  const statements: PolicyStatement[] = [];
  if (logObjects.length > 0) {
    statements.push({ Sid: "ReadTrailLogFiles", Effect: "Allow", Action: "s3:GetObject", Resource: logObjects.length === 1 ? logObjects[0] : logObjects });
  }
  if (input.readRoleArn !== undefined) {
    // The log archive's role, which alone may read the existing trail's bucket.
    statements.push({ Sid: "AssumeLogReadRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: input.readRoleArn });
  }
  statements.push(
    {
      Sid: "ReadRules",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource:
        input.contextKey !== undefined
          ? [`${input.rulesBucketArn}/${input.rulesPrefix}*`, `${input.rulesBucketArn}/${input.contextKey}`]
          : `${input.rulesBucketArn}/${input.rulesPrefix}*`,
    },
    {
      Sid: "ListRules",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: input.rulesBucketArn,
      Condition: { StringLike: { "s3:prefix": [input.rulesPrefix, `${input.rulesPrefix}*`] } },
    },
    {
      Sid: "ConsumeQueue",
      Effect: "Allow",
      Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
      Resource: input.queueArn,
    },
  );
  const need = destinationNeeds(input);
  if (need.logGroupArns.length) {
    statements.push({
      Sid: "WriteAlertsLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: need.logGroupArns.length === 1 ? need.logGroupArns[0] : need.logGroupArns,
    });
  }
  if (need.securityHub) {
    statements.push({
      Sid: "ImportFindings",
      Effect: "Allow",
      Action: "securityhub:BatchImportFindings",
      Resource: securityHubProductArn(input.partition, input.region, input.accountId),
    });
  }
  if (need.topicArns.length) {
    statements.push({ Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: need.topicArns.length === 1 ? need.topicArns[0] : need.topicArns });
  }
  const keys = [...new Set(input.logKmsKeyArns ?? [])];
  if (keys.length > 0) {
    statements.push({ Sid: "DecryptTrailLogFiles", Effect: "Allow", Action: "kms:Decrypt", Resource: keys.length === 1 ? keys[0] : keys });
  }
  if (input.stateTableArn !== undefined) {
    statements.push({
      Sid: "KeepRuleState",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
      Resource: input.stateTableArn,
    });
  }
  return policyDocument(statements);
}

export interface ExecutionRolePolicyInput {
  readonly logGroupArn: string;
  /** The ECR repository the image is pulled from; absent for images outside ECR. */
  readonly repositoryArn?: string;
  /** The secrets ECS injects into the container (see connector/secrets.ts). */
  readonly secrets?: {
    readonly secretArns: readonly string[];
    readonly parameterArns: readonly string[];
    readonly kmsKeyArns: readonly string[];
  };
}

/**
 * What ECS itself needs to start the task: pull the image, read the container's secrets and ship
 * container output to the log group. A scoped subset of AmazonECSTaskExecutionRolePolicy (which
 * grants these on `*`); the secrets are exactly those the container definition names.
 */
export function executionRolePolicy(input: ExecutionRolePolicyInput): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (input.repositoryArn !== undefined) {
    // GetAuthorizationToken has no resource-level permissions: AWS only accepts "*" for it.
    statements.push({ Sid: "AuthenticateToEcr", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
    statements.push({
      Sid: "PullImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: input.repositoryArn,
    });
  }
  const secrets = input.secrets;
  if (secrets !== undefined && secrets.secretArns.length > 0) {
    statements.push({ Sid: "ReadContainerSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secrets.secretArns });
  }
  if (secrets !== undefined && secrets.parameterArns.length > 0) {
    statements.push({ Sid: "ReadContainerParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: secrets.parameterArns });
  }
  if (secrets !== undefined && secrets.kmsKeyArns.length > 0) {
    statements.push({ Sid: "DecryptContainerSecrets", Effect: "Allow", Action: "kms:Decrypt", Resource: secrets.kmsKeyArns });
  }
  statements.push({
    Sid: "WriteContainerLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${input.logGroupArn}:*`,
  });
  return policyDocument(statements);
}

/**
 * What the configured AWS destinations need: the log groups alerts are written to, Security Hub,
 * the topics published to. From the outputs file when there is one, else from the older `alerts`.
 */
function destinationNeeds(input: TaskRolePolicyInput): { logGroupArns: string[]; securityHub: boolean; topicArns: string[] } {
  if (input.outputs === undefined) {
    return {
      logGroupArns: input.alerts.includes("cloudwatch") ? [`${input.logGroupArn}:*`] : [],
      securityHub: input.alerts.includes("securityhub"),
      topicArns: input.alerts.includes("sns") && input.snsTopicArn !== undefined ? [input.snsTopicArn] : [],
    };
  }
  const groupArn = (name: string) => `arn:${input.partition}:logs:${input.region}:${input.accountId}:log-group:${name}:*`;
  const logGroupArns = new Set<string>();
  const topicArns = new Set<string>();
  let securityHub = false;
  for (const o of input.outputs) {
    if (o.type === "cloudwatch") logGroupArns.add(o.logGroup === undefined ? `${input.logGroupArn}:*` : groupArn(o.logGroup));
    if (o.type === "sns") topicArns.add(o.topicArn);
    if (o.type === "securityhub") securityHub = true;
  }
  return { logGroupArns: [...logGroupArns].sort(), securityHub, topicArns: [...topicArns].sort() };
}
