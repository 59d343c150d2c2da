import { DescribeHubCommand, type SecurityHubClient } from "@aws-sdk/client-securityhub";
import { partitionOf, type FindingContext } from "./asff";

/** The account in a queue URL: `https://sqs.<region>.amazonaws.com/<account>/<name>`. */
export function accountOfQueueUrl(queueUrl: string): string | undefined {
  return /^https?:\/\/[^/]+\/(\d{12})\/[^/]+$/.exec(queueUrl)?.[1];
}

/**
 * The connector's findings belong to the account it runs in, which owns its queue (the stack
 * creates both): the account is read from the queue URL, which needs no extra permission or call.
 * The region is the Security Hub client's.
 */
export function findingContextFromQueue(queueUrl: string): (hub: SecurityHubClient) => () => Promise<FindingContext> {
  return (hub) => once(async () => {
    const accountId = accountOfQueueUrl(queueUrl);
    if (!accountId) throw new Error(`cannot tell the AWS account from S3GUARD_QUEUE_URL ${queueUrl}; Security Hub findings need it`);
    const region = await hub.config.region();
    return { accountId, region, partition: partitionOf(region) };
  });
}

/** Outside the connector (`s3guard scan`), the account is the hub's own, read with DescribeHub. */
export function findingContextFromHub(hub: SecurityHubClient): () => Promise<FindingContext> {
  return once(async () => {
    const res = await hub.send(new DescribeHubCommand({}));
    const accountId = /^arn:[^:]+:securityhub:[^:]+:(\d{12}):/.exec(res.HubArn ?? "")?.[1];
    if (!accountId) throw new Error("Security Hub did not name its account (DescribeHub); is it enabled in this region?");
    const region = await hub.config.region();
    return { accountId, region, partition: partitionOf(region) };
  });
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let done: T | undefined;
  return async () => (done ??= await make());
}
