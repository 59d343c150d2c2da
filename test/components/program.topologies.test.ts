/**
 * The real index.ts under Pulumi's mocks in the three layouts of docs/deploying.md: an existing trail
 * (often an organization trail writing into a log archive account) read beside a data-events trail
 * of the kit's own, an existing trail that records everything already, and the kit's own
 * organization trail filtered to some accounts.
 */
import { ACCOUNT_ID, autoName, REGION } from "./helpers/mockCloud";
import { ofType, one, policyOf, statement } from "./helpers/query";
import { ProgramRun, runIndex } from "./helpers/runProgram";

const T = {
  trail: "aws:cloudtrail/trail:Trail",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  service: "awsx:ecs:FargateService",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
};

const ARCHIVE = "222233334444";
const EXISTING = {
  logBucketName: `org-trail-logs-${ARCHIVE}`,
  snsTopicArn: `arn:aws:sns:${REGION}:${ARCHIVE}:org-trail-delivery`,
  readRoleArn: `arn:aws:iam::${ARCHIVE}:role/s3guard-log-reader`,
  kmsKeyArn: `arn:aws:kms:${REGION}:${ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  accountIds: ["444455556666"],
};
const ORG_TRAIL = "arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail";
const WATCHED = [{ name: "customer-data-prod", read: true, write: true }];
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${autoName("s3guard-dev-connector-events")}`;
const OWN_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${autoName("s3guard-dev-trail-notifications")}`;
const OWN_LOGS = autoName("s3guard-dev-trail-logs");
const TASK_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/${autoName("s3guard-dev-connector-task")}`;

async function runWith(config: Record<string, unknown>): Promise<ProgramRun> {
  const run = await runIndex({ "aws:region": REGION, "s3guard:watchedBuckets": WATCHED, ...config });
  if (run.error !== undefined) {
    throw run.error;
  }
  return run;
}

function environment(run: ProgramRun): Record<string, string> {
  const env = one(run, T.service).inputs.taskDefinitionArgs.container.environment as Array<{ name: string; value: string }>;
  return Object.fromEntries(env.map((v) => [v.name, v.value]));
}

function categories(run: ProgramRun): string[] {
  const selectors = one(run, T.trail).inputs.advancedEventSelectors as Array<{ fieldSelectors: Array<{ field: string; equals?: string[] }> }>;
  return selectors.flatMap((s) => s.fieldSelectors.filter((f) => f.field === "eventCategory").flatMap((f) => f.equals ?? []));
}

describe("an existing trail in a log archive account, beside a data-events trail of the kit's own", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ "s3guard:trail": { existing: EXISTING } });
  });

  it("records no management events: its own trail covers only the watched buckets' data events", () => {
    expect(categories(run)).toEqual(["Data"]);
    const selector = (one(run, T.trail).inputs.advancedEventSelectors as Array<{ fieldSelectors: Array<{ field: string; startsWiths?: string[] }> }>)[0];
    expect(selector.fieldSelectors.find((f) => f.field === "resources.ARN")?.startsWiths).toEqual(["arn:aws:s3:::customer-data-prod/"]);
  });

  it("subscribes the queue to the existing topic as well as its own, and admits both in the queue policy", () => {
    expect(ofType(run, T.subscription)).toHaveLength(2);
    // The first keeps the name a stack with only its own trail has, so adding a trail replaces nothing.
    expect(one(run, T.subscription, "s3guard-dev-connector-events").inputs).toEqual({ topic: OWN_TOPIC, protocol: "sqs", endpoint: QUEUE_ARN });
    // Made in the topic's region: SNS takes a subscription only there.
    expect(one(run, T.subscription, "s3guard-dev-connector-events-2").inputs).toEqual({ topic: EXISTING.snsTopicArn, protocol: "sqs", endpoint: QUEUE_ARN, region: REGION });
    expect(statement(policyOf(one(run, T.queuePolicy)), "AllowTrailTopic")).toEqual({
      Sid: "AllowTrailTopic",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: QUEUE_ARN,
      Condition: { ArnEquals: { "aws:SourceArn": [OWN_TOPIC, EXISTING.snsTopicArn] } },
    });
  });

  it("lets the task role assume the read role and decrypt with the logs' key, and read only its own trail's bucket itself", () => {
    const policy = policyOf(one(run, T.rolePolicy, "s3guard-dev-connector-task"));
    expect(statement(policy, "AssumeLogReadRole")).toEqual({ Sid: "AssumeLogReadRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: EXISTING.readRoleArn });
    expect(statement(policy, "DecryptTrailLogFiles").Resource).toBe(EXISTING.kmsKeyArn);
    expect(statement(policy, "ReadTrailLogFiles").Resource).toBe(`arn:aws:s3:::${OWN_LOGS}/AWSLogs/*`);
  });

  it("tells the connector the role, which bucket to read with it, and the accounts to keep (its own account too)", () => {
    expect(environment(run)).toMatchObject({
      S3GUARD_READ_ROLE_ARN: EXISTING.readRoleArn,
      S3GUARD_READ_ROLE_BUCKETS: EXISTING.logBucketName,
      S3GUARD_ACCOUNT_IDS: `${ACCOUNT_ID},444455556666`,
    });
    expect(environment(run).S3GUARD_READ_ROLE_EXTERNAL_ID).toBeUndefined();
  });

  it("names both log buckets in the deployment context, and exports what the log archive stack needs", () => {
    const context = ofType(run, T.object).find((o) => o.inputs.key === "context/s3guard-context.yaml");
    expect(context?.inputs.content).toContain(EXISTING.logBucketName);
    expect(context?.inputs.content).toContain(OWN_LOGS);
    // Its own trail records data events only, on purpose: the rules do not take that for a narrowing.
    expect(context?.inputs.content).toContain(`- list: s3guard_data_only_trails\n  items: ["s3guard-dev-trail", "arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/s3guard-dev-trail"]`);
    // The accounts kept are the deployment's own.
    expect(context?.inputs.content).toContain(`- list: s3guard_account_ids\n  items: ["${ACCOUNT_ID}", "444455556666"]`);
    expect(run.outputs).toMatchObject({ connectorTaskRoleArn: TASK_ROLE_ARN, queueArn: QUEUE_ARN, existingTrailNotification: undefined });
  });
});

describe("an existing trail that records the watched buckets too", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({
      "s3guard:trail": { existing: { ...EXISTING, recordsWatchedBuckets: true, readRoleExternalId: "s3guard-prod", trailArn: ORG_TRAIL } },
    });
  });

  it("tells the rules the existing trail must keep recording", () => {
    const context = ofType(run, T.object).find((o) => o.inputs.key === "context/s3guard-context.yaml");
    expect(context?.inputs.content).toContain(`- list: s3guard_data_event_trails\n  items: ["org-trail", "${ORG_TRAIL}"]`);
    expect(context?.inputs.content).not.toContain("s3guard_data_only_trails");
  });

  it("creates no trail at all, and subscribes to the existing topic only", () => {
    expect(ofType(run, T.trail)).toEqual([]);
    expect(ofType(run, T.subscription).map((s) => s.inputs.topic)).toEqual([EXISTING.snsTopicArn]);
    expect(run.outputs).toMatchObject({ trailArn: undefined, logBucketName: EXISTING.logBucketName, notificationTopicArn: EXISTING.snsTopicArn });
  });

  it("reads nothing with the task role's own credentials, and keeps only the listed accounts", () => {
    const policy = policyOf(one(run, T.rolePolicy, "s3guard-dev-connector-task"));
    expect(policy.Statement.map((s) => s.Sid)).not.toContain("ReadTrailLogFiles");
    expect(environment(run)).toMatchObject({ S3GUARD_ACCOUNT_IDS: "444455556666", S3GUARD_READ_ROLE_EXTERNAL_ID: "s3guard-prod" });
  });
});

describe("an existing trail without a delivery topic, read by the task role itself", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runWith({ "s3guard:trail": { existing: { logBucketName: EXISTING.logBucketName, recordsWatchedBuckets: true } } });
  });

  it("offers the notification configuration the log bucket needs, and exports none when there is a topic", () => {
    expect(run.outputs.existingTrailNotification).toEqual({
      QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "AWSLogs/" }] } } }],
    });
  });

  it("admits the log bucket's S3 event notifications into the queue instead of a topic", () => {
    expect(ofType(run, T.subscription)).toEqual([]);
    const policy = policyOf(one(run, T.queuePolicy));
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["AllowLogBucketNotifications", "DenyInsecureTransport"]);
    expect(statement(policy, "AllowLogBucketNotifications").Condition).toEqual({ ArnEquals: { "aws:SourceArn": `arn:aws:s3:::${EXISTING.logBucketName}` } });
  });

  it("lets the task role read the bucket's AWSLogs/ itself, and sets no role or account variables", () => {
    expect(statement(policyOf(one(run, T.rolePolicy, "s3guard-dev-connector-task")), "ReadTrailLogFiles").Resource).toBe(
      `arn:aws:s3:::${EXISTING.logBucketName}/AWSLogs/*`,
    );
    const env = environment(run);
    expect(Object.keys(env).filter((k) => k.startsWith("S3GUARD_READ_ROLE") || k === "S3GUARD_ACCOUNT_IDS")).toEqual([]);
  });
});

describe("an existing trail whose home region is not the stack's", () => {
  it("subscribes to its topic from the topic's region", async () => {
    const topic = "arn:aws:sns:eu-west-1:222233334444:org-trail-delivery";
    const run = await runWith({ "s3guard:trail": { existing: { ...EXISTING, snsTopicArn: topic, recordsWatchedBuckets: true } } });
    expect(one(run, T.subscription).inputs).toEqual({ topic, protocol: "sqs", endpoint: QUEUE_ARN, region: "eu-west-1" });
    expect(statement(policyOf(one(run, T.queuePolicy)), "AllowTrailTopic").Condition).toEqual({ ArnEquals: { "aws:SourceArn": topic } });
  });
});

describe("the kit's own organization trail, filtered to some accounts", () => {
  it("keeps recording management events and tells the connector the accounts to keep", async () => {
    const run = await runWith({ "s3guard:trail": { organization: true, accountIds: ["444455556666"] } });
    expect(one(run, T.trail).inputs.isOrganizationTrail).toBe(true);
    expect(categories(run)).toContain("Management");
    expect(environment(run).S3GUARD_ACCOUNT_IDS).toBe(`${ACCOUNT_ID},444455556666`);
  });
});
