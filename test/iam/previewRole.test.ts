/**
 * The preview role (iam/preview-role-policy.json, iam/preview-role-trust-policy.json): what `pulumi preview
 * --refresh` needs to read the settings of every resource the program creates, and nothing that reads the data
 * those resources hold; assumable only by jobs of the repository's preview environment.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { ProgramRun, readStackFile, runIndex } from "../components/helpers/runProgram";
import { ACCOUNT_ID, REGION } from "../components/helpers/mockCloud";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), "utf8"));

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string>>;
}

const policy: { Version: string; Statement: Statement[] } = read("iam/preview-role-policy.json");
const trust: { Version: string; Statement: Statement[] } = read("iam/preview-role-trust-policy.json");
const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);

/** Every action the policy allows, with the resources it allows it on. */
const allowed = new Map<string, string[]>();
for (const s of policy.Statement) {
  for (const action of list(s.Action)) allowed.set(action, [...(allowed.get(action) ?? []), ...list(s.Resource)]);
}

/** Does an IAM resource pattern (`*` and `?` wildcards) match an ARN? */
function covers(pattern: string, arn: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return regex.test(arn);
}
const allowedOn = (action: string, arn: string) => (allowed.get(action) ?? []).some((pattern) => covers(pattern, arn));

/**
 * Calls that read what a resource holds rather than how it is set up: objects, items, secret values,
 * parameters, messages, log events, decryption, recorded API activity.
 */
const DATA_READS = [
  /^s3:GetObject/,
  /^s3:ListBucketVersions$/,
  /^s3:ListMultipartUploadParts$/,
  /^dynamodb:(GetItem|BatchGetItem|Query|Scan|PartiQLSelect|GetRecords|GetShardIterator|ExportTableToPointInTime)$/,
  /^secretsmanager:(GetSecretValue|BatchGetSecretValue)$/,
  /^ssm:GetParameter/,
  /^sqs:ReceiveMessage$/,
  /^sns:GetEndpointAttributes$/,
  /^logs:(GetLogEvents|FilterLogEvents|StartQuery|GetQueryResults|StartLiveTail|GetLogRecord)$/,
  /^kms:(Decrypt|GenerateDataKey.*|ReEncrypt.*)$/,
  /^cloudtrail:(LookupEvents|StartQuery|GetQueryResults)$/,
  /^ecr:(BatchGetImage|GetDownloadUrlForLayer)$/,
];

/** The rules bucket's objects: the repository's own rules/, compared by a refresh (HeadObject needs s3:GetObject). */
const RULES_OBJECT = "arn:aws:s3:::s3guard-dev-connector-rules-4d2e91a/rules/s3guard.yaml";

/**
 * What the AWS provider's read (the refresh) of each resource type calls, and on what. awsx components are
 * read through the resources they create: the service and task definition, and (for the image) the registry.
 * A type the program starts to create fails the coverage test until it is listed here and in the policy.
 */
const REFRESH: Record<string, { actions: string[]; on?: string }> = {
  "aws:cloudtrail/trail:Trail": { actions: ["cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:ListTags"] },
  "aws:s3/bucket:Bucket": {
    actions: [
      "s3:ListBucket",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketWebsite",
      "s3:GetBucketVersioning",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketLogging",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketPolicy",
      "s3:GetBucketTagging",
      "s3:GetBucketLocation",
    ],
    on: "arn:aws:s3:::s3guard-dev-trail-logs-4d2e91a",
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { actions: ["s3:GetBucketPublicAccessBlock"], on: "arn:aws:s3:::customer-data-dev" },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { actions: ["s3:GetBucketOwnershipControls"], on: "arn:aws:s3:::customer-data-dev" },
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": { actions: ["s3:GetAccountPublicAccessBlock"] },
  "aws:s3/bucketPolicy:BucketPolicy": { actions: ["s3:GetBucketPolicy"] },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": { actions: ["s3:GetEncryptionConfiguration"] },
  "aws:s3/bucketVersioning:BucketVersioning": { actions: ["s3:GetBucketVersioning"] },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": { actions: ["s3:GetLifecycleConfiguration"] },
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": { actions: ["s3:GetBucketObjectLockConfiguration"] },
  "aws:s3/bucketObjectv2:BucketObjectv2": { actions: ["s3:GetObject", "s3:GetObjectTagging"], on: RULES_OBJECT },
  "aws:sns/topic:Topic": { actions: ["sns:GetTopicAttributes", "sns:GetDataProtectionPolicy", "sns:ListTagsForResource"] },
  "aws:sns/topicPolicy:TopicPolicy": { actions: ["sns:GetTopicAttributes"] },
  "aws:sns/topicSubscription:TopicSubscription": { actions: ["sns:GetSubscriptionAttributes"] },
  "aws:sqs/queue:Queue": { actions: ["sqs:GetQueueUrl", "sqs:GetQueueAttributes", "sqs:ListQueueTags"] },
  "aws:sqs/queuePolicy:QueuePolicy": { actions: ["sqs:GetQueueAttributes"] },
  "aws:iam/role:Role": { actions: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags"] },
  "aws:iam/rolePolicy:RolePolicy": { actions: ["iam:GetRolePolicy"] },
  "aws:cloudwatch/logGroup:LogGroup": { actions: ["logs:DescribeLogGroups", "logs:ListTagsForResource"] },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { actions: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"] },
  "aws:ec2/securityGroup:SecurityGroup": { actions: ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"] },
  "aws:ecs/cluster:Cluster": { actions: ["ecs:DescribeClusters", "ecs:ListTagsForResource"] },
  "awsx:ecs:FargateService": { actions: ["ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:ListTagsForResource"] },
  "aws:ecr/repository:Repository": { actions: ["ecr:DescribeRepositories", "ecr:ListTagsForResource"] },
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": { actions: ["ecr:GetLifecyclePolicy"] },
  "awsx:ecr:Image": { actions: ["ecr:GetAuthorizationToken", "ecr:DescribeImages"] },
  "aws:appautoscaling/target:Target": { actions: ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:ListTagsForResource"] },
  "aws:appautoscaling/policy:Policy": { actions: ["application-autoscaling:DescribeScalingPolicies"] },
  "aws:dynamodb/table:Table": { actions: ["dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:ListTagsOfResource"] },
  "aws:secretsmanager/secret:Secret": { actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"] },
  "aws:kms/key:Key": { actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"] },
  "aws:kms/alias:Alias": { actions: ["kms:ListAliases"] },
  "aws:kms/keyPolicy:KeyPolicy": { actions: ["kms:GetKeyPolicy"] },
};

/**
 * A SecretVersion holds a value set with `pulumi config set --secret`, and the provider reads it back with
 * secretsmanager:GetSecretValue: the preview role cannot refresh one, by design (docs/previews-and-drift.md).
 */
const NOT_REFRESHABLE = new Set(["aws:secretsmanager/secretVersion:SecretVersion"]);

/** What the data sources the program calls need. */
const INVOKES: Record<string, string[]> = {
  "aws:index/getCallerIdentity:getCallerIdentity": [],
  "aws:index/getRegion:getRegion": [],
  "aws:index/getPartition:getPartition": [],
  "aws:organizations/getOrganization:getOrganization": ["organizations:DescribeOrganization"],
  "aws:ec2/getVpc:getVpc": ["ec2:DescribeVpcs"],
  "aws:ec2/getSubnets:getSubnets": ["ec2:DescribeSubnets"],
  "aws:ec2/getSubnet:getSubnet": ["ec2:DescribeSubnets"],
};

describe("the preview role's permissions", () => {
  it("are a valid policy of Allow statements, each with a unique Sid, listing actions without wildcards", () => {
    expect(policy.Version).toBe("2012-10-17");
    expect(new Set(policy.Statement.map((s) => s.Sid)).size).toBe(policy.Statement.length);
    for (const s of policy.Statement) {
      expect([s.Sid, s.Effect]).toEqual([s.Sid, "Allow"]);
      for (const action of list(s.Action)) expect([s.Sid, action]).toEqual([s.Sid, expect.stringMatching(/^[a-z0-9-]+:[A-Za-z0-9]+$/)]);
    }
  });

  it("only describe, get and list", () => {
    for (const action of allowed.keys()) expect(action).toMatch(/^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/);
  });

  it("read no data: no object, item, secret value, parameter, message, log event or decryption anywhere", () => {
    for (const [action, resources] of allowed) {
      if (!DATA_READS.some((re) => re.test(action))) continue;
      // The one exception: the headers of the stack's rules objects, which are the repository's rules/.
      expect([action, resources]).toEqual([action, ["arn:aws:s3:::s3guard-*-connector-rules-*/*"]]);
    }
    expect(allowedOn("s3:GetObject", "arn:aws:s3:::customer-data-dev/invoices/2026.pdf")).toBe(false);
    expect(allowedOn("s3:GetObject", "arn:aws:s3:::s3guard-dev-trail-logs-4d2e91a/AWSLogs/x.json.gz")).toBe(false);
    for (const action of ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "secretsmanager:GetSecretValue", "ssm:GetParameter", "sqs:ReceiveMessage", "logs:GetLogEvents", "kms:Decrypt"]) {
      expect([action, allowed.has(action)]).toEqual([action, false]);
    }
  });

  it("list the objects of no bucket but the stack's own", () => {
    expect(allowed.get("s3:ListBucket")).toEqual(["arn:aws:s3:::s3guard-*"]);
    expect(allowedOn("s3:ListBucket", "arn:aws:s3:::customer-data-dev")).toBe(false);
  });
});

describe("the preview role covers what the program creates", () => {
  const runs: ProgramRun[] = [];
  beforeAll(async () => {
    const dev = readStackFile("Pulumi.dev.yaml");
    runs.push(await runIndex(dev));
    // Every optional part on: the account-wide block, an organization trail into CloudWatch Logs, an alarm topic,
    // a webhook stored by the stack (a SecretVersion).
    runs.push(
      await runIndex(
        {
          ...dev,
          "s3guard:blockPublicAccess": "account",
          "s3guard:trail": { organization: true, cloudWatchLogs: true },
          "s3guard:connector": {
            ...(dev["s3guard:connector"] as object),
            alerts: ["cloudwatch", "webhook"],
            webhookUrl: "https://hooks.example.com/s3guard",
            alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:oncall`,
          },
        },
        { secretKeys: ["s3guard:connector"] },
      ),
    );
    for (const run of runs) if (run.error !== undefined) throw run.error;
  });

  const created = () => new Set(runs.flatMap((r) => r.resources.map((x) => x.type)).filter((t) => !t.startsWith("s3guard:") && !t.startsWith("pulumi:")));

  it("knows what refreshing each resource type the program creates calls", () => {
    const unknown = [...created()].filter((type) => !(type in REFRESH) && !NOT_REFRESHABLE.has(type));
    expect(unknown).toEqual([]);
  });

  it("allows every call the refresh of those types makes, on the resources they are made on", () => {
    for (const type of created()) {
      const needs = REFRESH[type];
      if (needs === undefined) continue;
      for (const action of needs.actions) {
        expect([type, action, allowedOn(action, needs.on ?? "arn:aws:any:::resource")]).toEqual([type, action, true]);
      }
    }
  });

  it("allows what the program's data sources call", () => {
    const invoked = new Set(runs.flatMap((r) => r.invokes));
    for (const token of invoked) {
      expect([token, INVOKES[token]]).toEqual([token, expect.any(Array)]);
      for (const action of INVOKES[token]) expect([token, action, allowed.has(action)]).toEqual([token, action, true]);
    }
  });
});

describe("the preview role's trust policy", () => {
  const [statement] = trust.Statement;

  it("lets only GitHub's OIDC tokens for the repository's preview environment assume the role", () => {
    expect(trust.Statement).toHaveLength(1);
    expect(statement).toMatchObject({
      Effect: "Allow",
      Principal: { Federated: "arn:aws:iam::<ACCOUNT_ID>:oidc-provider/token.actions.githubusercontent.com" },
      Action: "sts:AssumeRoleWithWebIdentity",
    });
    expect(statement.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:<OWNER>/<REPO>:environment:preview-<STACK>",
      },
    });
  });

  it("names the environment the preview and drift jobs run in", () => {
    for (const [file, job] of [["preview.yml", "preview"], ["drift.yml", "drift"]]) {
      const text = readFileSync(path.join(ROOT, ".github/workflows", file), "utf8");
      const { parse } = require("yaml") as typeof import("yaml");
      expect([file, parse(text).jobs[job].environment]).toEqual([file, "preview-${{ matrix.stack }}"]);
    }
  });
});
