import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { queuePolicy } from "../policies/connectorPolicies";

export interface EventQueueArgs {
  /**
   * Topics announcing log files; the queue subscribes to each, in the topic's region when it is
   * given (SNS takes a subscription only in the topic's region; it then delivers across regions).
   */
  readonly topics: readonly { readonly arn: pulumi.Input<string>; readonly region?: string }[];
  /** Log buckets that may send their S3 event notifications to the queue (set up on the bucket's side). */
  readonly notifyingBucketArns?: pulumi.Input<readonly string[]>;
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutSeconds: number;
  readonly alarmTopicArn?: string;
  readonly tags: pulumi.Input<Record<string, string>>;
}

export interface EventQueue {
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly policy: aws.sqs.QueuePolicy;
  /** One per topic, in the order of `topics`. */
  readonly subscriptions: aws.sns.TopicSubscription[];
  readonly deadLetterAlarm: aws.cloudwatch.MetricAlarm;
}

const FOUR_DAYS = 4 * 24 * 3600;
const FOURTEEN_DAYS = 14 * 24 * 3600;

/**
 * The queue between the trail's topic and the connector, with a dead-letter queue for messages the
 * connector failed on `maxReceiveCount` times and an alarm as soon as one lands there.
 */
export function eventQueue(name: string, args: EventQueueArgs, parent: pulumi.Resource): EventQueue {
  // SSE-SQS, not the AWS-managed KMS key: SNS cannot use `alias/aws/sqs` (its key policy cannot be
  // changed), so deliveries into a queue under that key fail silently.
  const encryption = { sqsManagedSseEnabled: true };
  const deadLetterQueue = new aws.sqs.Queue(
    `${name}-dlq`,
    // Longer than the source queue: a message keeps its original enqueue time when it moves here.
    { ...encryption, messageRetentionSeconds: FOURTEEN_DAYS, tags: args.tags },
    { parent },
  );
  const queue = new aws.sqs.Queue(
    name,
    {
      ...encryption,
      messageRetentionSeconds: FOUR_DAYS,
      visibilityTimeoutSeconds: args.visibilityTimeoutSeconds,
      // Long polling: fewer empty receives, fewer billed requests.
      receiveWaitTimeSeconds: 20,
      redrivePolicy: deadLetterQueue.arn.apply((arn) =>
        JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: args.maxReceiveCount }),
      ),
      tags: args.tags,
    },
    { parent },
  );
  const policy = new aws.sqs.QueuePolicy(
    name,
    {
      queueUrl: queue.url,
      policy: pulumi
        .all([queue.arn, pulumi.all(args.topics.map((t) => t.arn)), pulumi.output(args.notifyingBucketArns ?? [])])
        .apply(([q, topicArns, bucketArns]) => JSON.stringify(queuePolicy(q, { topicArns, bucketArns }))),
    },
    { parent },
  );
  // The first keeps the name it always had, so an existing stack's subscription is not replaced.
  const subscriptions = args.topics.map(
    (topic, i) =>
      new aws.sns.TopicSubscription(
        i === 0 ? name : `${name}-${i + 1}`,
        { topic: topic.arn, protocol: "sqs", endpoint: queue.arn, ...(topic.region !== undefined ? { region: topic.region } : {}) },
        // Until the queue policy exists SNS may not send, and notifications published meanwhile are lost.
        { parent, dependsOn: [policy] },
      ),
  );
  const actions = args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : [];
  const deadLetterAlarm = new aws.cloudwatch.MetricAlarm(
    `${name}-dlq-depth`,
    {
      alarmDescription:
        "Notifications the Cloud Connector failed to process; their log files were not scanned. Inspect and redrive the dead-letter queue.",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: deadLetterQueue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      // An idle queue publishes no metrics; no data means nothing failed.
      treatMissingData: "notBreaching",
      alarmActions: actions,
      okActions: actions,
      tags: args.tags,
    },
    { parent },
  );
  return { queue, deadLetterQueue, policy, subscriptions, deadLetterAlarm };
}
