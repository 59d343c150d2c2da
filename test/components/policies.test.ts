import * as fc from "fast-check";
import { ecrRepositoryArn, securityHubProductArn, trailArn } from "../../components/policies/arns";
import { executionRolePolicy, queuePolicy, taskRolePolicy, TaskRolePolicyInput } from "../../components/policies/connectorPolicies";
import { assumeRolePolicy } from "../../components/policies/document";
import { logBucketPolicy, notificationTopicPolicy, tlsOnlyBucketPolicy, trailLogsRolePolicy } from "../../components/policies/trailPolicies";
import { ALERT_SINKS, AlertSink } from "../../components/vocabulary";

const TRAIL = "arn:aws:cloudtrail:us-east-1:111122223333:trail/s3guard-dev-trail";
const tlsOnly = (resources: string[], action = "s3:*") => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: action,
  Resource: resources,
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

describe("ARNs known before their resources exist", () => {
  it("builds the trail ARN CloudTrail will give a trail of that name", () => {
    expect(trailArn("aws-us-gov", "us-gov-west-1", "111122223333", "audit")).toBe("arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/audit");
  });

  it("names the account's own Security Hub product", () => {
    expect(securityHubProductArn("aws", "eu-west-1", "111122223333")).toBe("arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default");
  });

  it.each([
    ["111122223333.dkr.ecr.us-east-1.amazonaws.com/detector:1.2.3", "arn:aws:ecr:us-east-1:111122223333:repository/detector"],
    ["111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/detector@sha256:abc", "arn:aws:ecr:eu-west-1:111122223333:repository/team/detector"],
    ["ghcr.io/acme/detector:1.2.3", undefined],
    ["public.ecr.aws/acme/detector:latest", undefined],
  ])("finds the ECR repository of %s", (image, arn) => {
    expect(ecrRepositoryArn("aws", image)).toBe(arn);
  });
});

describe("log bucket policy", () => {
  const input = { partition: "aws", bucketName: "s3guard-dev-trail-logs-1a2b3c4", accountId: "111122223333", trailArn: TRAIL };
  const bucket = "arn:aws:s3:::s3guard-dev-trail-logs-1a2b3c4";

  it("lets only this trail check the ACL and write under AWSLogs/<account>/, with the owner-full-control ACL, over TLS", () => {
    expect(logBucketPolicy(input)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AWSCloudTrailAclCheck",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: bucket,
          Condition: { StringEquals: { "aws:SourceArn": TRAIL } },
        },
        {
          Sid: "AWSCloudTrailWrite",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${bucket}/AWSLogs/111122223333/*`,
          Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL } },
        },
        tlsOnly([bucket, `${bucket}/*`]),
      ],
    });
  });

  it("adds the organization's folder for an organization trail", () => {
    const statements = logBucketPolicy({ ...input, organizationId: "o-a1b2c3d4e5" }).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(["AWSCloudTrailAclCheck", "AWSCloudTrailWrite", "AWSCloudTrailOrganizationWrite", "DenyInsecureTransport"]);
    expect(statements[2]).toMatchObject({ Resource: `${bucket}/AWSLogs/o-a1b2c3d4e5/*`, Condition: { StringEquals: { "aws:SourceArn": TRAIL } } });
  });
});

describe("other trail policies", () => {
  it("lets only this trail publish to the notification topic", () => {
    expect(notificationTopicPolicy("arn:aws:sns:us-east-1:111122223333:notes", TRAIL)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AWSCloudTrailSNSPolicy",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "SNS:Publish",
          Resource: "arn:aws:sns:us-east-1:111122223333:notes",
          Condition: { StringEquals: { "aws:SourceArn": TRAIL } },
        },
      ],
    });
  });

  it("lets CloudTrail's logs role write only its own streams, with the stream wildcard CloudTrail needs", () => {
    const group = "arn:aws:logs:us-east-1:111122223333:log-group:trail-events";
    expect(trailLogsRolePolicy({ logGroupArn: group, accountId: "111122223333", organizationId: "o-a1b2c3d4e5" }).Statement).toEqual([
      {
        Sid: "AWSCloudTrailCreateAndPutLogEvents",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`${group}:log-stream:111122223333_CloudTrail_*`, `${group}:log-stream:o-a1b2c3d4e5_*`],
      },
    ]);
  });

  it("keeps the rules bucket TLS-only and grants nothing else", () => {
    expect(tlsOnlyBucketPolicy("aws", "rules-1").Statement).toEqual([tlsOnly(["arn:aws:s3:::rules-1", "arn:aws:s3:::rules-1/*"])]);
  });

  it("writes trust policies for one service principal", () => {
    expect(assumeRolePolicy("cloudtrail.amazonaws.com")).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "AllowServiceToAssumeRole", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });
});

describe("Cloud Connector policies", () => {
  it("lets only the trail's topic send into the queue, over TLS", () => {
    const queue = "arn:aws:sqs:us-east-1:111122223333:events";
    const topic = "arn:aws:sns:us-east-1:111122223333:notes";
    expect(queuePolicy(queue, { topicArns: [topic] })).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowTrailTopic",
          Effect: "Allow",
          Principal: { Service: "sns.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: queue,
          Condition: { ArnEquals: { "aws:SourceArn": topic } },
        },
        tlsOnly([queue], "sqs:*"),
      ],
    });
  });

  it("admits both trails' topics, or an existing trail's log bucket when it has no topic", () => {
    const queue = "arn:aws:sqs:us-east-1:111122223333:events";
    const own = "arn:aws:sns:us-east-1:111122223333:notes";
    const org = "arn:aws:sns:us-east-1:222233334444:org-trail-delivery";
    expect(queuePolicy(queue, { topicArns: [own, org] }).Statement[0].Condition).toEqual({ ArnEquals: { "aws:SourceArn": [own, org] } });
    const byBucket = queuePolicy(queue, { topicArns: [], bucketArns: ["arn:aws:s3:::org-trail-logs"] });
    expect(byBucket.Statement.map((s) => s.Sid)).toEqual(["AllowLogBucketNotifications", "DenyInsecureTransport"]);
    expect(byBucket.Statement[0]).toMatchObject({
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sqs:SendMessage",
      Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:s3:::org-trail-logs" } },
    });
  });

  it("lets the task role assume the log archive's read role instead of reading that bucket itself", () => {
    const doc = taskRolePolicy({
      ...taskInput,
      readRoleArn: "arn:aws:iam::222233334444:role/s3guard-log-reader",
      logKmsKeyArns: ["arn:aws:kms:us-east-1:222233334444:key/k-2"],
    });
    expect(doc.Statement.slice(0, 2)).toEqual([
      { Sid: "ReadTrailLogFiles", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::trail-logs/AWSLogs/*" },
      { Sid: "AssumeLogReadRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::222233334444:role/s3guard-log-reader" },
    ]);
    expect(doc.Statement.find((s) => s.Sid === "DecryptTrailLogFiles")?.Resource).toBe("arn:aws:kms:us-east-1:222233334444:key/k-2");
    const noOwnTrail = taskRolePolicy({ ...taskInput, logBucketArns: [], readRoleArn: "arn:aws:iam::222233334444:role/r" });
    expect(noOwnTrail.Statement.map((s) => s.Sid)).not.toContain("ReadTrailLogFiles");
  });

  const taskInput: TaskRolePolicyInput = {
    partition: "aws",
    region: "us-east-1",
    accountId: "111122223333",
    logBucketArns: ["arn:aws:s3:::trail-logs"],
    rulesBucketArn: "arn:aws:s3:::rules",
    rulesPrefix: "rules/",
    queueArn: "arn:aws:sqs:us-east-1:111122223333:events",
    logGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:cloud-connector",
    alerts: ["stdout"],
  };

  it("lets the task read the deployment context file beside the rules, and nothing else of the bucket", () => {
    const read = taskRolePolicy({ ...taskInput, contextKey: "context/s3guard-context.yaml" }).Statement.find((s) => s.Sid === "ReadRules");
    expect(read?.Resource).toEqual(["arn:aws:s3:::rules/rules/*", "arn:aws:s3:::rules/context/s3guard-context.yaml"]);
  });

  it("gives the task role only log files, rules and its queue when alerts go to stdout", () => {
    expect(taskRolePolicy(taskInput).Statement).toEqual([
      { Sid: "ReadTrailLogFiles", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::trail-logs/AWSLogs/*" },
      { Sid: "ReadRules", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::rules/rules/*" },
      {
        Sid: "ListRules",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "arn:aws:s3:::rules",
        Condition: { StringLike: { "s3:prefix": ["rules/", "rules/*"] } },
      },
      {
        Sid: "ConsumeQueue",
        Effect: "Allow",
        Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
        Resource: "arn:aws:sqs:us-east-1:111122223333:events",
      },
    ]);
  });

  it("adds exactly one scoped statement per sink and option that needs it", () => {
    const statements = taskRolePolicy({
      ...taskInput,
      alerts: ["cloudwatch", "securityhub", "sns", "webhook"],
      snsTopicArn: "arn:aws:sns:us-east-1:111122223333:alerts",
      logKmsKeyArns: ["arn:aws:kms:us-east-1:111122223333:key/k-1"],
      stateTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/state",
    }).Statement.slice(4);
    expect(statements).toEqual([
      {
        Sid: "WriteAlertsLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: "arn:aws:logs:us-east-1:111122223333:log-group:cloud-connector:*",
      },
      {
        Sid: "ImportFindings",
        Effect: "Allow",
        Action: "securityhub:BatchImportFindings",
        Resource: "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default",
      },
      { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:111122223333:alerts" },
      { Sid: "DecryptTrailLogFiles", Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:111122223333:key/k-1" },
      {
        Sid: "KeepRuleState",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
        Resource: "arn:aws:dynamodb:us-east-1:111122223333:table/state",
      },
    ]);
  });

  it("never grants a wildcard action or resource, whatever the sinks and options", () => {
    const sinks = fc.subarray([...ALERT_SINKS] as AlertSink[], { minLength: 1 });
    fc.assert(
      fc.property(sinks, fc.boolean(), fc.boolean(), (alerts, kms, table) => {
        const doc = taskRolePolicy({
          ...taskInput,
          alerts,
          snsTopicArn: "arn:aws:sns:us-east-1:111122223333:alerts",
          ...(kms ? { logKmsKeyArns: ["arn:aws:kms:us-east-1:111122223333:key/k-1"] } : {}),
          ...(table ? { stateTableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/state" } : {}),
        });
        for (const s of doc.Statement) {
          expect(s.Effect).toBe("Allow");
          for (const action of ([] as string[]).concat(s.Action as string | string[])) {
            expect(action).not.toContain("*");
          }
          for (const resource of ([] as string[]).concat(s.Resource as string | string[])) {
            expect(resource).not.toBe("*");
            expect(resource).toMatch(/^arn:aws:(s3|sqs|logs|securityhub|sns|kms|dynamodb):/);
          }
        }
        const sids = doc.Statement.map((s) => s.Sid);
        expect(sids.includes("WriteAlertsLogGroup")).toBe(alerts.includes("cloudwatch"));
        expect(sids.includes("ImportFindings")).toBe(alerts.includes("securityhub"));
        expect(sids.includes("PublishAlerts")).toBe(alerts.includes("sns"));
        expect(sids.includes("DecryptTrailLogFiles")).toBe(kms);
        expect(sids.includes("KeepRuleState")).toBe(table);
      }),
    );
  });

  it("lets ECS pull from the image's repository and write container logs; no ECR grant for images outside ECR", () => {
    const group = "arn:aws:logs:us-east-1:111122223333:log-group:cloud-connector";
    expect(executionRolePolicy({ logGroupArn: group, repositoryArn: "arn:aws:ecr:us-east-1:111122223333:repository/det" }).Statement).toEqual([
      { Sid: "AuthenticateToEcr", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      {
        Sid: "PullImage",
        Effect: "Allow",
        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Resource: "arn:aws:ecr:us-east-1:111122223333:repository/det",
      },
      { Sid: "WriteContainerLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${group}:*` },
    ]);
    expect(executionRolePolicy({ logGroupArn: group }).Statement.map((s) => s.Sid)).toEqual(["WriteContainerLogs"]);
  });
});
