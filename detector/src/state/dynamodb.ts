import { createHash } from "node:crypto";
import { type AttributeValue, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDbDeliveryLedger } from "./deliveryLedger";
import { defaultStateBudget } from "./memory";
import { newStoreMetrics, type DocKey, type SaveRequest, type StateDoc, type StateStore, type StoreMetrics } from "./store";

/**
 * State in a DynamoDB table, shared by every connector task that consumes the same queue, and kept
 * across task restarts.
 *
 * Table contract (the CloudConnector component creates it so): partition key `pk` (S), sort key
 * `sk` (S), TTL attribute `expiresAt` (N, epoch seconds), on-demand billing, encryption at rest.
 * The task needs `dynamodb:GetItem` and `PutItem` on the table (and `Query`, kept for older
 * layouts), nothing else.
 *
 * Items: one per group and kind of state, `pk` = `<rule scope>/<kind>#<hash of the group>`, `sk` =
 * `doc`, `d` = the document (JSON), `ver` = its version; a sequence's waiting follower records
 * beside it, `sk` = `r#<event key>`. A batch writes each group's document once, conditional on the
 * version this task holds (documents are cached), or on there being none when it holds none; a
 * document is read only when that write fails. All the groups of a round at once, up to
 * `parallel` calls in flight.
 *
 * The guarantees the rule logic relies on are DynamoDB's own: a conditional PutItem is atomic on
 * its item, and a strongly consistent GetItem sees every write that completed before it.
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
  /** Calls in flight at once. Default 32. */
  parallel?: number;
  /** Memory for cached documents, in bytes (see defaultStateBudget). */
  cacheBytes?: number;
  /** Wall clock in milliseconds (tests). */
  now?: () => number;
}

interface Cached {
  doc: StateDoc;
  version: number;
  bytes: number;
}

const DOC = "doc";

export class DynamoDbStore implements StateStore {
  readonly table: string;
  private readonly client: DynamoDBClient;
  private readonly ownsClient: boolean;
  private readonly minimumLifetime: number;
  private readonly parallel: number;
  private readonly cacheBytes: number;
  private readonly now: () => number;
  /** Documents as this task last read or wrote them, least recently used first. */
  private readonly cache = new Map<string, Cached>();
  private cachedBytes = 0;
  private readonly counts = newStoreMetrics();

  constructor(options: DynamoDbStoreOptions) {
    this.table = options.table;
    this.ownsClient = !options.client;
    this.client = options.client ?? new DynamoDBClient({});
    this.minimumLifetime = options.minimumLifetimeSeconds ?? 2 * 3600;
    this.parallel = options.parallel ?? 32;
    this.cacheBytes = options.cacheBytes ?? defaultStateBudget();
    this.now = options.now ?? Date.now;
  }

  /**
   * Nothing is read: a document this task does not hold is taken to be new, and its first write
   * is conditional on there being none. Most such documents are new (a group's first match), so
   * this saves a read each; when one exists after all (another task wrote it, or it left the
   * cache), the write fails, the document is read, and the round folds its matches again.
   */
  async load(_keys: readonly DocKey[]): Promise<void> {}

  get(key: DocKey): StateDoc | undefined {
    return this.cache.get(keyText(key))?.doc;
  }

  async save(docs: readonly SaveRequest[]): Promise<DocKey[]> {
    // Waiting records first: a task that sees a document naming one can read it.
    const records: { key: DocKey; id: string; text: string; expiresAt: number }[] = [];
    for (const { key, doc, meta } of docs) for (const [id, text] of Object.entries(doc.recs ?? {})) records.push({ key, id, text, expiresAt: meta.expiresAt });
    try {
      await this.inParallel(records, async (r) => void (await this.put(r.key, `r#${r.id}`, { d: { S: r.text } }, r.expiresAt)));
    } catch (e) {
      for (const { key } of docs) this.forget(key);
      throw e;
    }
    const lost: DocKey[] = [];
    let failure: unknown;
    await this.inParallel(docs, async ({ key, doc, meta }) => {
      const k = keyText(key);
      const version = this.cache.get(k)?.doc === doc ? this.cache.get(k)!.version : 0;
      const text = JSON.stringify(doc, (name, v) => (name === "recs" ? undefined : v));
      try {
        const ok = await this.put(key, DOC, { d: { S: text }, ver: { N: String(version + 1) } }, meta.expiresAt, version);
        if (ok) {
          delete doc.recs;
          this.remember(k, { doc, version: version + 1, bytes: meta.bytes });
          return;
        }
        this.counts.conflicts++;
        lost.push(key);
        this.forget(key);
        await this.read(key);
      } catch (e) {
        this.forget(key);
        failure ??= e;
      }
    });
    if (failure) throw failure;
    return lost;
  }

  async records(key: DocKey, ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const recs = this.get(key)?.recs ?? {};
    const missing = ids.filter((id) => (recs[id] !== undefined ? (out.set(id, recs[id]), false) : true));
    await this.inParallel(missing, async (id) => {
      this.counts.reads++;
      const res = await this.client.send(new GetItemCommand({ TableName: this.table, Key: this.itemKey(key, `r#${id}`), ConsistentRead: true }));
      const text = res.Item?.d?.S;
      if (text !== undefined) out.set(id, text);
    });
    return out;
  }

  advanceTo(): void {
    // Items expire through the table's TTL.
  }

  metrics(): StoreMetrics {
    return { ...this.counts, groups: this.cache.size, bytes: this.cachedBytes };
  }

  /** The ledger of delivered alerts, in the same table (see deliveryLedger.ts). */
  deliveryLedger(options: { leaseSeconds?: number; rememberSeconds?: number } = {}): DynamoDbDeliveryLedger {
    return new DynamoDbDeliveryLedger({ table: this.table, client: this.client, now: this.now, ...options });
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }

  private async read(key: DocKey): Promise<void> {
    this.counts.reads++;
    const res = await this.client.send(new GetItemCommand({ TableName: this.table, Key: this.itemKey(key, DOC), ConsistentRead: true }));
    const text = res.Item?.d?.S;
    if (text === undefined) return;
    this.remember(keyText(key), { doc: JSON.parse(text) as StateDoc, version: Number(res.Item?.ver?.N ?? 0), bytes: 64 + 2 * text.length });
  }

  /** A write; with `version`, only over that version (0: only if there is none). False when another writer won. */
  private async put(key: DocKey, sk: string, attrs: Record<string, AttributeValue>, expiresAtUs: number, version?: number): Promise<boolean> {
    const eventExpiry = Math.ceil(expiresAtUs / 1e6);
    const floor = Math.floor(this.now() / 1000) + this.minimumLifetime;
    const condition =
      version === undefined ? {} : version === 0 ? { ConditionExpression: "attribute_not_exists(pk)" } : { ConditionExpression: "ver = :v", ExpressionAttributeValues: { ":v": { N: String(version) } } };
    this.counts.writes++;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          // `expiresAt` is DynamoDB's TTL; `x` the event-time expiry.
          Item: { ...this.itemKey(key, sk), ...attrs, expiresAt: { N: String(Math.max(eventExpiry, floor)) }, x: { N: String(eventExpiry) } },
          ...condition,
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === "ConditionalCheckFailedException") return false;
      throw e;
    }
  }

  private itemKey(key: DocKey, sk: string): Record<string, AttributeValue> {
    return { pk: { S: `${key.scope}#${groupHash(key.group)}` }, sk: { S: sk } };
  }

  private remember(k: string, entry: Cached): void {
    this.forgetText(k);
    this.cache.set(k, entry);
    this.cachedBytes += entry.bytes;
    // The cache is only a cache: dropping documents costs a read, never a window.
    for (const [old, e] of this.cache) {
      if (this.cachedBytes <= this.cacheBytes) break;
      this.cache.delete(old);
      this.cachedBytes -= e.bytes;
    }
  }

  private forget(key: DocKey): void {
    this.forgetText(keyText(key));
  }

  private forgetText(k: string): void {
    const e = this.cache.get(k);
    if (!e) return;
    this.cache.delete(k);
    this.cachedBytes -= e.bytes;
  }

  /** Runs `fn` on every item, at most `parallel` at a time. */
  private async inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.parallel, items.length) }, worker));
  }
}

/** A fixed-size name for a group (partition keys must stay short): `all` for the group of every match. */
function groupHash(group: string): string {
  return group === "[]" ? "all" : createHash("sha256").update(group).digest("hex").slice(0, 32);
}

function keyText(key: DocKey): string {
  return `${key.scope}\0${key.group}`;
}
