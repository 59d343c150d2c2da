import fc from "fast-check";
import { DynamoDbStore, MemoryStore, type StatefulRuleset, type StateStore } from "../../../detector/src";
import { createStateTable, startDynalite, type LocalDynamo } from "../../support/dynalite";
import { s3, statefulRule, statefulRules } from "../../support/stateful";

/**
 * State is worked out in batches (a log file's records at once): whatever the batch boundaries,
 * and whether state is in memory or in DynamoDB, the same records in the same order raise the
 * same alerts, with the same ids and details, on the same records, as one record at a time.
 */

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

const by = ["ct.user.arn", "s3.bucket"];
const RULES = [
  statefulRule("Deletions", "ct.name = DeleteObject", { threshold: { count: 3, window: "5m", group_by: by }, suppress: { window: "10m", group_by: by } }),
  statefulRule("Downloads", "ct.name = GetObject", { threshold: { count: 3, window: "5m", group_by: by, distinct: "s3.key" } }),
  statefulRule("Listed", "ct.name = ListObjectVersions", {}, { enabled: false }),
  statefulRule("Batch after listing", "ct.name = DeleteObjects", { sequence: { after: "Listed", within: "10m", by } }),
  statefulRule("Deletion after downloads", "ct.name in (DeleteObject, DeleteObjects)", { sequence: { after: "Downloads", within: "10m", by }, suppress: { window: "5m", group_by: by } }),
  statefulRule("Note after destruction", "ct.name = PutObject", { sequence: { after: ["Deletions", "Batch after listing", "Deletion after downloads"], within: "10m", by: ["ct.user.arn"] } }),
];

const call = fc.record({
  name: fc.constantFrom("DeleteObject", "DeleteObject", "GetObject", "GetObject", "DeleteObjects", "ListObjectVersions", "PutObject"),
  at: fc.integer({ min: 0, max: 1800 }),
  user: fc.constantFrom("alice", "bob"),
  bucket: fc.constantFrom("x", "y"),
  key: fc.constantFrom("k1", "k2", "k3", "k4", "k5"),
});

/** Records, some delivered twice (the index of an earlier record to repeat). */
const input = fc.tuple(fc.array(call, { minLength: 20, maxLength: 90 }), fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 }), fc.boolean());

function recordsOf(calls: { name: string; at: number; user: string; bucket: string; key: string }[], repeats: number[], seed: string): object[] {
  const records: object[] = calls.map((c, i) => s3({ ...c, id: `${seed}-${i}` }));
  for (const r of repeats) records.splice((r * 7) % (records.length + 1), 0, records[r % calls.length]);
  return records;
}

/** Every alert as [record index, rule, id, details]. */
type Seen = [number, string, string, string][];

async function oneByOne(stateful: StatefulRuleset, records: object[]): Promise<Seen> {
  const out: Seen = [];
  for (const [i, r] of records.entries()) for (const a of (await stateful.evaluate(r)).alerts) out.push([i, a.rule, a.id, JSON.stringify(a.details)]);
  return out;
}

async function inBatches(stateful: StatefulRuleset, records: object[], sizes: number[]): Promise<Seen> {
  const out: Seen = [];
  for (let from = 0, k = 0; from < records.length; k++) {
    const size = sizes[k % sizes.length];
    const evaluations = await stateful.evaluateBatch(records.slice(from, from + size).map((record) => ({ record })));
    evaluations.forEach((e, i) => e.alerts.forEach((a) => out.push([from + i, a.rule, a.id, JSON.stringify(a.details)])));
    from += size;
  }
  return out;
}

let runs = 0;
const load = (repeat: boolean, store: StateStore = new MemoryStore()) => statefulRules(RULES, { repeatAlertsOnRedelivery: repeat }, store);

describe("stateful rules in batches", () => {
  it("raise the same alerts as one record at a time, whatever the batches", async () => {
    await fc.assert(
      fc.asyncProperty(input, async ([calls, repeats, sizes, repeat]) => {
        const records = recordsOf(calls, repeats, `m${++runs}`);
        const expected = await oneByOne(load(repeat), records);
        expect(await inBatches(load(repeat), records, sizes)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it("raise the same alerts with state in DynamoDB as in memory", async () => {
    await fc.assert(
      fc.asyncProperty(input, async ([calls, repeats, sizes, repeat]) => {
        const records = recordsOf(calls, repeats, `d${++runs}`);
        const expected = await oneByOne(load(repeat), records);
        const client = dynamo.client();
        const store = new DynamoDbStore({ table: await createStateTable(client), client });
        expect(await inBatches(load(repeat, store), records, sizes)).toEqual(expected);
      }),
      { numRuns: 8 },
    );
  });

  it("alert at all in these cases (the comparison is not of empty lists)", async () => {
    const records = recordsOf(
      [0, 10, 20, 30].flatMap((at) => [{ name: "GetObject", at, user: "alice", bucket: "x", key: `k${at}` }, { name: "DeleteObject", at: at + 1, user: "alice", bucket: "x", key: "k" }]).concat([{ name: "PutObject", at: 60, user: "alice", bucket: "y", key: "note" }]),
      [],
      "sanity",
    );
    const rules = (await oneByOne(load(false), records)).map(([, rule]) => rule);
    expect(new Set(rules)).toEqual(new Set(["Deletions", "Downloads", "Deletion after downloads", "Note after destruction"]));
  });
});
