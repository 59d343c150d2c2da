/**
 * The real index.ts under Pulumi's mocks with stack configurations other than the example: what
 * changes when a user switches the options on or off.
 */
import { ACCOUNT_ID, autoName, CUSTOM_VPC_ID, ORGANIZATION_ID, REGION } from "./helpers/mockCloud";
import { dependsOn, ofType, one, policyOf, statement } from "./helpers/query";
import { ProgramRun, readStackFile, runIndex } from "./helpers/runProgram";

const KMS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const IMAGE = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/s3guard/detector@sha256:${"5e".repeat(32)}`;

describe("an organization's production stack: account-wide block, organization trail, KMS, CloudWatch Logs, prebuilt image, private subnets", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runIndex(
      {
        "aws:region": REGION,
        "s3guard:namePrefix": "acme-audit",
        "s3guard:watchedBuckets": [
          { name: "invoices-prod", read: true, write: true },
          { name: "exports-prod", read: true, region: "eu-west-1" },
        ],
        "s3guard:managementEvents": "write",
        "s3guard:blockPublicAccess": "account",
        "s3guard:trail": { organization: true, kmsKeyArn: KMS_KEY, cloudWatchLogs: true, cloudWatchLogsRetentionDays: 30, logRetentionDays: 2557 },
        "s3guard:connector": {
          image: IMAGE,
          cpu: 512,
          memory: 1024,
          minTasks: 0,
          maxTasks: 1,
          alerts: ["stdout", "sns", "webhook"],
          snsTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:security-alerts`,
          webhookUrl: "https://hooks.example.com:8443/s3guard",
          alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:oncall`,
          subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
          assignPublicIp: false,
          logGroupName: "/s3guard/prod/cloud-connector",
          ruleMatching: "first",
          minimumPriority: "warning",
        },
      },
      // The webhook URL was set with `pulumi config set --secret --path`, which makes the whole key secret.
      { stack: "prod", secretKeys: ["s3guard:connector"] },
    );
    if (run.error !== undefined) {
      throw run.error;
    }
  });

  it("owns the account-wide public access block, keeps it on destroy, and still disables ACLs per bucket", () => {
    const block = one(run, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
    expect(block.inputs).toEqual({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(block.retainOnDelete).toBe(true);
    expect(one(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "acme-audit-public-access-exports-prod").inputs).toEqual({
      bucket: "exports-prod",
      region: "eu-west-1",
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const perBucketBlocks = ofType(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").filter((r) => r.name.includes("public-access"));
    expect(perBucketBlocks).toEqual([]);
  });

  it("creates an organization trail encrypted with the key and delivering to CloudWatch Logs", () => {
    const trail = one(run, "aws:cloudtrail/trail:Trail");
    const logGroup = one(run, "aws:cloudwatch/logGroup:LogGroup", "acme-audit-trail-events");
    const logGroupArn = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${autoName("acme-audit-trail-events")}`;
    expect(logGroup.inputs.retentionInDays).toBe(30);
    expect(trail.inputs).toMatchObject({
      name: "acme-audit-trail",
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      kmsKeyId: KMS_KEY,
      cloudWatchLogsGroupArn: `${logGroupArn}:*`,
      cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${autoName("acme-audit-trail-cloudwatch")}`,
    });
    expect(run.invokes).toContain("aws:organizations/getOrganization:getOrganization");
    expect(policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "acme-audit-trail-cloudwatch")).Statement[0].Resource).toEqual([
      `${logGroupArn}:log-stream:${ACCOUNT_ID}_CloudTrail_*`,
      `${logGroupArn}:log-stream:${ORGANIZATION_ID}_*`,
    ]);
  });

  it("names the organization of the organization trail in the deployment context", () => {
    const context = ofType(run, "aws:s3/bucketObjectv2:BucketObjectv2").find((o) => o.inputs.key === "context/s3guard-context.yaml");
    expect(String(context?.inputs.content)).toContain(`- list: s3guard_organization_ids\n  items: ["${ORGANIZATION_ID}"]\n`);
  });

  it("creates the trail after its CloudWatch Logs role can write (the role itself is an input), as well as after both resource policies", () => {
    const trail = one(run, "aws:cloudtrail/trail:Trail");
    for (const [type, name] of [
      ["aws:s3/bucketPolicy:BucketPolicy", "acme-audit-trail-logs"],
      ["aws:sns/topicPolicy:TopicPolicy", "acme-audit-trail-notifications"],
      ["aws:iam/rolePolicy:RolePolicy", "acme-audit-trail-cloudwatch"],
    ]) {
      expect([name, dependsOn(trail, one(run, type, name))]).toEqual([name, true]);
    }
  });

  it("lets the trail write member accounts' logs under the organization's folder", () => {
    const policy = policyOf(one(run, "aws:s3/bucketPolicy:BucketPolicy", "acme-audit-trail-logs"));
    expect(statement(policy, "AWSCloudTrailOrganizationWrite")).toMatchObject({
      Resource: `arn:aws:s3:::${autoName("acme-audit-trail-logs")}/AWSLogs/${ORGANIZATION_ID}/*`,
      Condition: { StringEquals: { "aws:SourceArn": `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/acme-audit-trail` } },
    });
  });

  it("records only write management events next to the data events, and keeps log files 2557 days", () => {
    const selectors = one(run, "aws:cloudtrail/trail:Trail").inputs.advancedEventSelectors;
    expect(selectors[0]).toEqual({
      name: "Management write events",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Management"] },
        { field: "readOnly", equals: ["false"] },
      ],
    });
    expect(selectors.map((s: { name: string }) => s.name)).toEqual([
      "Management write events",
      "S3 object reads and writes on watched buckets",
      "S3 object reads on watched buckets",
    ]);
    expect(one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "acme-audit-trail-logs").inputs.rules[0].expiration).toEqual({ days: 2557 });
  });

  it("uses the prebuilt image and lets ECS pull it from its own ECR repository", () => {
    expect(ofType(run, "awsx:ecr:Image")).toEqual([]);
    expect(ofType(run, "aws:ecr/repository:Repository")).toEqual([]);
    expect(one(run, "awsx:ecs:FargateService").inputs.taskDefinitionArgs.container.image).toBe(IMAGE);
    expect(statement(policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "acme-audit-connector-execution")), "PullImage").Resource).toBe(
      `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/s3guard/detector`,
    );
  });

  it("runs in the given subnets without public IPs, behind a group that also lets the webhook's port out", () => {
    const service = one(run, "awsx:ecs:FargateService");
    expect(service.inputs.networkConfiguration).toEqual({
      subnets: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
      securityGroups: ["sg-0123456789abcdef0"],
      assignPublicIp: false,
    });
    const group = one(run, "aws:ec2/securityGroup:SecurityGroup");
    expect(group.inputs.vpcId).toBe(CUSTOM_VPC_ID);
    expect(group.inputs.ingress).toEqual([]);
    expect(group.inputs.egress.map((e: { fromPort: number }) => e.fromPort)).toEqual([443, 8443]);
    expect(run.invokes).toContain("aws:ec2/getSubnet:getSubnet");
    expect(run.invokes).not.toContain("aws:ec2/getVpc:getVpc");
  });

  it("grants the task role the alert topic and the trail's key, and no state table for a single task", () => {
    const sids = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "acme-audit-connector-task")).Statement.map((s) => [s.Sid, s.Resource]);
    expect(sids).toEqual([
      ["ReadTrailLogFiles", `arn:aws:s3:::${autoName("acme-audit-trail-logs")}/AWSLogs/*`],
      ["ReadRules", [`arn:aws:s3:::${autoName("acme-audit-connector-rules")}/rules/*`, `arn:aws:s3:::${autoName("acme-audit-connector-rules")}/context/s3guard-context.yaml`]],
      ["ListRules", `arn:aws:s3:::${autoName("acme-audit-connector-rules")}`],
      ["ConsumeQueue", `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${autoName("acme-audit-connector-events")}`],
      ["PublishAlerts", `arn:aws:sns:${REGION}:${ACCOUNT_ID}:security-alerts`],
      ["DecryptTrailLogFiles", KMS_KEY],
    ]);
    expect(ofType(run, "aws:dynamodb/table:Table")).toEqual([]);
  });

  it("passes the sinks' settings to the container and no state table", () => {
    const env = one(run, "awsx:ecs:FargateService").inputs.taskDefinitionArgs.container.environment as Array<{ name: string; value: string }>;
    const byName = Object.fromEntries(env.map((v) => [v.name, v.value]));
    expect(byName).toMatchObject({
      S3GUARD_ALERTS: "stdout,sns,webhook",
      S3GUARD_SNS_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:security-alerts`,
      S3GUARD_LOG_GROUP: "/s3guard/prod/cloud-connector",
      S3GUARD_MIN_PRIORITY: "warning",
      S3GUARD_RULE_MATCHING: "first",
    });
    expect(byName.S3GUARD_STATE_TABLE).toBeUndefined();
    expect(byName.S3GUARD_WEBHOOK_URL).toBeUndefined();
  });

  it("scales from zero to one task and notifies the on-call topic when the dead-letter queue fills", () => {
    expect(one(run, "awsx:ecs:FargateService").inputs.desiredCount).toBe(0);
    expect(one(run, "aws:appautoscaling/target:Target").inputs).toMatchObject({
      resourceId: "service/acme-audit-connector/acme-audit-connector",
      minCapacity: 0,
      maxCapacity: 1,
    });
    const oncall = [`arn:aws:sns:${REGION}:${ACCOUNT_ID}:oncall`];
    expect(one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "acme-audit-connector-events-dlq-depth").inputs).toMatchObject({
      alarmActions: oncall,
      okActions: oncall,
    });
  });

  it("sizes the task as configured", () => {
    expect(one(run, "awsx:ecs:FargateService").inputs.taskDefinitionArgs).toMatchObject({ cpu: "512", memory: "1024" });
  });
});

describe("a minimal stack: public access left alone, no connector, data events only, single region", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runIndex({
      "aws:region": REGION,
      "s3guard:watchedBuckets": [{ name: "reports-qa", write: true }],
      "s3guard:managementEvents": "false",
      "s3guard:blockPublicAccess": "off",
      "s3guard:trail": { multiRegion: false },
      "s3guard:connector": { enabled: false },
    }, { stack: "qa" });
    if (run.error !== undefined) {
      throw run.error;
    }
  });

  it("touches no watched bucket's access settings and owns no account-wide setting", () => {
    expect(ofType(run, "s3guard:index:PublicAccessGuard")).toEqual([]);
    expect(ofType(run, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock")).toEqual([]);
    expect(ofType(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").map((r) => r.name)).toEqual(["s3guard-qa-trail-logs"]);
  });

  it("declares no connector and exports none of its outputs", () => {
    expect(ofType(run, "s3guard:index:CloudConnector")).toEqual([]);
    expect(run.resources.filter((r) => r.name.includes("connector"))).toEqual([]);
    expect(run.outputs).toEqual({
      trailArn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/s3guard-qa-trail`,
      logBucketName: autoName("s3guard-qa-trail-logs"),
      notificationTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${autoName("s3guard-qa-trail-notifications")}`,
      rulesBucketName: undefined,
      queueUrl: undefined,
      deadLetterQueueUrl: undefined,
      alertsLogGroupName: undefined,
      clusterName: undefined,
      serviceName: undefined,
      connectorTaskRoleArn: undefined,
      queueArn: undefined,
      existingTrailNotification: undefined,
    });
  });

  it("records only the bucket's writes, in the trail's own region", () => {
    const trail = one(run, "aws:cloudtrail/trail:Trail");
    expect(trail.inputs.isMultiRegionTrail).toBe(false);
    expect(trail.inputs.advancedEventSelectors).toEqual([
      {
        name: "S3 object writes on watched buckets",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "readOnly", equals: ["false"] },
          { field: "resources.ARN", startsWiths: ["arn:aws:s3:::reports-qa/"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
        ],
      },
    ]);
  });
});

describe("the example stack during pulumi preview, when resources do not exist yet", () => {
  it("declares the same resources as pulumi up, without failing on values that are not known yet", async () => {
    const config = readStackFile("Pulumi.dev.yaml");
    const [preview, up] = [await runIndex(config, { preview: true }), await runIndex(config)];
    expect(preview.error).toBeUndefined();
    expect(preview.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(up.resources.map((r) => `${r.type} ${r.name}`).sort());
    expect(one(preview, "aws:cloudtrail/trail:Trail").inputs.advancedEventSelectors).toEqual(
      one(up, "aws:cloudtrail/trail:Trail").inputs.advancedEventSelectors,
    );
  });
});
