import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { CONNECTOR_DEFAULTS } from "./configConnector";
import { CloudConnectorArgs } from "./connector/args";
import { secretUrlPort } from "./configSecret";
import { connectorEnvironment, connectorHealthCheck, RULES_PREFIX, WEBHOOK_URL_VARIABLE } from "./connector/environment";
import { eventQueue } from "./connector/eventQueue";
import { logSources } from "./connector/logSources";
import { connectorImage } from "./connector/image";
import { CONTEXT_KEY, deploymentContextFile } from "./deploymentContext";
import { connectorNetwork } from "./connector/network";
import { connectorRoles } from "./connector/roles";
import { rulesBucket } from "./connector/rulesBucket";
import { ContainerSecret, containerSecrets } from "./connector/secrets";
import { queueDepthScaling } from "./connector/scaling";
import { stateTable } from "./connector/stateTable";
import { ignoreAutoscaledDesiredCount } from "./connector/transforms";
import { rulesBucketResourceName } from "./naming";
import { bucketArn } from "./policies/arns";
import { componentTags } from "./tags";

export type { CloudConnectorArgs } from "./connector/args";

/** TCP ports other than 443 the outputs post to: their plain URLs, and URLs kept as stack secrets. */
function outputPorts(args: CloudConnectorArgs): number[] {
  const port = (url: string) => new URL(url).port;
  const plain = (args.outputs ?? []).flatMap((o) => ("url" in o ? [typeof o.url === "string" ? o.url : "value" in o.url ? o.url.value : undefined] : [])).filter((u): u is string => u !== undefined).map(port);
  const secret = (args.outputSecrets ?? []).filter((s) => s.key === "url").map((s) => secretUrlPort(s.setting));
  return [...plain.filter((p) => p !== "").map(Number), ...secret.filter((p): p is number => p !== undefined)];
}

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

    const existing = args.existingTrail;
    if (args.topicArn === undefined && existing === undefined) {
      throw new pulumi.ResourceError("CloudConnector reads nothing: give the kit's trail (topicArn, logBucketName) or an existingTrail.", this);
    }
    // The kit's own trail, an existing trail, or both.
    const sources = pulumi
      .all([args.logBucketName, args.topicArn, args.logKmsKeyArn])
      .apply(([logBucketName, topicArn, kmsKeyArn]) => logSources({ logBucketName, topicArn, kmsKeyArn }, existing));
    const context = args.context ?? {};
    const contextContent = pulumi
      .all([
        partition,
        accountId,
        sources.logBuckets,
        context.organizationId,
        pulumi.all([...(context.trails ?? [])]),
        pulumi.all([...(context.dataOnlyTrails ?? [])]),
        pulumi.all([...(args.accountIds ?? [])]),
      ])
      .apply(([p, account, buckets, organizationId, trails, dataOnlyTrails, keptAccounts]) =>
        deploymentContextFile({
          stack: pulumi.getStack(),
          partition: p,
          logBuckets: buckets,
          watchedBuckets: context.watchedBuckets ?? [],
          // The accounts kept from an organization or existing trail are the deployment's own too.
          accountIds: [account, ...keptAccounts],
          organizationIds: organizationId ? [organizationId] : [],
          trails,
          dataOnlyTrails,
          trustedAccounts: context.trustedAccounts ?? [],
          trustedNetworks: context.trustedNetworks ?? [],
        }),
      );
    const rules = rulesBucket(
      rulesBucketResourceName(name),
      { rulesDir: args.rulesDir, prefix: RULES_PREFIX, partition, tags, context: { key: CONTEXT_KEY, content: contextContent } },
      this,
    );
    this.rulesBucket = rules.bucket;
    this.rulesBucketName = rules.bucket.bucket;

    const events = eventQueue(
      `${name}-events`,
      {
        // As many subscriptions as topics, known now (the topics' ARNs may not be yet). The existing
        // trail's topic may be in another region, its home region: it is subscribed to from there.
        topics: [
          ...(args.topicArn !== undefined ? [{ arn: args.topicArn }] : []),
          ...(existing?.snsTopicArn !== undefined ? [{ arn: existing.snsTopicArn, region: existing.snsTopicArn.split(":")[3] }] : []),
        ],
        notifyingBucketArns: pulumi.all([partition, sources.notifyingBuckets]).apply(([p, buckets]) => buckets.map((b) => bucketArn(p, b))),
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
      { name: args.logGroupName ?? name, retentionInDays: args.logRetentionDays ?? d.logRetentionDays, tags },
      { parent },
    );
    this.logGroupName = this.logGroup.name;

    // Several tasks each see only some log files; stateful rules need state they all share.
    this.stateTable = maxTasks > 1 ? stateTable(`${name}-state`, tags, this) : undefined;

    const webhookSecret: ContainerSecret[] =
      args.webhookUrl !== undefined && alerts.includes("webhook") ? [{ name: WEBHOOK_URL_VARIABLE, setting: args.webhookUrl }] : [];
    // Each output credential reaches the container as the variable its shipped output names (KEYEnv).
    const outputSecrets: ContainerSecret[] = (args.outputSecrets ?? []).map((s) => ({ name: s.variable, setting: s.setting }));
    const secrets = containerSecrets(name, [...webhookSecret, ...outputSecrets, ...(args.secrets ?? [])], tags, this);

    const image = connectorImage(name, { image: args.image, dockerContext: args.dockerContext ?? process.cwd(), partition, tags }, this);
    const roles = connectorRoles(
      name,
      {
        task: {
          partition,
          region,
          accountId,
          // Buckets read with the task role's own credentials; one behind a read role is read with the role's.
          logBucketArns: pulumi.all([partition, sources.ownCredentialBuckets]).apply(([p, buckets]) => buckets.map((b) => bucketArn(p, b))),
          readRoleArn: sources.apply((s) => s.readRole?.arn),
          rulesBucketArn: rules.bucket.arn,
          rulesPrefix: RULES_PREFIX,
          contextKey: CONTEXT_KEY,
          queueArn: events.queue.arn,
          logGroupArn: this.logGroup.arn,
          alerts,
          snsTopicArn: args.snsTopicArn,
          ...(args.outputs !== undefined ? { outputs: args.outputs } : {}),
          logKmsKeyArns: sources.kmsKeyArns,
          stateTableArn: this.stateTable?.arn,
        },
        logGroupArn: this.logGroup.arn,
        repositoryArn: image.repositoryArn,
        secrets: secrets.grants,
        tags,
      },
      this,
    );
    this.taskRole = roles.taskRole;
    this.executionRole = roles.executionRole;

    const network = connectorNetwork(
      name,
      {
        subnetIds: args.subnetIds ?? d.subnetIds,
        webhookPort: alerts.includes("webhook") ? secretUrlPort(args.webhookUrl) : undefined,
        extraPorts: outputPorts(args),
        tags,
      },
      this,
    );
    this.securityGroup = network.securityGroup;

    this.cluster = new aws.ecs.Cluster(name, { name, tags }, { parent });
    const environment = pulumi
      .all([events.queue.url, rules.bucket.bucket, region, this.logGroup.name, this.stateTable?.name, pulumi.all([...(args.accountIds ?? [])]), sources.readRole])
      .apply(([queueUrl, rulesBucketName, regionName, logGroupName, table, accountIds, readRole]) =>
        connectorEnvironment({
          queueUrl,
          rulesBucket: rulesBucketName,
          contextKey: CONTEXT_KEY,
          region: regionName,
          alerts,
          logGroupName,
          minimumPriority: args.minimumPriority ?? d.minimumPriority,
          ruleMatching: args.ruleMatching ?? d.ruleMatching,
          rulesReloadSeconds: args.rulesReloadSeconds ?? d.rulesReloadSeconds,
          ...(args.snsTopicArn !== undefined ? { snsTopicArn: args.snsTopicArn } : {}),
          ...(table !== undefined ? { stateTable: table } : {}),
          ...(args.outputs !== undefined ? { outputs: args.outputs } : {}),
          ...(readRole !== undefined ? { readRole } : {}),
          accountIds,
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
            // The detector writes nothing to disk; a read-only root leaves an intruder nowhere to drop tools.
            readonlyRootFilesystem: true,
            environment,
            secrets: secrets.secrets,
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
