import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDbStore, MemoryStore, type StateStore } from "../../../detector/src";
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

const p = { scope: "rule/t", group: "g1" };
const other = { scope: "rule/t", group: "g2" };

describe.each(stores)("%s store", (_name, make) => {
  let store: StateStore;
  beforeEach(async () => {
    store = await make();
  });

  it("creates an item once: a second create of the same key says it existed", async () => {
    expect(await store.putIfAbsent(p, { sk: "e#1", expiresAt: 100, data: "=a" })).toBe(true);
    expect(await store.putIfAbsent(p, { sk: "e#1", expiresAt: 100, data: "=b" })).toBe(false);
    expect(await store.get(p, "e#1")).toEqual({ sk: "e#1", expiresAt: 100, data: "=a" });
    expect(await store.putIfAbsent(other, { sk: "e#1", expiresAt: 100 })).toBe(true);
  });

  it("writes a versioned item only over the version that was read", async () => {
    expect(await store.putIfVersion(p, { sk: "doc", expiresAt: 1, data: "v1", version: 1 }, undefined)).toBe(true);
    expect(await store.putIfVersion(p, { sk: "doc", expiresAt: 1, data: "again", version: 1 }, undefined)).toBe(false);
    expect(await store.putIfVersion(p, { sk: "doc", expiresAt: 2, data: "v2", version: 2 }, 1)).toBe(true);
    expect(await store.putIfVersion(p, { sk: "doc", expiresAt: 2, data: "stale", version: 2 }, 1)).toBe(false);
    expect(await store.get(p, "doc")).toEqual({ sk: "doc", expiresAt: 2, data: "v2", version: 2 });
    expect(store.metrics().conflicts).toBe(2);
  });

  it("reads a range of sort keys, both ends included, in either order, up to a limit", async () => {
    for (const sk of ["e#3", "e#1", "f#1", "e#2", "e#4"]) await store.putIfAbsent(p, { sk, expiresAt: 1 });
    await store.putIfAbsent(other, { sk: "e#2", expiresAt: 1 });
    const keys = async (from: string, to: string, descending = false, limit = 10) => (await store.range(p, from, to, { descending, limit })).map((x) => x.sk);
    expect(await keys("e#2", "e#4")).toEqual(["e#2", "e#3", "e#4"]);
    expect(await keys("e#", "e#~", true, 2)).toEqual(["e#4", "e#3"]);
    expect(await keys("e#5", "e#~")).toEqual([]);
    expect(await keys("e#4", "e#2")).toEqual([]);
    expect(await store.get(p, "nothing")).toBeUndefined();
  });
});

describe("DynamoDB store", () => {
  it("sets the TTL attribute to the item's event-time expiry, or a floor after now for old events", async () => {
    const client = dynamo.client();
    const table = await createStateTable(client);
    const now = Date.parse("2024-05-01T12:00:00Z");
    const store = new DynamoDbStore({ table, client, now: () => now, minimumLifetimeSeconds: 600 });
    const nowSeconds = now / 1000;
    await store.putIfAbsent(p, { sk: "late", expiresAt: nowSeconds + 3600 });
    await store.putIfAbsent(p, { sk: "old", expiresAt: nowSeconds - 86400 });
    const ttl = async (sk: string) =>
      (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: "rule/t#g1" }, sk: { S: sk } } }))).Item?.expiresAt.N;
    expect(await ttl("late")).toBe(String(nowSeconds + 3600));
    expect(await ttl("old")).toBe(String(nowSeconds + 600));
    expect((await store.get(p, "old"))?.expiresAt).toBe(nowSeconds - 86400);
  });
});
