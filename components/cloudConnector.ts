import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { CONNECTOR_DEFAULTS } from "./configConnector";
import { connectorEnvironment, connectorHealthCheck, RULES_PREFIX } from "./connector/environment";
import { eventQueue } from "./connector/eventQueue";
import { connectorImage } from "./connector/image";
import { connectorNetwork } from "./connector/network";
import { connectorRoles } from "./connector/roles";
import { rulesBucket } from "./connector/rulesBucket";
import { queueDepthScaling } from "./connector/scaling";
import { stateTable } from "./connector/stateTable";
import { ignoreAutoscaledDesiredCount } from "./connector/transforms";
import { rulesBucketResourceName } from "./naming";
import { bucketArn } from "./policies/arns";
import { componentTags } from "./tags";
import { AlertSink, Priority, RuleMatching } from "./vocabulary";

/**
 * A role's ARN that resolves only once its policy is attached. Tasks start as soon as the service
 * exists; a role without its policy yet means tasks that cannot pull the image or read the queue,
 * and a failed deployment. Passed as the awsx service's input, this dependency reaches the task
 * definition awsx creates inside itself, which a `dependsOn` on the awsx component would not.
 */
function withPolicy(role: aws.iam.Role, policy: aws.iam.RolePolicy): pulumi.Output<string> {
  return pulumi.all([role.arn, policy.id]).apply(([arn]) => arn);
}

/** Name of the detector container in the task definition. */
export const CONTAINER_NAME = "cloud-connector";

export interface CloudConnectorArgs {
  /** The trail's log-file notification topic; the connector's queue subscribes to it. */
  readonly topicArn: pulumi.Input<string>;
  /** The trail's log bucket; the task role may read `AWSLogs/*` in it and nothing else. */
  readonly logBucketName: pulumi.Input<string>;
  /**
   * KMS key of the log files, if CloudTrail encrypts them with one; the task role may decrypt with it.
   * @default none (SSE-S3 log files need no key permission)
   */
  readonly logKmsKeyArn?: pulumi.Input<string>;
  /**
   * Folder whose `*.yaml`/`*.yml` files (not subfolders) are uploaded to the rules bucket under
   * `rules/`. Read when the program runs, so a changed rule shows in `pulumi preview`.
   */
  readonly rulesDir: string;
  /**
   * Prebuilt detector image URI. Without it `detector/Dockerfile` is built from `dockerContext`
   * (Docker with buildx is then needed wherever `pulumi preview`/`up` runs) and pushed to a new ECR
   * repository.
   * @default build detector/Dockerfile
   */
  readonly image?: string;
  /** Build context containing `detector/Dockerfile` and `rules/` (sent whole to Docker). @default process.cwd() */
  readonly dockerContext?: string;
  /**
   * Task CPU units; with `memory`, one of the sizes Fargate offers. Fargate bills per vCPU-second.
   * @default 256
   */
  readonly cpu?: number;
  /** Task memory in MiB. @default 512 */
  readonly memory?: number;
  /** Tasks kept running even with an empty queue; 0 lets the service scale to zero. @default 1 */
  readonly minTasks?: number;
  /**
   * Most tasks the queue backlog may scale to. Above 1, a DynamoDB state table is created so stateful
   * rules see events from all tasks.
   * @default 4
   */
  readonly maxTasks?: number;
  /** Visible messages that add one task (twice as many add two). @default 10 */
  readonly scaleOutQueueDepth?: number;
  /**
   * Alert destinations. `securityhub` needs Security Hub enabled in the account and region (every
   * import fails otherwise and messages end in the dead-letter queue); `sns` needs `snsTopicArn`,
   * `webhook` needs `webhookUrl`. Each adds only its own permission to the task role.
   * @default ["cloudwatch"]
   */
  readonly alerts?: readonly AlertSink[];
  /** Least severe Falco priority that raises an alert. @default "notice" */
  readonly minimumPriority?: Priority;
  /** Falco rule matching: `first` matching rule only, or `all`. @default "first" */
  readonly ruleMatching?: RuleMatching;
  /** Seconds between polls of the rules bucket (each poll is a billed S3 LIST). @default 60 */
  readonly rulesReloadSeconds?: number;
  /** Topic for the `sns` sink; the task role may publish to it and to nothing else. @default none */
  readonly snsTopicArn?: string;
  /**
   * https URL for the `webhook` sink. It is stored in the task definition in clear text, so keep
   * credentials out of it where the receiver allows. A port other than 443 is opened for egress.
   * @default none
   */
  readonly webhookUrl?: string;
  /**
   * Topic notified when a message lands in the dead-letter queue (and when it is emptied). Without it
   * the alarm only shows in the CloudWatch console.
   * @default none
   */
  readonly alarmTopicArn?: string;
  /**
   * Subnets for the tasks. Without them, the default VPC's default subnets. Private subnets need a
   * NAT gateway or VPC endpoints for ECR, S3, SQS, CloudWatch Logs (and Security Hub, SNS, DynamoDB as
   * used), or tasks cannot start and `pulumi up` waits for them in vain.
   * @default the default VPC
   */
  readonly subnetIds?: readonly string[];
  /** Give tasks a public IP; required in public subnets without NAT, such as the default VPC's. @default true */
  readonly assignPublicIp?: boolean;
  /**
   * Log group for alerts (stream `alerts`) and container output. Names are unique per account and
   * region: give each environment sharing an account its own.
   * @default "cloud-connector"
   */
  readonly logGroupName?: string;
  /** Retention of that log group, one of CloudWatch's periods. @default 90 */
  readonly logRetentionDays?: number;
  /** Receives before a notification moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** Seconds a received notification stays hidden while the connector processes it. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
  /** Tags applied to every taggable resource of the component. @default {} */
  readonly tags?: pulumi.Input<Record<string, string>>;
}

/**
 * The Cloud Connector: a Fargate service running the detector over every log file the trail
 * delivers, fed by an SQS queue subscribed to the trail's topic, with rules from a rules bucket.
 */
export class CloudConnector extends pulumi.ComponentResource {
  readonly rulesBucket: aws.s3.Bucket;
  readonly rulesBucketName: pulumi.Output<string>;
  readonly queue: aws.sqs.Queue;
  readonly queueUrl: pulumi.Output<string>;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly deadLetterQueueUrl: pulumi.Output<string>;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly logGroupName: pulumi.Output<string>;
  readonly taskRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly securityGroup: aws.ec2.SecurityGroup;
  readonly cluster: aws.ecs.Cluster;
  readonly service: awsx.ecs.FargateService;
  readonly serviceName: pulumi.Output<string>;
  readonly stateTable?: aws.dynamodb.Table;

  constructor(name: string, args: CloudConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("s3guard:index:CloudConnector", name, {}, opts);
    const d = CONNECTOR_DEFAULTS;
    const parent = this;
    const tags = pulumi.output(args.tags ?? {}).apply((t) => componentTags(t, "cloud-connector"));
    const partition = aws.getPartitionOutput({}, { parent }).partition;
    const region = aws.getRegionOutput({}, { parent }).region;
    const accountId = aws.getCallerIdentityOutput({}, { parent }).accountId;
    const alerts = [...(args.alerts ?? d.alerts)];
    const minTasks = args.minTasks ?? d.minTasks;
    const maxTasks = args.maxTasks ?? d.maxTasks;

    const rules = rulesBucket(rulesBucketResourceName(name), { rulesDir: args.rulesDir, prefix: RULES_PREFIX, partition, tags }, this);
    this.rulesBucket = rules.bucket;
    this.rulesBucketName = rules.bucket.bucket;

    const events = eventQueue(
      `${name}-events`,
      {
        topicArn: args.topicArn,
        maxReceiveCount: args.maxReceiveCount ?? d.maxReceiveCount,
        visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? d.visibilityTimeoutSeconds,
        ...(args.alarmTopicArn !== undefined ? { alarmTopicArn: args.alarmTopicArn } : {}),
        tags,
      },
      this,
    );
    this.queue = events.queue;
    this.queueUrl = events.queue.url;
    this.deadLetterQueue = events.deadLetterQueue;
    this.deadLetterQueueUrl = events.deadLetterQueue.url;

    this.logGroup = new aws.cloudwatch.LogGroup(
      name,
      { name: args.logGroupName ?? d.logGroupName, retentionInDays: args.logRetentionDays ?? d.logRetentionDays, tags },
      { parent },
    );
    this.logGroupName = this.logGroup.name;

    // Several tasks each see only some log files; stateful rules need state they all share.
    this.stateTable = maxTasks > 1 ? stateTable(`${name}-state`, tags, this) : undefined;

    const image = connectorImage(name, { image: args.image, dockerContext: args.dockerContext ?? process.cwd(), partition, tags }, this);
    const roles = connectorRoles(
      name,
      {
        task: {
          partition,
          region,
          accountId,
          logBucketArn: pulumi.all([partition, args.logBucketName]).apply(([p, b]) => bucketArn(p, b)),
          rulesBucketArn: rules.bucket.arn,
          rulesPrefix: RULES_PREFIX,
          queueArn: events.queue.arn,
          logGroupArn: this.logGroup.arn,
          alerts,
          snsTopicArn: args.snsTopicArn,
          logKmsKeyArn: args.logKmsKeyArn,
          stateTableArn: this.stateTable?.arn,
        },
        logGroupArn: this.logGroup.arn,
        repositoryArn: image.repositoryArn,
        tags,
      },
      this,
    );
    this.taskRole = roles.taskRole;
    this.executionRole = roles.executionRole;

    const network = connectorNetwork(name, { subnetIds: args.subnetIds ?? d.subnetIds, webhookUrl: args.webhookUrl, tags }, this);
    this.securityGroup = network.securityGroup;

    this.cluster = new aws.ecs.Cluster(name, { name, tags }, { parent });
    const environment = pulumi
      .all([events.queue.url, rules.bucket.bucket, region, this.logGroup.name, this.stateTable?.name])
      .apply(([queueUrl, rulesBucketName, regionName, logGroupName, table]) =>
        connectorEnvironment({
          queueUrl,
          rulesBucket: rulesBucketName,
          region: regionName,
          alerts,
          logGroupName,
          minimumPriority: args.minimumPriority ?? d.minimumPriority,
          ruleMatching: args.ruleMatching ?? d.ruleMatching,
          rulesReloadSeconds: args.rulesReloadSeconds ?? d.rulesReloadSeconds,
          ...(args.snsTopicArn !== undefined ? { snsTopicArn: args.snsTopicArn } : {}),
          ...(args.webhookUrl !== undefined ? { webhookUrl: args.webhookUrl } : {}),
          ...(table !== undefined ? { stateTable: table } : {}),
        }),
      );

    this.service = new awsx.ecs.FargateService(
      name,
      {
        // Explicit, because the autoscaling target's resource ID is built from it.
        name,
        cluster: this.cluster.arn,
        desiredCount: minTasks,
        networkConfiguration: {
          subnets: network.subnetIds,
          securityGroups: [network.securityGroup.id],
          assignPublicIp: args.assignPublicIp ?? d.assignPublicIp,
        },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        tags,
        taskDefinitionArgs: {
          family: name,
          cpu: String(args.cpu ?? d.cpu),
          memory: String(args.memory ?? d.memory),
          runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
          taskRole: { roleArn: withPolicy(roles.taskRole, roles.taskRolePolicy) },
          executionRole: { roleArn: withPolicy(roles.executionRole, roles.executionRolePolicy) },
          // Our own log group below, not one awsx would create out of sight.
          logGroup: { skip: true },
          container: {
            name: CONTAINER_NAME,
            image: image.imageUri,
            essential: true,
            environment,
            healthCheck: connectorHealthCheck(),
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": this.logGroup.name, "awslogs-region": region, "awslogs-stream-prefix": "task" },
            },
          },
          tags,
        },
      },
      { parent, transforms: [ignoreAutoscaledDesiredCount] },
    );
    this.serviceName = pulumi.output(name);

    queueDepthScaling(
      `${name}-scaling`,
      {
        clusterName: this.cluster.name,
        serviceName: name,
        queueName: events.queue.name,
        minTasks,
        maxTasks,
        scaleOutQueueDepth: args.scaleOutQueueDepth ?? d.scaleOutQueueDepth,
        service: this.service,
        tags,
      },
      this,
    );

    this.registerOutputs({
      rulesBucketName: this.rulesBucketName,
      queueUrl: this.queueUrl,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
      logGroupName: this.logGroupName,
      serviceName: this.serviceName,
    });
  }
}
