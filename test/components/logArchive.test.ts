/**
 * The log archive program (log-archive/): its settings checked before deploy, its policies as pure
 * documents, and the real log-archive/index.ts under Pulumi's mocks.
 */
import * as path from "path";
import { checkLogArchiveConfig } from "../../components/configLogArchive";
import { readRolePolicy, readRoleTrustPolicy, subscribeStatement, topicPolicyWith } from "../../components/policies/logArchivePolicies";
import { existingTopicPolicy } from "./helpers/mockCloud";
import { one, policyOf, statement } from "./helpers/query";
import { ProgramRun, readStackFile, REPO_ROOT, runProgram } from "./helpers/runProgram";

const CONNECTOR_ACCOUNT = "111122223333";
const TOPIC = "arn:aws:sns:us-east-1:222233334444:org-trail-delivery";
const KEY = "arn:aws:kms:us-east-1:222233334444:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const BUCKET = "org-trail-logs-222233334444";
/** The connector as the log archive stack is told about it, and as the policy builders see it (with the partition). */
const identity = { accountId: CONNECTOR_ACCOUNT, region: "us-east-1", namePrefix: "s3guard-prod" };
const connector = { partition: "aws", ...identity };

describe("the read role's policies", () => {
  it("trusts only the connector's task role, by its name pattern until its exact ARN is known, with the external id", () => {
    expect(readRoleTrustPolicy({ connector, externalId: "s3guard-prod-7f3a" }).Statement).toEqual([
      {
        Sid: "AllowCloudConnectorTaskRole",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${CONNECTOR_ACCOUNT}:root` },
        Action: "sts:AssumeRole",
        Condition: {
          ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${CONNECTOR_ACCOUNT}:role/s3guard-prod-connector-task-???????` },
          StringEquals: { "sts:ExternalId": "s3guard-prod-7f3a" },
        },
      },
    ]);
    const exact = `arn:aws:iam::${CONNECTOR_ACCOUNT}:role/s3guard-prod-connector-task-1a2b3c4`;
    expect(readRoleTrustPolicy({ connector: { ...connector, taskRoleArn: exact }, organizationId: "o-a1b2c3d4e5" }).Statement[0].Condition).toEqual({
      ArnEquals: { "aws:PrincipalArn": exact },
      StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
    });
  });

  it("reads AWSLogs/ of the bucket only, and decrypts only through S3 in the key's region", () => {
    expect(readRolePolicy({ partition: "aws", logBucketName: BUCKET, kmsKeyArn: KEY }).Statement).toEqual([
      { Sid: "ReadTrailLogFiles", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/*` },
      { Sid: "DecryptTrailLogFiles", Effect: "Allow", Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } },
    ]);
  });
});

describe("the delivery topic's policy", () => {
  const statementFor = subscribeStatement(TOPIC, connector);

  it("lets the connector's account subscribe its queue, by SQS, and nothing else", () => {
    expect(statementFor).toEqual({
      Sid: "AllowS3guardConnectorSubscribe",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${CONNECTOR_ACCOUNT}:root` },
      Action: "sns:Subscribe",
      Resource: TOPIC,
      Condition: { StringEquals: { "sns:Protocol": "sqs" }, StringLike: { "sns:Endpoint": `arn:aws:sqs:us-east-1:${CONNECTOR_ACCOUNT}:s3guard-prod-connector-events-???????` } },
    });
  });

  it("keeps every statement already there, and replaces its own rather than adding it twice", () => {
    const once = topicPolicyWith(existingTopicPolicy(TOPIC), statementFor);
    expect(once.Statement.map((s) => s.Sid)).toEqual(["AWSCloudTrailSNSPolicy", "AllowS3guardConnectorSubscribe"]);
    expect((once as unknown as { Id: string }).Id).toBe("org-trail-delivery-policy");
    const queueArn = `arn:aws:sqs:us-east-1:${CONNECTOR_ACCOUNT}:s3guard-prod-connector-events-1a2b3c4`;
    const again = topicPolicyWith(JSON.stringify(once), subscribeStatement(TOPIC, { ...connector, queueArn }));
    expect(again.Statement).toHaveLength(2);
    expect(again.Statement[1].Condition).toEqual({ StringEquals: { "sns:Protocol": "sqs" }, StringLike: { "sns:Endpoint": queueArn } });
  });
});

describe("the log archive program's settings", () => {
  const problemsOf = (raw: Record<string, unknown>, region = "us-east-1") => checkLogArchiveConfig(raw, region).problems.map((p) => [p.code, p.message]);
  const base = { logBucketName: BUCKET, externalId: "s3guard-prod-7f3a", connector: { accountId: CONNECTOR_ACCOUNT, namePrefix: "s3guard-prod" } };

  it("accepts the example stack", () => {
    const example = readStackFile("log-archive/Pulumi.example.yaml");
    const raw = Object.fromEntries(Object.entries(example).filter(([k]) => k.startsWith("s3guard-log-archive:")).map(([k, v]) => [k.slice("s3guard-log-archive:".length), v]));
    const { settings, problems } = checkLogArchiveConfig(raw, String(example["aws:region"]));
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ logBucketName: BUCKET, snsTopicArn: TOPIC, kmsKeyArn: KEY, roleName: "s3guard-log-reader", connector: { region: "us-east-1" } });
  });

  it("wants a trust condition for the role, and the connector's name prefix or exact ARNs", () => {
    expect(problemsOf({ logBucketName: BUCKET, snsTopicArn: TOPIC, connector: { accountId: CONNECTOR_ACCOUNT } })).toEqual([
      [
        "MISSING_KEY",
        "s3guard-log-archive:externalId: the read role's trust policy needs an external id or the organization (got nothing); set s3guard-log-archive:externalId (and the same in the s3guard stack's trail.existing.readRoleExternalId), or s3guard-log-archive:organizationId when both accounts are in one organization",
      ],
      [
        "MISSING_KEY",
        "s3guard-log-archive:connector.namePrefix: required without connector.taskRoleArn and connector.queueArn (got nothing); the s3guard stack's s3guard:namePrefix (default s3guard-<stack>), which its task role and queue are named after; or their exact ARNs from its outputs",
      ],
    ]);
  });

  it("checks every value, and that the connector's ARNs are its account's and region's", () => {
    const raw = {
      logBucketName: "Org_Logs",
      kmsKeyArn: "alias/org",
      snsTopicArn: "arn:aws:sns:eu-west-1:222233334444:org-trail-delivery",
      externalId: "s3guard-prod-7f3a",
      connector: {
        accountId: CONNECTOR_ACCOUNT,
        taskRoleArn: "arn:aws:iam::999988887777:role/s3guard-prod-connector-task-1a2b3c4",
        queueArn: `arn:aws:sqs:eu-west-1:${CONNECTOR_ACCOUNT}:s3guard-prod-connector-events-1a2b3c4`,
        namePrefix: "s3guard-prod",
      },
      roleNme: "x",
    };
    expect(checkLogArchiveConfig(raw, "us-east-1").problems.map((p) => [p.code, p.path])).toEqual([
      ["UNKNOWN_KEY", "s3guard-log-archive:roleNme"],
      ["INVALID_BUCKET_NAME", "s3guard-log-archive:logBucketName"],
      ["INVALID_ARN", "s3guard-log-archive:kmsKeyArn"],
      ["CONFLICT", "s3guard-log-archive:connector.taskRoleArn"],
      ["REGION_MISMATCH", "s3guard-log-archive:connector.queueArn"],
      ["REGION_MISMATCH", "s3guard-log-archive:snsTopicArn"],
    ]);
  });

  it("needs the connector, and something to open to it", () => {
    expect(problemsOf({})).toEqual([
      ["MISSING_KEY", expect.stringContaining("s3guard-log-archive:connector: required")],
      ["MISSING_KEY", expect.stringContaining("s3guard-log-archive:logBucketName: nothing to open to the connector")],
    ]);
    expect(problemsOf(base)).toEqual([]);
    expect(problemsOf({ ...base, logBucketName: undefined, snsTopicArn: TOPIC, kmsKeyArn: KEY })).toEqual([
      ["CONFLICT", `s3guard-log-archive:kmsKeyArn: a key without the log bucket it encrypts (got "${KEY}"); set s3guard-log-archive:logBucketName too, or remove the key`],
    ]);
  });
});

describe("log-archive/index.ts under Pulumi's mocks, with the example stack", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram(readStackFile("log-archive/Pulumi.example.yaml"), () => require(path.join(REPO_ROOT, "log-archive", "index.ts")), {
      project: "s3guard-log-archive",
      stack: "example",
    });
    if (run.error !== undefined) throw run.error;
  });

  it("creates the named read role, trusting only the connector's task role with the external id", () => {
    const role = one(run, "aws:iam/role:Role");
    expect(role.inputs.name).toBe("s3guard-log-reader");
    expect(role.inputs.maxSessionDuration).toBe(3600);
    const trust = statement(policyOf(role, "assumeRolePolicy"), "AllowCloudConnectorTaskRole");
    expect(trust.Principal).toEqual({ AWS: `arn:aws:iam::${CONNECTOR_ACCOUNT}:root` });
    expect(trust.Condition).toEqual({
      ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${CONNECTOR_ACCOUNT}:role/s3guard-prod-connector-task-???????` },
      StringEquals: { "sts:ExternalId": "s3guard-prod-7f3a" },
    });
  });

  it("grants the role the bucket's AWSLogs/ and the key, nothing more", () => {
    const doc = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy"));
    expect(doc.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ["s3:GetObject", `arn:aws:s3:::${BUCKET}/AWSLogs/*`],
      ["kms:Decrypt", KEY],
    ]);
  });

  it("adds the connector's subscription to the topic's own policy, keeps CloudTrail's, and leaves it on destroy", () => {
    const policy = one(run, "aws:sns/topicPolicy:TopicPolicy");
    expect(policy.inputs.arn).toBe(TOPIC);
    expect(policy.retainOnDelete).toBe(true);
    const doc = policyOf(policy);
    expect(doc.Statement.map((s) => s.Sid)).toEqual(["AWSCloudTrailSNSPolicy", "AllowS3guardConnectorSubscribe"]);
    expect(statement(doc, "AllowS3guardConnectorSubscribe").Condition).toEqual({
      StringEquals: { "sns:Protocol": "sqs" },
      StringLike: { "sns:Endpoint": `arn:aws:sqs:us-east-1:${CONNECTOR_ACCOUNT}:s3guard-prod-connector-events-???????` },
    });
  });

  it("exports what to write under s3guard:trail.existing in the s3guard stack", () => {
    expect(run.outputs.trailExisting).toEqual({
      logBucketName: BUCKET,
      snsTopicArn: TOPIC,
      readRoleArn: `arn:aws:iam::${CONNECTOR_ACCOUNT}:role/s3guard-log-reader`,
      readRoleExternalId: "s3guard-prod-7f3a",
      kmsKeyArn: KEY,
    });
  });
});

describe("LogArchiveAccess used on its own", () => {
  const construct = (args: object) =>
    runProgram({}, () => {
      const { LogArchiveAccess } = require(path.join(REPO_ROOT, "components", "logArchive.ts"));
      new LogArchiveAccess("archive", args);
      return {};
    });

  it("refuses to open nothing, and a role nobody could be checked against", async () => {
    expect(String((await construct({ connector: identity })).error)).toContain("LogArchiveAccess opens nothing: give the log bucket, the delivery topic, or both.");
    expect(String((await construct({ connector: identity, logBucketName: BUCKET })).error)).toContain("the read role's trust policy needs an externalId or an organizationId");
  });

  it("with only the topic, creates no role and adds the subscription statement", async () => {
    const run = await construct({ connector: identity, snsTopicArn: TOPIC });
    expect(run.error).toBeUndefined();
    expect(run.resources.filter((r) => r.type === "aws:iam/role:Role")).toEqual([]);
    expect(policyOf(one(run, "aws:sns/topicPolicy:TopicPolicy")).Statement.map((s) => s.Sid)).toEqual(["AWSCloudTrailSNSPolicy", "AllowS3guardConnectorSubscribe"]);
  });
});
