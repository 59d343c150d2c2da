import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { CreateTopicCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { Harness } from "../support/harness";
import { DELETE_RULE } from "../support/testRules";

/** The sns sink publishes to a real (local) topic; a queue subscribed to it receives the alerts. */
describe("Cloud Connector: the SNS sink", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ name: "snssink", rawDelivery: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("publishes each alert as Falco JSON with its id, priority and rule as message attributes", async () => {
    const topic = await h.aws.sns.send(new CreateTopicCommand({ Name: "snssink-alerts" }));
    const inbox = await h.aws.sqs.send(new CreateQueueCommand({ QueueName: "snssink-inbox" }));
    const inboxArn = (await h.aws.sqs.send(new GetQueueAttributesCommand({ QueueUrl: inbox.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn;
    await h.aws.sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: "sqs", Endpoint: inboxArn }));

    await h.startConnector({ S3GUARD_ALERTS: "sns", S3GUARD_SNS_TOPIC_ARN: topic.TopicArn!, S3GUARD_MIN_PRIORITY: "warning" });
    // Raw delivery on the notifications subscription: the body is CloudTrail's notification itself.
    await deliverLogFile(h.aws, h.pipeline, cloudTrailKey("123456789012", "us-east-1", new Date(), "sns"), {
      records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "published", seed: "sns-1" })],
    });

    const res = await h.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: inbox.QueueUrl, WaitTimeSeconds: 15, MaxNumberOfMessages: 10 }));
    expect(res.Messages).toHaveLength(1);
    const envelope = JSON.parse(res.Messages![0].Body!);
    const alert = JSON.parse(envelope.Message);
    expect(alert).toMatchObject({ rule: DELETE_RULE, priority: "Warning", source: "aws_cloudtrail", output_fields: { "s3.key": "published" } });
    expect(envelope.Subject).toBe(`s3guard Warning: ${DELETE_RULE}`);
    expect(envelope.MessageAttributes.alert_id.Value).toMatch(/^[0-9a-f]{40}$/);
    expect(envelope.MessageAttributes.priority.Value).toBe("Warning");
  });
});
