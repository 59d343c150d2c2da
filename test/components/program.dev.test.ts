/**
 * The real index.ts, run under Pulumi's mocks with the example stack Pulumi.dev.yaml: what a user
 * gets from `pulumi up` with the committed example, property by property.
 */
import * as fs from "fs";
import * as path from "path";
import { ACCOUNT_ID, autoName, DEFAULT_SUBNET_IDS, REGION } from "./helpers/mockCloud";
import { dependsOn, isChildOf, ofType, one, policyOf, statement } from "./helpers/query";
import { buildContextDigest } from "../../components/connector/buildContext";
import { plainOccurrences, ProgramRun, readStackFile, REPO_ROOT, runIndex } from "./helpers/runProgram";

const T = {
  trail: "aws:cloudtrail/trail:Trail",
  bucket: "aws:s3/bucket:Bucket",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  accountBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  service: "awsx:ecs:FargateService",
  image: "awsx:ecr:Image",
  repository: "aws:ecr/repository:Repository",
  target: "aws:appautoscaling/target:Target",
  scalingPolicy: "aws:appautoscaling/policy:Policy",
  table: "aws:dynamodb/table:Table",
};

const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/s3guard-dev-trail`;
const LOG_BUCKET = autoName("s3guard-dev-trail-logs");
const RULES_BUCKET = autoName("s3guard-dev-connector-rules");
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${autoName("s3guard-dev-trail-notifications")}`;
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${autoName("s3guard-dev-connector-events")}`;
const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${autoName("s3guard-dev-connector-events")}`;
const DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${autoName("s3guard-dev-connector-events-dlq")}`;
const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:s3guard-dev-connector`;
const TABLE = autoName("s3guard-dev-connector-state");

let run: ProgramRun;
beforeAll(async () => {
  run = await runIndex(readStackFile("Pulumi.dev.yaml"));
  if (run.error !== undefined) {
    throw run.error;
  }
});

describe("components", () => {
  it("declares the three components with s3guard:index type tokens, and parents every resource to one of them", () => {
    const components = ["AuditTrail", "PublicAccessGuard", "CloudConnector"].map((n) => one(run, `s3guard:index:${n}`));
    expect(components.map((c) => c.name)).toEqual(["s3guard-dev-trail", "s3guard-dev-public-access", "s3guard-dev-connector"]);
    const orphans = run.resources.filter((r) => !r.type.startsWith("s3guard:") && !components.some((c) => isChildOf(r, c)));
    expect(orphans.map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });

  it("exports the trail, buckets, queues, log group and service", () => {
    expect(run.outputs).toEqual({
      trailArn: TRAIL_ARN,
      logBucketName: LOG_BUCKET,
      notificationTopicArn: TOPIC_ARN,
      rulesBucketName: RULES_BUCKET,
      queueUrl: QUEUE_URL,
      deadLetterQueueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT_ID}/${autoName("s3guard-dev-connector-events-dlq")}`,
      alertsLogGroupName: "s3guard-dev-connector",
      clusterName: "s3guard-dev-connector",
      serviceName: "s3guard-dev-connector",
      connectorTaskRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${autoName("s3guard-dev-connector-task")}`,
      queueArn: QUEUE_ARN,
      existingTrailNotification: undefined,
    });
  });

  it("tags every taggable resource with the user's tags, the stack and the component", () => {
    const taggable = [T.trail, T.bucket, T.topic, T.queue, T.role, T.alarm, T.logGroup, T.securityGroup, T.service, T.repository, T.target, T.table, "aws:ecs/cluster:Cluster"];
    const resources = run.resources.filter((r) => taggable.includes(r.type));
    expect(resources.length).toBeGreaterThanOrEqual(15);
    for (const r of resources) {
      expect({ resource: `${r.type} ${r.name}`, tags: r.inputs.tags }).toEqual({
        resource: `${r.type} ${r.name}`,
        tags: {
          environment: "dev",
          "s3guard:stack": "s3guard/dev",
          "s3guard:component": r.name.startsWith("s3guard-dev-trail") ? "audit-trail" : "cloud-connector",
        },
      });
    }
  });
});

describe("AuditTrail", () => {
  it("creates a multi-region trail with log-file validation, named explicitly, delivering to its bucket and topic", () => {
    const trail = one(run, T.trail);
    expect(trail.inputs).toMatchObject({
      name: "s3guard-dev-trail",
      s3BucketName: LOG_BUCKET,
      snsTopicName: autoName("s3guard-dev-trail-notifications"),
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      isOrganizationTrail: false,
      enableLogFileValidation: true,
      enableLogging: true,
    });
    expect(trail.inputs.eventSelectors).toBeUndefined();
    expect(trail.inputs.kmsKeyId).toBeUndefined();
    expect(trail.inputs.cloudWatchLogsGroupArn).toBeUndefined();
  });

  it("records management events, both directions of customer-data-dev and writes under uploads/ of static-site-dev", () => {
    expect(one(run, T.trail).inputs.advancedEventSelectors).toEqual([
      { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
      {
        name: "S3 object reads and writes on watched buckets",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.ARN", startsWiths: ["arn:aws:s3:::customer-data-dev/"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
        ],
      },
      {
        name: "S3 object writes on watched buckets",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "readOnly", equals: ["false"] },
          { field: "resources.ARN", startsWiths: ["arn:aws:s3:::static-site-dev/uploads/"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
        ],
      },
    ]);
  });

  it("creates the trail only after the bucket policy and topic policy CloudTrail checks at creation", () => {
    const trail = one(run, T.trail);
    expect(dependsOn(trail, one(run, T.bucketPolicy, "s3guard-dev-trail-logs"))).toBe(true);
    expect(dependsOn(trail, one(run, T.topicPolicy))).toBe(true);
  });

  it("hardens the log bucket: ACLs disabled, public access blocked, encrypted, versioned, kept on destroy", () => {
    const name = "s3guard-dev-trail-logs";
    expect(one(run, T.bucket, name).inputs.forceDestroy).toBe(false);
    expect(one(run, T.ownership, name).inputs).toEqual({ bucket: LOG_BUCKET, rule: { objectOwnership: "BucketOwnerEnforced" } });
    expect(one(run, T.publicAccessBlock, name).inputs).toEqual({
      bucket: LOG_BUCKET,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(run, T.encryption, name).inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(one(run, T.versioning, name).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
  });

  it("orders the log bucket's settings: ownership controls, then public access block, then policy", () => {
    const name = "s3guard-dev-trail-logs";
    expect(dependsOn(one(run, T.publicAccessBlock, name), one(run, T.ownership, name))).toBe(true);
    expect(dependsOn(one(run, T.bucketPolicy, name), one(run, T.publicAccessBlock, name))).toBe(true);
  });

  it("expires log files after logRetentionDays and replaced versions 30 days later", () => {
    const lifecycle = one(run, T.lifecycle, "s3guard-dev-trail-logs");
    expect(lifecycle.inputs.rules).toEqual([
      {
        id: "expire-objects",
        status: "Enabled",
        filter: {},
        expiration: { days: 365 },
        noncurrentVersionExpiration: { noncurrentDays: 30 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
    expect(dependsOn(lifecycle, one(run, T.versioning, "s3guard-dev-trail-logs"))).toBe(true);
  });

  it("lets only this trail write its log files, over TLS", () => {
    const policy = policyOf(one(run, T.bucketPolicy, "s3guard-dev-trail-logs"));
    expect(policy.Statement.map((s) => s.Sid)).toEqual(["AWSCloudTrailAclCheck", "AWSCloudTrailWrite", "DenyInsecureTransport"]);
    expect(statement(policy, "AWSCloudTrailWrite")).toEqual({
      Sid: "AWSCloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${LOG_BUCKET}/AWSLogs/${ACCOUNT_ID}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL_ARN } },
    });
    expect(statement(policy, "AWSCloudTrailAclCheck").Condition).toEqual({ StringEquals: { "aws:SourceArn": TRAIL_ARN } });
    expect(statement(policy, "DenyInsecureTransport")).toMatchObject({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("lets only this trail publish log-file notifications to the topic", () => {
    const topicPolicy = one(run, T.topicPolicy);
    expect(topicPolicy.inputs.arn).toBe(TOPIC_ARN);
    expect(policyOf(topicPolicy).Statement).toEqual([
      {
        Sid: "AWSCloudTrailSNSPolicy",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "SNS:Publish",
        Resource: TOPIC_ARN,
        Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
      },
    ]);
  });
});

describe("PublicAccessGuard (buckets mode)", () => {
  it.each(["customer-data-dev", "static-site-dev"])("disables ACLs on %s, then blocks all four kinds of public access", (bucket) => {
    const name = `s3guard-dev-public-access-${bucket}`;
    const controls = one(run, T.ownership, name);
    const block = one(run, T.publicAccessBlock, name);
    expect(controls.inputs).toEqual({ bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    expect(block.inputs).toEqual({ bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(dependsOn(block, controls)).toBe(true);
  });

  it("leaves the protections in place when a bucket leaves the list, and owns no account-wide setting", () => {
    const guarded = run.resources.filter((r) => r.name.startsWith("s3guard-dev-public-access-"));
    expect(guarded).toHaveLength(4);
    expect(guarded.every((r) => r.retainOnDelete)).toBe(true);
    expect(ofType(run, T.accountBlock)).toEqual([]);
  });
});

describe("CloudConnector", () => {
  it("keeps the rules bucket private, versioned, encrypted and TLS-only", () => {
    const name = "s3guard-dev-connector-rules";
    expect(one(run, T.publicAccessBlock, name).inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    expect(one(run, T.ownership, name).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(one(run, T.versioning, name).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(one(run, T.encryption, name).inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(policyOf(one(run, T.bucketPolicy, name)).Statement.map((s) => [s.Sid, s.Effect])).toEqual([["DenyInsecureTransport", "Deny"]]);
  });

  it("uploads every rules file of rules/ under the rules/ prefix, with its content", () => {
    const dir = path.join(REPO_ROOT, "rules");
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && fs.statSync(path.join(dir, f)).isFile()) : [];
    const objects = ofType(run, T.object).filter((o) => String(o.inputs.key).startsWith("rules/"));
    expect(objects.map((o) => o.inputs.key).sort()).toEqual(files.map((f) => `rules/${f}`).sort());
    for (const o of objects) {
      expect(o.inputs.bucket).toBe(RULES_BUCKET);
      expect(o.inputs.content).toBe(fs.readFileSync(path.join(dir, String(o.inputs.key).slice("rules/".length)), "utf8"));
    }
  });

  it("writes the deployment context beside the rules: the stack's log bucket, buckets, account, trail, trusted accounts and networks", () => {
    const context = ofType(run, T.object).filter((o) => !String(o.inputs.key).startsWith("rules/"));
    expect(context.map((o) => [o.inputs.bucket, o.inputs.key, o.inputs.contentType])).toEqual([[RULES_BUCKET, "context/s3guard-context.yaml", "application/yaml"]]);
    const content = String(context[0].inputs.content);
    const items = (list: string) => {
      const m = new RegExp(`- list: ${list}\n  items: \\[(.*)\\]\n  override: \\{items: append\\}`).exec(content);
      return m ? (JSON.parse(`[${m[1]}]`) as string[]) : undefined;
    };
    expect(items("s3guard_cloudtrail_log_buckets")).toEqual([LOG_BUCKET]);
    expect(items("s3guard_watched_buckets")).toEqual(["customer-data-dev", "static-site-dev"]);
    expect(items("s3guard_account_ids")).toEqual([ACCOUNT_ID]);
    expect(items("s3guard_data_event_trails")).toEqual(["s3guard-dev-trail", TRAIL_ARN]);
    expect(items("s3guard_trusted_external_accounts")).toEqual(["444455556666"]);
    expect(items("s3guard_trusted_external_principals")).toContain("arn:aws:iam::444455556666:*");
    expect(items("s3guard_trusted_networks")).toEqual(["203.0.113.0/24"]);
    // Not an organization trail, and no s3guard:context.organizationId: nothing to say.
    expect(items("s3guard_organization_ids")).toBeUndefined();
    expect(content).toContain("for stack dev");
    expect(dependsOn(context[0], one(run, T.bucketPolicy, "s3guard-dev-connector-rules"))).toBe(true);
  });

  it("encrypts both queues with SQS-managed keys and sends a message to the DLQ after 5 failed receives", () => {
    const queue = one(run, T.queue, "s3guard-dev-connector-events");
    const dlq = one(run, T.queue, "s3guard-dev-connector-events-dlq");
    for (const q of [queue, dlq]) {
      expect(q.inputs.sqsManagedSseEnabled).toBe(true);
      expect(q.inputs.kmsMasterKeyId).toBeUndefined();
    }
    expect(JSON.parse(queue.inputs.redrivePolicy)).toEqual({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 });
    expect(queue.inputs).toMatchObject({ visibilityTimeoutSeconds: 300, receiveWaitTimeSeconds: 20, messageRetentionSeconds: 345600 });
    expect(dlq.inputs.messageRetentionSeconds).toBe(1209600);
  });

  it("lets only the trail's topic send into the queue, and subscribes the queue once that policy is in place", () => {
    const queuePolicy = one(run, T.queuePolicy);
    expect(queuePolicy.inputs.queueUrl).toBe(QUEUE_URL);
    expect(statement(policyOf(queuePolicy), "AllowTrailTopic")).toEqual({
      Sid: "AllowTrailTopic",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: QUEUE_ARN,
      Condition: { ArnEquals: { "aws:SourceArn": TOPIC_ARN } },
    });
    const subscription = one(run, T.subscription);
    expect(subscription.inputs).toEqual({ topic: TOPIC_ARN, protocol: "sqs", endpoint: QUEUE_ARN });
    expect(dependsOn(subscription, queuePolicy)).toBe(true);
  });

  it("alarms as soon as a message lands in the dead-letter queue", () => {
    expect(one(run, T.alarm, "s3guard-dev-connector-events-dlq-depth").inputs).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: autoName("s3guard-dev-connector-events-dlq") },
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [],
    });
  });

  it("gives the task role exactly what the detector needs, to ECS tasks of this account only", () => {
    const role = one(run, T.role, "s3guard-dev-connector-task");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Sid: "AllowServiceToAssumeRole",
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:SourceArn": `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:*` }, StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    const policy = one(run, T.rolePolicy, "s3guard-dev-connector-task");
    expect(policy.inputs.role).toBe(autoName("s3guard-dev-connector-task"));
    expect(policyOf(policy).Statement.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["ReadTrailLogFiles", "s3:GetObject", `arn:aws:s3:::${LOG_BUCKET}/AWSLogs/*`],
      ["ReadRules", "s3:GetObject", [`arn:aws:s3:::${RULES_BUCKET}/rules/*`, `arn:aws:s3:::${RULES_BUCKET}/context/s3guard-context.yaml`]],
      ["ListRules", "s3:ListBucket", `arn:aws:s3:::${RULES_BUCKET}`],
      ["ConsumeQueue", ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], QUEUE_ARN],
      ["WriteAlertsLogGroup", ["logs:CreateLogStream", "logs:PutLogEvents"], `${LOG_GROUP_ARN}:*`],
      ["ImportFindings", "securityhub:BatchImportFindings", `arn:aws:securityhub:${REGION}:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`],
      [
        "KeepRuleState",
        ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
        `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${TABLE}`,
      ],
    ]);
  });

  it("lets ECS pull only from the stack's own repository and write only the connector's log group", () => {
    const repositoryArn = `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/${autoName("s3guard-dev-connector")}`;
    expect(policyOf(one(run, T.rolePolicy, "s3guard-dev-connector-execution")).Statement.map((s) => [s.Sid, s.Resource])).toEqual([
      ["AuthenticateToEcr", "*"],
      ["PullImage", repositoryArn],
      ["WriteContainerLogs", `${LOG_GROUP_ARN}:*`],
    ]);
  });

  it("builds detector/Dockerfile from the repository root for linux/amd64 into a scanned repository, tagged by content", () => {
    const repository = one(run, T.repository);
    expect(repository.inputs).toMatchObject({ forceDelete: true, imageScanningConfiguration: { scanOnPush: true } });
    expect(one(run, T.image).inputs).toEqual({
      repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/${autoName("s3guard-dev-connector")}`,
      context: ".",
      dockerfile: "detector/Dockerfile",
      imageTag: `src-${buildContextDigest(REPO_ROOT, "detector/Dockerfile").slice(0, 40)}`,
      platform: "linux/amd64",
    });
  });

  it("holds the checkout's location in no resource input or output", () => {
    expect(plainOccurrences(run, REPO_ROOT)).toEqual([]);
  });

  it("admits no inbound traffic and only outbound HTTPS", () => {
    expect(one(run, T.securityGroup).inputs).toMatchObject({
      vpcId: "vpc-0d3fa017",
      ingress: [],
      egress: [{ description: "AWS APIs, ECR and alert destinations", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
    });
  });

  it("runs the detector on Fargate with our roles, security group and log group, and the connector's environment", () => {
    const service = one(run, T.service);
    expect(service.inputs).toMatchObject({
      name: "s3guard-dev-connector",
      cluster: `arn:aws:ecs:${REGION}:${ACCOUNT_ID}:cluster/s3guard-dev-connector`,
      desiredCount: 1,
      networkConfiguration: { subnets: DEFAULT_SUBNET_IDS, securityGroups: ["sg-0123456789abcdef0"], assignPublicIp: true },
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    const task = service.inputs.taskDefinitionArgs;
    expect(task).toMatchObject({
      cpu: "256",
      memory: "512",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      taskRole: { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${autoName("s3guard-dev-connector-task")}` },
      executionRole: { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${autoName("s3guard-dev-connector-execution")}` },
      logGroup: { skip: true },
    });
    expect(task.container.image).toBe(`${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com/${autoName("s3guard-dev-connector")}@sha256:${"ab".repeat(32)}`);
    expect(task.container.logConfiguration).toEqual({
      logDriver: "awslogs",
      options: { "awslogs-group": "s3guard-dev-connector", "awslogs-region": REGION, "awslogs-stream-prefix": "task" },
    });
    expect(task.container.healthCheck.command).toEqual(["CMD", "/usr/local/bin/node", "/app/detector/bin/healthcheck.js"]);
    expect(task.container.readonlyRootFilesystem).toBe(true);
    expect(task.container.environment).toEqual([
      { name: "AWS_REGION", value: REGION },
      { name: "S3GUARD_ALERTS", value: "cloudwatch,securityhub" },
      { name: "S3GUARD_CONTEXT_KEY", value: "context/s3guard-context.yaml" },
      { name: "S3GUARD_HEALTH_PORT", value: "8080" },
      { name: "S3GUARD_LOG_GROUP", value: "s3guard-dev-connector" },
      { name: "S3GUARD_LOG_STREAM", value: "alerts" },
      { name: "S3GUARD_MIN_PRIORITY", value: "notice" },
      { name: "S3GUARD_QUEUE_URL", value: QUEUE_URL },
      { name: "S3GUARD_RULES_BUCKET", value: RULES_BUCKET },
      { name: "S3GUARD_RULES_PREFIX", value: "rules/" },
      { name: "S3GUARD_RULES_RELOAD_SECONDS", value: "60" },
      { name: "S3GUARD_RULE_MATCHING", value: "all" },
      { name: "S3GUARD_STATE_TABLE", value: TABLE },
    ]);
  });

  it("keeps the autoscaled desired count out of diffs through a transform on the awsx service", async () => {
    const [transform, ...others] = one(run, T.service).transforms;
    expect(others).toEqual([]);
    const result = await transform({ custom: true, type: "aws:ecs/service:Service", name: "s3guard-dev-connector", props: { desiredCount: 1 }, opts: {} });
    expect(result?.opts.ignoreChanges).toEqual(["desiredCount"]);
  });

  it("scales the service between minTasks and maxTasks on the queue's visible messages", () => {
    const target = one(run, T.target);
    expect(target.inputs).toMatchObject({
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: "service/s3guard-dev-connector/s3guard-dev-connector",
      minCapacity: 1,
      maxCapacity: 4,
    });
    expect(dependsOn(target, one(run, T.service))).toBe(true);
    const scaleOut = one(run, T.scalingPolicy, "s3guard-dev-connector-scaling-out");
    expect(scaleOut.inputs.stepScalingPolicyConfiguration.stepAdjustments).toEqual([
      { metricIntervalLowerBound: "0", metricIntervalUpperBound: "10", scalingAdjustment: 1 },
      { metricIntervalLowerBound: "10", scalingAdjustment: 2 },
    ]);
    expect(one(run, T.alarm, "s3guard-dev-connector-scaling-out").inputs).toMatchObject({
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: autoName("s3guard-dev-connector-events") },
      threshold: 10,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      alarmActions: [`arn:aws:autoscaling:${REGION}:${ACCOUNT_ID}:scalingPolicy:s3guard-dev-connector-scaling-out`],
    });
    const scaleIn = one(run, T.alarm, "s3guard-dev-connector-scaling-in").inputs;
    expect(scaleIn).toMatchObject({ threshold: 0, comparisonOperator: "LessThanOrEqualToThreshold", treatMissingData: "breaching" });
    expect(scaleIn.metricQueries.map((q: { id: string }) => q.id)).toEqual(["visible", "inflight", "backlog"]);
  });

  it("keeps shared rule state in an on-demand, encrypted table with TTL, since more than one task may run", () => {
    expect(one(run, T.table).inputs).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      ttl: { attributeName: "expiresAt", enabled: true },
      serverSideEncryption: { enabled: true },
    });
  });

  it("writes alerts and container output to a log group named after the stack", () => {
    expect(one(run, T.logGroup).inputs).toMatchObject({ name: "s3guard-dev-connector", retentionInDays: 90 });
  });
});
