import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Key schema of the state table; the detector's stateful rules rely on it. */
export const STATE_TABLE_KEYS = { partitionKey: "pk", sortKey: "sk", ttlAttribute: "expiresAt" } as const;

/**
 * Shared state for stateful rules when several tasks may run (each task sees only some log files).
 * On-demand billing: nothing is paid while it is idle. Items expire through the TTL attribute.
 */
export function stateTable(name: string, tags: pulumi.Input<Record<string, string>>, parent: pulumi.Resource): aws.dynamodb.Table {
  const { partitionKey, sortKey, ttlAttribute } = STATE_TABLE_KEYS;
  return new aws.dynamodb.Table(
    name,
    {
      billingMode: "PAY_PER_REQUEST",
      hashKey: partitionKey,
      rangeKey: sortKey,
      attributes: [
        { name: partitionKey, type: "S" },
        { name: sortKey, type: "S" },
      ],
      ttl: { attributeName: ttlAttribute, enabled: true },
      serverSideEncryption: { enabled: true },
      tags,
    },
    { parent },
  );
}
