import {
  type AttributeValue,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
} from "@aws-sdk/client-dynamodb";
import { DynamoDbDeliveryLedger } from "./deliveryLedger";
import type { Partition, RangeOptions, StateItem, StateStore, StoreMetrics } from "./store";

/**
 * State in a DynamoDB table, shared by every connector task that consumes the same queue, and kept
 * across task restarts.
 *
 * Table contract (the CloudConnector component creates it so): partition key `pk` (S), sort key
 * `sk` (S), TTL attribute `expiresAt` (N, epoch seconds), on-demand billing, encryption at rest.
 * The task needs `dynamodb:GetItem`, `PutItem` and `Query` on the table, nothing else.
 *
 * Item layout: `pk` = `<scope>#<group>` (rule and kind, hash of the group values), `sk` as the rule
 * logic chooses (`e#<time>#<eventID>` for a counted match, `ep` for a group's alert episodes...),
 * `d` = the item's text, `ver` = its version for optimistic concurrency.
 *
 * The guarantees the rule logic relies on are DynamoDB's own: a conditional PutItem is atomic on
 * its item, and strongly consistent reads (GetItem, Query with ConsistentRead) see every write that
 * completed before them.
 */

export interface DynamoDbStoreOptions {
  table: string;
  /** Default: a client configured from the environment (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB...). */
  client?: DynamoDBClient;
  /**
   * TTL floor, in seconds: an item is kept at least this long after it is written, even when its
   * event time is old (replaying old logs through the connector). Default 2 hours.
   */
  minimumLifetimeSeconds?: number;
  /** Wall clock in milliseconds (tests). */
  now?: () => number;
}

export class DynamoDbStore implements StateStore {
  readonly table: string;
  private readonly client: DynamoDBClient;
  private readonly ownsClient: boolean;
  private readonly minimumLifetime: number;
  private readonly now: () => number;
  private readonly counts: StoreMetrics = { evictedGroups: 0, evictedItems: 0, conflicts: 0 };

  constructor(options: DynamoDbStoreOptions) {
    this.table = options.table;
    this.ownsClient = !options.client;
    this.client = options.client ?? new DynamoDBClient({});
    this.minimumLifetime = options.minimumLifetimeSeconds ?? 2 * 3600;
    this.now = options.now ?? Date.now;
  }

  async putIfAbsent(p: Partition, item: StateItem): Promise<boolean> {
    return this.conditionalPut(p, item, "attribute_not_exists(pk)");
  }

  async get(p: Partition, sk: string): Promise<StateItem | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: { S: pkOf(p) }, sk: { S: sk } }, ConsistentRead: true }),
    );
    return out.Item ? fromAttributes(out.Item) : undefined;
  }

  async putIfVersion(p: Partition, item: StateItem, expected: number | undefined): Promise<boolean> {
    if (expected === undefined) return this.conditionalPut(p, item, "attribute_not_exists(pk)");
    return this.conditionalPut(p, item, "ver = :expected", { ":expected": { N: String(expected) } });
  }

  async range(p: Partition, from: string, to: string, options: RangeOptions): Promise<StateItem[]> {
    if (from > to || options.limit <= 0) return [];
    const out: StateItem[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: { ":pk": { S: pkOf(p) }, ":from": { S: from }, ":to": { S: to } },
          ConsistentRead: true,
          ScanIndexForward: !options.descending,
          Limit: options.limit - out.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const it of page.Items ?? []) out.push(fromAttributes(it));
      start = page.LastEvaluatedKey;
    } while (start && out.length < options.limit);
    return out;
  }

  metrics(): StoreMetrics {
    return { ...this.counts };
  }

  /** The ledger of delivered alerts, in the same table (see deliveryLedger.ts). */
  deliveryLedger(options: { leaseSeconds?: number; rememberSeconds?: number } = {}): DynamoDbDeliveryLedger {
    return new DynamoDbDeliveryLedger({ table: this.table, client: this.client, now: this.now, ...options });
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }

  private async conditionalPut(p: Partition, item: StateItem, condition: string, values?: Record<string, AttributeValue>): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: this.toAttributes(p, item),
          ConditionExpression: condition,
          ...(values ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === "ConditionalCheckFailedException") {
        this.counts.conflicts++;
        return false;
      }
      throw e;
    }
  }

  private toAttributes(p: Partition, item: StateItem): Record<string, AttributeValue> {
    const floor = Math.floor(this.now() / 1000) + this.minimumLifetime;
    const attrs: Record<string, AttributeValue> = {
      pk: { S: pkOf(p) },
      sk: { S: item.sk },
      expiresAt: { N: String(Math.max(item.expiresAt, floor)) },
      // The event-time expiry, which the rule logic reads back; `expiresAt` is DynamoDB's TTL.
      x: { N: String(item.expiresAt) },
    };
    if (item.data !== undefined) attrs.d = { S: item.data };
    if (item.version !== undefined) attrs.ver = { N: String(item.version) };
    return attrs;
  }
}

function pkOf(p: Partition): string {
  return `${p.scope}#${p.group}`;
}

function fromAttributes(a: Record<string, AttributeValue>): StateItem {
  const item: StateItem = { sk: a.sk?.S ?? "", expiresAt: Number(a.x?.N ?? a.expiresAt?.N ?? 0) };
  if (a.d?.S !== undefined) item.data = a.d.S;
  if (a.ver?.N !== undefined) item.version = Number(a.ver.N);
  return item;
}
