import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";

/**
 * Which alert ids each sink has accepted, shared by every connector task through the state table,
 * so an alert is sent once per sink across tasks: two tasks reading the same records (two trails
 * sharing a bucket, a message taken again after its visibility timeout) both raise the alert, and
 * only the one that claims it sends it.
 *
 * A claim is a lease: the claiming task sends, then marks the id sent, or gives the claim back when
 * the sink refused. A task that dies while sending leaves its claim to run out, after which any task
 * that raises the alert again (the redelivered message) claims and sends it: an alert is never lost
 * to a claim, and is sent twice only if a task dies between the sink accepting it and the mark.
 *
 * Items: `pk` = `d#<sink>#<alert id>`, `sk` = `d`; `st` = `sending` or `sent`, `owner` the claiming
 * task, `lease` (epoch ms) until when the claim holds; `expiresAt` the table's TTL.
 */

export type ClaimOutcome =
  /** This task sends it. */
  | "mine"
  /** A sink accepted it already (this task or another). */
  | "sent"
  /** Another task is sending it right now. */
  | "busy";

export interface SharedDeliveryLedger {
  claim(sink: string, alertId: string): Promise<ClaimOutcome>;
  /** The sink accepted (`accepted`) or refused the alert this task claimed. */
  settle(sink: string, alertId: string, accepted: boolean): Promise<void>;
  /** How long a claim holds, in milliseconds: a task waiting for another's send waits this long at most. */
  readonly leaseMs: number;
}

export interface DynamoDbLedgerOptions {
  table: string;
  client: DynamoDBClient;
  /** How long a claim holds while its sink is being sent to. Default 60 s. */
  leaseSeconds?: number;
  /** How long an accepted id is remembered. Default one hour. */
  rememberSeconds?: number;
  /** Names this task in its claims. */
  owner?: string;
  now?: () => number;
}

export class DynamoDbDeliveryLedger implements SharedDeliveryLedger {
  readonly leaseMs: number;
  private readonly rememberSeconds: number;
  private readonly owner: string;
  private readonly now: () => number;

  constructor(private readonly options: DynamoDbLedgerOptions) {
    this.leaseMs = (options.leaseSeconds ?? 60) * 1000;
    this.rememberSeconds = options.rememberSeconds ?? 3600;
    this.owner = options.owner ?? `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    this.now = options.now ?? Date.now;
  }

  async claim(sink: string, alertId: string): Promise<ClaimOutcome> {
    const now = this.now();
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.table,
          Item: this.item(sink, alertId, "sending", now + this.leaseMs),
          // Free, or a claim whose lease ran out (its task died, or gave it back).
          ConditionExpression: "attribute_not_exists(pk) OR (st = :sending AND lease < :now)",
          ExpressionAttributeValues: { ":sending": { S: "sending" }, ":now": { N: String(now) } },
        }),
      );
      return "mine";
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException) && (e as { name?: string }).name !== "ConditionalCheckFailedException") throw e;
    }
    const out = await this.options.client.send(new GetItemCommand({ TableName: this.options.table, Key: this.key(sink, alertId), ConsistentRead: true }));
    // Gone between the two calls (expired): the next claim takes it.
    if (!out.Item) return "busy";
    return out.Item.st?.S === "sent" ? "sent" : "busy";
  }

  async settle(sink: string, alertId: string, accepted: boolean): Promise<void> {
    if (accepted) {
      await this.options.client.send(new PutItemCommand({ TableName: this.options.table, Item: this.item(sink, alertId, "sent", 0) }));
      return;
    }
    // Given back at once, so a redelivery need not wait for the lease; only if still ours.
    try {
      await this.options.client.send(
        new PutItemCommand({
          TableName: this.options.table,
          Item: this.item(sink, alertId, "sending", 0),
          ConditionExpression: "#o = :me",
          ExpressionAttributeNames: { "#o": "owner" },
          ExpressionAttributeValues: { ":me": { S: this.owner } },
        }),
      );
    } catch (e) {
      if ((e as { name?: string }).name !== "ConditionalCheckFailedException") throw e;
    }
  }

  private key(sink: string, alertId: string) {
    return { pk: { S: `d#${sink}#${alertId}` }, sk: { S: "d" } };
  }

  private item(sink: string, alertId: string, st: "sending" | "sent", lease: number) {
    const expiresAt = Math.ceil((this.now() + this.leaseMs) / 1000) + this.rememberSeconds;
    return {
      ...this.key(sink, alertId),
      st: { S: st },
      owner: { S: this.owner },
      lease: { N: String(lease) },
      expiresAt: { N: String(expiresAt) },
    };
  }
}
