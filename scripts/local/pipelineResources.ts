import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { LocalAws } from "./localAws";

/** What the s3guard stack creates around the connector, by name. */
export interface Pipeline {
  logBucket: string;
  rulesBucket: string;
  topicArn: string;
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
}

export interface PipelineOptions {
  /** Prefix for every name, so several pipelines share one endpoint. */
  name: string;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** SNS raw message delivery (the body is then the notification itself, not the SNS envelope). */
  rawDelivery?: boolean;
}

/** Log bucket, rules bucket, delivery topic, queue with a dead-letter queue, and the subscription. */
export async function createPipeline(aws: LocalAws, options: PipelineOptions): Promise<Pipeline> {
  const n = options.name;
  const logBucket = `${n}-trail-logs`;
  const rulesBucket = `${n}-rules`;
  await aws.s3.send(new CreateBucketCommand({ Bucket: logBucket }));
  await aws.s3.send(new CreateBucketCommand({ Bucket: rulesBucket }));
  const dlq = await aws.sqs.send(new CreateQueueCommand({ QueueName: `${n}-dlq` }));
  const dlqArn = await queueArn(aws, dlq.QueueUrl!);
  const queue = await aws.sqs.send(
    new CreateQueueCommand({
      QueueName: `${n}-notifications`,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: options.maxReceiveCount }),
      },
    }),
  );
  const arn = await queueArn(aws, queue.QueueUrl!);
  const topic = await aws.sns.send(new CreateTopicCommand({ Name: `${n}-deliveries` }));
  await aws.sns.send(
    new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: "sqs", Endpoint: arn, Attributes: options.rawDelivery ? { RawMessageDelivery: "true" } : undefined }),
  );
  return { logBucket, rulesBucket, topicArn: topic.TopicArn!, queueUrl: queue.QueueUrl!, queueArn: arn, dlqUrl: dlq.QueueUrl! };
}

async function queueArn(aws: LocalAws, url: string): Promise<string> {
  const res = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
  return res.Attributes!.QueueArn!;
}

/** Visible plus in-flight messages of a queue. */
export async function queueDepth(aws: LocalAws, url: string): Promise<{ visible: number; inFlight: number }> {
  const res = await aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return { visible: Number(res.Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(res.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
}
