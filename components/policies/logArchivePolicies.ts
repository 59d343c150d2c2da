import { stackNames } from "../naming";
import { bucketArn } from "./arns";
import { Conditions, PolicyDocument, policyDocument, PolicyStatement } from "./document";

/**
 * Policies of the log archive account's side: the role the Cloud Connector assumes to read an
 * existing trail's log files, and the statement that lets the connector's queue subscribe to the
 * trail's delivery topic. Pure, like every policy builder here.
 */

/** Who the connector is, as the log archive account knows it. */
export interface ConnectorIdentity {
  readonly partition: string;
  /** The account the s3guard stack runs in. */
  readonly accountId: string;
  /** Its region (where its queue is). */
  readonly region: string;
  /** The s3guard stack's name prefix: the task role and the queue are named after it. */
  readonly namePrefix?: string;
  /** The exact task role ARN (the s3guard stack's `connectorTaskRoleArn` output), once known. */
  readonly taskRoleArn?: string;
  /** The exact queue ARN (its `queueArn` output), once known. */
  readonly queueArn?: string;
}

/**
 * Pulumi names a resource `<logical name>-<7 hex characters>`; `?` matches one character in IAM's
 * ...Like operators, so these match this stack's task role and queue and nothing else of its names
 * (not the dead-letter queue, `-events-dlq-...`).
 */
const AUTONAME_SUFFIX = "-???????";

export function taskRoleArnPattern(c: ConnectorIdentity): string {
  if (c.taskRoleArn !== undefined) return c.taskRoleArn;
  return `arn:${c.partition}:iam::${c.accountId}:role/${stackNames(requirePrefix(c)).cloudConnector}-task${AUTONAME_SUFFIX}`;
}

export function queueArnPattern(c: ConnectorIdentity): string {
  if (c.queueArn !== undefined) return c.queueArn;
  return `arn:${c.partition}:sqs:${c.region}:${c.accountId}:${stackNames(requirePrefix(c)).cloudConnector}-events${AUTONAME_SUFFIX}`;
}

function requirePrefix(c: ConnectorIdentity): string {
  if (c.namePrefix === undefined) throw new Error("the connector's namePrefix, or its exact ARNs, are needed");
  return c.namePrefix;
}

export interface ReadRoleTrustInput {
  readonly connector: ConnectorIdentity;
  /** The external id the connector must give (S3GUARD_READ_ROLE_EXTERNAL_ID). */
  readonly externalId?: string;
  /** The organization both accounts belong to (`aws:PrincipalOrgID`). */
  readonly organizationId?: string;
}

/**
 * Only the connector's task role may assume the read role: the connector's account as principal
 * (a role ARN as principal breaks when the role is replaced, and must exist before this policy),
 * narrowed to the task role by `aws:PrincipalArn`, and to the external id or the organization.
 */
export function readRoleTrustPolicy(input: ReadRoleTrustInput): PolicyDocument {
  const c = input.connector;
  const exact = c.taskRoleArn !== undefined;
  const condition: Record<string, Record<string, string>> = {
    [exact ? "ArnEquals" : "ArnLike"]: { "aws:PrincipalArn": taskRoleArnPattern(c) },
  };
  const equals: Record<string, string> = {};
  if (input.externalId !== undefined) equals["sts:ExternalId"] = input.externalId;
  if (input.organizationId !== undefined) equals["aws:PrincipalOrgID"] = input.organizationId;
  if (Object.keys(equals).length > 0) condition.StringEquals = equals;
  return policyDocument([
    {
      Sid: "AllowCloudConnectorTaskRole",
      Effect: "Allow",
      Principal: { AWS: `arn:${c.partition}:iam::${c.accountId}:root` },
      Action: "sts:AssumeRole",
      Condition: condition as Conditions,
    } as PolicyStatement,
  ]);
}

export interface ReadRolePolicyInput {
  readonly partition: string;
  readonly logBucketName: string;
  /** The key the log files are encrypted with, if any. */
  readonly kmsKeyArn?: string;
}

/** Read the trail's log files, under `AWSLogs/` only; decrypt them, through S3 only. */
export function readRolePolicy(input: ReadRolePolicyInput): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: "ReadTrailLogFiles", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn(input.partition, input.logBucketName)}/AWSLogs/*` },
  ];
  if (input.kmsKeyArn !== undefined) {
    const region = input.kmsKeyArn.split(":")[3];
    statements.push({
      Sid: "DecryptTrailLogFiles",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: input.kmsKeyArn,
      // Only as S3 reads an object: the role cannot decrypt anything else with the key directly.
      Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
    });
  }
  return policyDocument(statements);
}

/** Sid of the statement this program owns in the delivery topic's policy. */
export const SUBSCRIBE_SID = "AllowS3guardConnectorSubscribe";

/** Lets the connector's account subscribe its queue (SQS, that queue only) to the topic. */
export function subscribeStatement(topicArn: string, connector: ConnectorIdentity): PolicyStatement {
  return {
    Sid: SUBSCRIBE_SID,
    Effect: "Allow",
    Principal: { AWS: `arn:${connector.partition}:iam::${connector.accountId}:root` },
    Action: "sns:Subscribe",
    Resource: topicArn,
    Condition: { StringEquals: { "sns:Protocol": "sqs" }, StringLike: { "sns:Endpoint": queueArnPattern(connector) } },
  };
}

/**
 * The topic's policy with the connector's statement added: the topic belongs to the trail (often
 * to Control Tower), so every statement already there (CloudTrail's publish permission first) is
 * kept, and this program's own statement replaced, never repeated.
 */
export function topicPolicyWith(current: string | undefined, statement: PolicyStatement): PolicyDocument {
  const parsed = current ? (JSON.parse(current) as { Version?: string; Statement?: PolicyStatement | PolicyStatement[]; Id?: string }) : {};
  const existing = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  const others = existing.filter((s) => s.Sid !== statement.Sid);
  return { ...(parsed.Id !== undefined ? { Id: parsed.Id } : {}), ...policyDocument([...others, statement]) } as PolicyDocument;
}
