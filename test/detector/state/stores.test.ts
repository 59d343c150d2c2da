import { createHash } from "node:crypto";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDbStore, MemoryStore, type StateDoc, type StateStore } from "../../../detector/src";
import { createStateTable, startDynalite, type LocalDynamo } from "../../support/dynalite";

/**
 * The store contract the stateful rules rely on, checked on both stores: the memory store, and the
 * DynamoDB store against dynalite over HTTP.
 */

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

const stores: [string, () => Promise<StateStore>][] = [
  ["memory", async () => new MemoryStore()],
  ["DynamoDB", async () => { const client = dynamo.client(); return new DynamoDbStore({ table: await createStateTable(client), client }); }],
];

const key = { scope: "rule/t", group: '["alice"]' };
const other = { scope: "rule/t", group: '["bob"]' };
const meta = { expiresAt: Date.parse("2024-05-01T13:00:00Z") * 1000, keep: 1, bytes: 100 };
const doc = (m: number, extra: Record<string, unknown> = {}): StateDoc => ({ k: "t", m, ...extra });

describe.each(stores)("%s store", (_name, make) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await make();
  });

  it("gives back the documents it saved, by key", async () => {
    await store.load([key, other]);
    expect(store.get(key)).toBeUndefined();
    expect(await store.save([{ key, doc: doc(1, { p: [1, 2] }), meta }])).toEqual([]);
    await store.load([key, other]);
    expect(store.get(key)).toEqual(doc(1, { p: [1, 2] }));
    expect(store.get(other)).toBeUndefined();
  });

  it("saves a document changed in place again, over the version it holds", async () => {
    await store.save([{ key, doc: doc(1), meta }]);
    await store.load([key]);
    const d = store.get(key)!;
    d.m = 2;
    expect(await store.save([{ key, doc: d, meta }])).toEqual([]);
    d.m = 3;
    expect(await store.save([{ key, doc: d, meta }])).toEqual([]);
    await store.load([key]);
    expect(store.get(key)?.m).toBe(3);
  });

  it("keeps records beside a document and gives them back", async () => {
    await store.save([{ key, doc: doc(1, { recs: { e1: '{"eventID":"e1"}', e2: '{"eventID":"e2"}' } }), meta }]);
    const recs = await store.records(key, ["e1", "e2", "e3"]);
    expect([...recs]).toEqual([
      ["e1", '{"eventID":"e1"}'],
      ["e2", '{"eventID":"e2"}'],
    ]);
  });
});

describe("memory store", () => {
  const at = (scope: string, group: string) => ({ scope, group });
  const save = (store: MemoryStore, k: { scope: string; group: string }, keep: number, expiresAt = meta.expiresAt) => store.save([{ key: k, doc: doc(1), meta: { expiresAt, keep, bytes: 100 } }]);

  it("evicts the least costly groups first, and among equals the least recently saved, whatever their scope", async () => {
    const evicted: string[] = [];
    const store = new MemoryStore({ budgetBytes: 450 });
    store.onEvicted = (report) => evicted.push(...[...report.byScope].map(([scope, n]) => `${scope}:${n}`));
    await save(store, at("a/t", "1"), 0.5);
    await save(store, at("b/t", "1"), 0.5);
    await save(store, at("a/t", "2"), 1); // close to its count: kept before idle ones
    await save(store, at("a/t", "1"), 0.5); // active again: now the most recent of the idle ones
    expect(store.metrics()).toMatchObject({ groups: 3, bytes: 300 });
    await save(store, at("c/s", "1"), 0.5);
    await save(store, at("c/s", "2"), 0.5); // 500 bytes: down to 405 at most
    expect(evicted).toEqual(["b/t:1"]);
    expect(store.get(at("a/t", "1"))).toEqual(doc(1));
    await save(store, at("c/s", "3"), 0.5);
    expect(evicted).toEqual(["b/t:1", "a/t:1"]);
    expect(store.get(at("b/t", "1"))).toBeUndefined();
    expect(store.get(at("a/t", "1"))).toBeUndefined();
    expect(store.get(at("a/t", "2"))).toEqual(doc(1));
    expect(store.metrics()).toMatchObject({ groups: 4, bytes: 400, evictedLive: 2 });
  });

  it("drops the groups whose horizon has passed before evicting live ones", async () => {
    const store = new MemoryStore({ budgetBytes: 250 });
    await save(store, at("a/t", "old"), 1, 10);
    await save(store, at("b/s", "old"), 1, 10);
    store.advanceTo(20);
    await save(store, at("a/t", "new"), 0, 1000);
    expect(store.metrics()).toMatchObject({ groups: 1, bytes: 100, expired: 2, evictedLive: 0 });
    expect(store.get(at("a/t", "new"))).toEqual(doc(1));
  });
});

describe("DynamoDB store", () => {
  async function twoTasks(): Promise<[DynamoDbStore, DynamoDbStore, string]> {
    const table = await createStateTable(dynamo.client());
    return [new DynamoDbStore({ table, client: dynamo.client() }), new DynamoDbStore({ table, client: dynamo.client() }), table];
  }

  it("writes a document only over the version that was read: the loser gets the winner's document", async () => {
    const [a, b] = await twoTasks();
    await Promise.all([a.load([key]), b.load([key])]);
    expect(await a.save([{ key, doc: doc(1, { who: "a" }), meta }])).toEqual([]);
    expect(await b.save([{ key, doc: doc(1, { who: "b" }), meta }])).toEqual([key]);
    expect(b.get(key)).toEqual(doc(1, { who: "a" }));
    // Both hold version 1 now; a writes version 2; b's cached copy is stale and loses again.
    a.get(key)!.m = 2;
    expect(await a.save([{ key, doc: a.get(key)!, meta }])).toEqual([]);
    b.get(key)!.m = 5;
    expect(await b.save([{ key, doc: b.get(key)!, meta }])).toEqual([key]);
    expect(b.get(key)?.m).toBe(2);
    expect(b.metrics().conflicts).toBe(2);
  });

  it("sets the TTL to the document's event-time horizon, or a floor after now for old events, and keeps records out of the document", async () => {
    const client = dynamo.client();
    const table = await createStateTable(client);
    const now = Date.parse("2024-05-01T12:00:00Z");
    const store = new DynamoDbStore({ table, client, now: () => now, minimumLifetimeSeconds: 600 });
    const late = { scope: "rule/q", group: '["late"]' };
    const old = { scope: "rule/q", group: '["old"]' };
    await store.save([
      { key: late, doc: doc(1, { recs: { e1: "{}" } }), meta: { ...meta, expiresAt: (now / 1000 + 3600) * 1e6 } },
      { key: old, doc: doc(1), meta: { ...meta, expiresAt: (now / 1000 - 86400) * 1e6 } },
    ]);
    const pk = (k: typeof key) => `${k.scope}#${createHash("sha256").update(k.group).digest("hex").slice(0, 32)}`;
    const item = async (k: typeof key, sk: string) => (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk(k) }, sk: { S: sk } } }))).Item;
    expect((await item(late, "doc"))?.expiresAt.N).toBe(String(now / 1000 + 3600));
    expect((await item(old, "doc"))?.expiresAt.N).toBe(String(now / 1000 + 600));
    expect((await item(late, "doc"))?.d.S).not.toContain("recs");
    expect((await item(late, "r#e1"))?.d.S).toBe("{}");
  });
});
