import { DynamoDbStore, type Alert, type StatefulRuleset } from "../../../detector/src";
import { createStateTable, startDynalite, type LocalDynamo } from "../../support/dynalite";
import { s3, statefulRule, statefulRules } from "../../support/stateful";

/**
 * Several tasks, one DynamoDB table: each task here is a ruleset with its own SDK client, and the
 * tasks run at the same time, as connector tasks consuming one queue do. Counts add up across
 * tasks and every alert is raised by exactly one of them.
 */

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

const rules = [
  statefulRule("Mass deletion", "ct.name = DeleteObject", { threshold: { count: 10, window: "10m", group_by: ["ct.user.arn", "s3.bucket"] } }),
  statefulRule("Versions listed", "ct.name = ListObjectVersions", {}, { enabled: false }),
  statefulRule("Batch deletion after listing versions", "ct.name = DeleteObjects", {
    sequence: { after: "Versions listed", within: "1h", by: ["ct.user.arn", "s3.bucket"] },
  }),
  statefulRule("Public access block removed", "ct.name = DeleteBucketPublicAccessBlock", { suppress: { window: "1h", group_by: ["s3.bucket"] } }),
];

/** `n` tasks sharing a fresh table. */
async function tasks(n: number): Promise<StatefulRuleset[]> {
  const table = await createStateTable(dynamo.client());
  return Array.from({ length: n }, () => statefulRules(rules, {}, new DynamoDbStore({ table, client: dynamo.client() })));
}

/** Runs each task over its share of records, all tasks at once; returns every alert raised. */
async function runTogether(shares: [StatefulRuleset, object[]][]): Promise<Alert[]> {
  const out: Alert[][] = await Promise.all(
    shares.map(async ([task, records]) => {
      const alerts: Alert[] = [];
      for (const r of records) alerts.push(...(await task.evaluate(r)).alerts);
      return alerts;
    }),
  );
  return out.flat();
}

describe("state shared by tasks through DynamoDB", () => {
  it("counts a threshold crossing split across two tasks together, and alerts exactly once", async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await tasks(2);
      const records = Array.from({ length: 16 }, (_, i) => s3({ at: i * 5 }));
      // Alternate records between the tasks: neither alone reaches 10.
      const alerts = await runTogether([
        [a, records.filter((_, i) => i % 2 === 0)],
        [b, records.filter((_, i) => i % 2 === 1)],
      ]);
      expect(alerts.map((x) => x.rule)).toEqual(["Mass deletion"]);
      expect(alerts[0].details?.threshold).toMatchObject({ count: 10 });
    }
  });

  it("counts a record that both tasks receive once", async () => {
    const [a, b] = await tasks(2);
    const records = Array.from({ length: 9 }, (_, i) => s3({ at: i }));
    // Both tasks see all nine: nine distinct records are under the threshold of ten.
    expect(await runTogether([[a, records], [b, [...records].reverse()]])).toEqual([]);
    expect(a.metrics().duplicates + b.metrics().duplicates).toBe(9);
  });

  it("completes a sequence whose two records reach different tasks at once, exactly once", async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await tasks(2);
      const list = s3({ name: "ListObjectVersions", at: 0 });
      const dels = [1, 2, 3].map((i) => s3({ name: "DeleteObjects", at: i * 10 }));
      const alerts = await runTogether([
        [a, [list]],
        [b, dels],
      ]);
      expect(alerts.map((x) => x.event.eventID).sort()).toEqual(dels.map((d) => d.eventID).sort());
    }
  });

  it("suppresses across tasks: one alert per group and window", async () => {
    const [a, b, c] = await tasks(3);
    const call = (at: number) => s3({ name: "DeleteBucketPublicAccessBlock", at });
    const alerts = await runTogether([
      [a, [call(0), call(30)]],
      [b, [call(10), call(40)]],
      [c, [call(20), call(50)]],
    ]);
    expect(alerts).toHaveLength(1);
  });

  it("never counts state past its horizon, though DynamoDB deletes expired items only some time after their TTL", async () => {
    const [a, b] = await tasks(2);
    const early = Array.from({ length: 9 }, (_, i) => s3({ at: i }));
    for (const r of early) expect((await a.evaluate(r)).alerts).toEqual([]);
    // A day later (the items are still in the table): one more deletion is one, not ten.
    expect((await b.evaluate(s3({ at: 86_400 }))).alerts).toEqual([]);
    const burst = Array.from({ length: 9 }, (_, i) => s3({ at: 86_401 + i }));
    const alerts: Alert[] = [];
    for (const r of burst) alerts.push(...(await b.evaluate(r)).alerts);
    expect(alerts.map((x) => x.rule)).toEqual(["Mass deletion"]);
    expect(alerts[0].details?.threshold).toMatchObject({ count: 10, first: "2024-05-02T12:00:00.000000000Z" });
  });

  it("keeps counting after a task restarts", async () => {
    const table = await createStateTable(dynamo.client());
    const task = () => statefulRules(rules, {}, new DynamoDbStore({ table, client: dynamo.client() }));
    const records = Array.from({ length: 10 }, (_, i) => s3({ at: i }));
    const before = task();
    for (const r of records.slice(0, 7)) expect((await before.evaluate(r)).alerts).toEqual([]);
    const after = task();
    const alerts: Alert[] = [];
    for (const r of records.slice(7)) alerts.push(...(await after.evaluate(r)).alerts);
    expect(alerts.map((x) => x.rule)).toEqual(["Mass deletion"]);
  });
});
