import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface QueueDepthScalingArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: string;
  readonly queueName: pulumi.Input<string>;
  readonly minTasks: number;
  readonly maxTasks: number;
  /** Visible messages at which one task is added (two at twice as many). */
  readonly scaleOutQueueDepth: number;
  /** The service; the scalable target can only be registered once it exists. */
  readonly service: pulumi.Resource;
  readonly tags: pulumi.Input<Record<string, string>>;
}

export interface QueueDepthScaling {
  readonly target: aws.appautoscaling.Target;
  readonly scaleOut: aws.appautoscaling.Policy;
  readonly scaleIn: aws.appautoscaling.Policy;
  readonly scaleOutAlarm: aws.cloudwatch.MetricAlarm;
  readonly scaleInAlarm: aws.cloudwatch.MetricAlarm;
}

/**
 * Step scaling of the service's task count on its queue: out when messages wait, in when the queue
 * is empty and nothing is in flight. Step policies (not target tracking) because raw queue depth is
 * not a per-task load, and because an idle queue stops publishing metrics: the scale-in alarm treats
 * missing data as "empty", the scale-out alarm as "nothing waiting".
 */
export function queueDepthScaling(name: string, args: QueueDepthScalingArgs, parent: pulumi.Resource): QueueDepthScaling {
  const target = new aws.appautoscaling.Target(
    name,
    {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${args.clusterName}/${args.serviceName}`,
      minCapacity: args.minTasks,
      maxCapacity: args.maxTasks,
      tags: args.tags,
    },
    // RegisterScalableTarget fails for a service that does not exist yet, and the resource ID is
    // built from names, not from the service's outputs.
    { parent, dependsOn: [args.service] },
  );
  const onTarget = {
    policyType: "StepScaling",
    resourceId: target.resourceId,
    scalableDimension: target.scalableDimension,
    serviceNamespace: target.serviceNamespace,
  };
  const depth = args.scaleOutQueueDepth;
  const scaleOut = new aws.appautoscaling.Policy(
    `${name}-out`,
    {
      ...onTarget,
      stepScalingPolicyConfiguration: {
        adjustmentType: "ChangeInCapacity",
        cooldown: 60,
        metricAggregationType: "Maximum",
        // Bounds are relative to the alarm threshold (depth).
        stepAdjustments: [
          { metricIntervalLowerBound: "0", metricIntervalUpperBound: String(depth), scalingAdjustment: 1 },
          { metricIntervalLowerBound: String(depth), scalingAdjustment: 2 },
        ],
      },
    },
    { parent },
  );
  const scaleIn = new aws.appautoscaling.Policy(
    `${name}-in`,
    {
      ...onTarget,
      stepScalingPolicyConfiguration: {
        adjustmentType: "ChangeInCapacity",
        cooldown: 300,
        metricAggregationType: "Maximum",
        stepAdjustments: [{ metricIntervalUpperBound: "0", scalingAdjustment: -1 }],
      },
    },
    { parent },
  );
  const queueMetric = (id: string, metricName: string, returnData: boolean) => ({
    id,
    returnData,
    metric: { namespace: "AWS/SQS", metricName, dimensions: { QueueName: args.queueName }, period: 60, stat: "Maximum" },
  });
  const scaleOutAlarm = new aws.cloudwatch.MetricAlarm(
    `${name}-out`,
    {
      alarmDescription: "Cloud Connector queue has a backlog: add tasks",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: args.queueName },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      threshold: depth,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [scaleOut.arn],
      tags: args.tags,
    },
    { parent },
  );
  const scaleInAlarm = new aws.cloudwatch.MetricAlarm(
    `${name}-in`,
    {
      alarmDescription: "Cloud Connector queue empty and nothing in flight for 15 minutes: remove a task",
      metricQueries: [
        queueMetric("visible", "ApproximateNumberOfMessagesVisible", false),
        queueMetric("inflight", "ApproximateNumberOfMessagesNotVisible", false),
        { id: "backlog", expression: "visible + inflight", label: "Messages waiting or in flight", returnData: true },
      ],
      evaluationPeriods: 15,
      threshold: 0,
      comparisonOperator: "LessThanOrEqualToThreshold",
      treatMissingData: "breaching",
      alarmActions: [scaleIn.arn],
      tags: args.tags,
    },
    { parent },
  );
  return { target, scaleOut, scaleIn, scaleOutAlarm, scaleInAlarm };
}
