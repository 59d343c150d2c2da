import { MemoryStore } from "../../../detector/src";
import { alertsByRecord, alertsOf, s3, statefulRule, statefulRules } from "../../support/stateful";

/** `threshold: {count, window, group_by, distinct}` over a sliding window of event time. */

const deletions = (count: number, window = "10m", extra: Record<string, unknown> = {}) =>
  statefulRules([
    statefulRule("Mass deletion", "ct.name = DeleteObject", { threshold: { count, window, group_by: ["ct.user.arn", "s3.bucket"], ...extra } }),
  ]);

/** Times in seconds after 12:00:00. */
const at = (...seconds: number[]) => seconds.map((s) => s3({ at: s }));

describe("threshold", () => {
  it("alerts once, on the match that reaches the count, with the count, times, sample ids and group", async () => {
    const records = at(0, 60, 120, 180, 240);
    const byRecord = await alertsByRecord(deletions(3), records);
    expect(byRecord).toEqual([[], [], ["Mass deletion"], [], []]);
    const [alert] = await alertsOf(deletions(3), records);
    expect(alert.details).toEqual({
      threshold: {
        count: 3,
        threshold: 3,
        window: "10m",
        first: "2024-05-01T12:00:00.000000000Z",
        last: "2024-05-01T12:02:00.000000000Z",
        sampleEventIds: records.slice(0, 3).map((r) => r.eventID),
        group: { "ct.user.arn": "arn:aws:iam::123456789012:user/alice", "s3.bucket": "data-bucket" },
      },
    });
    expect(alert.event).toBe(records[2]);
  });

  it("stays silent just under the count", async () => {
    expect(await alertsOf(deletions(3), at(0, 60))).toEqual([]);
  });

  it("counts matches less than one window apart: a window of 10m holds 12:00:00 and 12:09:59, not 12:10:00", async () => {
    expect(await alertsOf(deletions(3), at(0, 300, 600))).toEqual([]);
    expect(await alertsOf(deletions(3), at(0, 300, 599))).toHaveLength(1);
  });

  it("uses event time, not arrival order: the same matches in any order alert once", async () => {
    const records = at(0, 60, 120, 180, 240);
    const orders = [records, [...records].reverse(), [records[3], records[0], records[4], records[2], records[1]]];
    for (const order of orders) expect(await alertsOf(deletions(3), order)).toHaveLength(1);
  });

  it("counts a record delivered twice once", async () => {
    const [a, b, c] = at(0, 60, 120);
    expect(await alertsOf(deletions(3), [a, b, a, b])).toEqual([]);
    const stateful = deletions(3);
    expect(await alertsByRecord(stateful, [a, a, b, c, c])).toEqual([[], [], [], ["Mass deletion"], []]);
    expect(stateful.metrics().duplicates).toBe(2);
  });

  it("counts each group apart", async () => {
    const mixed = [s3({ at: 0, bucket: "a" }), s3({ at: 1, bucket: "b" }), s3({ at: 2, bucket: "a" }), s3({ at: 3, user: "bob", bucket: "a" }), s3({ at: 4, bucket: "b" })];
    expect(await alertsOf(deletions(3), mixed)).toEqual([]);
    expect(await alertsOf(deletions(2), mixed)).toHaveLength(2);
  });

  it("alerts again once the count has fallen below the threshold and is reached anew", async () => {
    const first = at(0, 60, 120);
    const second = at(1000, 1060, 1120);
    expect(await alertsByRecord(deletions(3), [...first, ...second])).toEqual([[], [], ["Mass deletion"], [], [], ["Mass deletion"]]);
  });

  it("alerts once for sustained activity, however long it lasts", async () => {
    const steady = Array.from({ length: 200 }, (_, i) => s3({ at: i * 30 }));
    const stateful = deletions(5);
    expect(await alertsOf(stateful, steady)).toHaveLength(1);
    expect(stateful.metrics().countedIntoAlerts).toBe(195);
  });

  it("does not alert again when a late record extends two stretches already alerted", async () => {
    // Two bursts 11 minutes apart alert twice; a late match between them extends both: no third alert.
    const stateful = deletions(3);
    expect(await alertsOf(stateful, [...at(0, 10, 20), ...at(680, 690, 700)])).toHaveLength(2);
    expect(await alertsOf(stateful, at(350))).toEqual([]);
  });

  it("repeats a crossing's alert when its record comes again, even after its stretch merged into an earlier one", async () => {
    const stateful = statefulRules([statefulRule("Mass deletion", "ct.name = DeleteObject", { threshold: { count: 3, window: "10m", group_by: ["ct.user.arn", "s3.bucket"] } })], { repeatAlertsOnRedelivery: true });
    const second = at(680, 690, 700);
    const alerts = await alertsOf(stateful, [...at(0, 10, 20), ...second]);
    expect(alerts).toHaveLength(2);
    // Matches between the two bursts join them into one stretch; no new alert.
    expect(await alertsOf(stateful, at(590, 600, 610, 640, 670))).toEqual([]);
    const [again] = await alertsOf(stateful, [second[2]]);
    expect(again?.id).toBe(alerts[1].id);
  });

  it("with distinct, counts different values of the field, not matches", async () => {
    const sameKey = Array.from({ length: 5 }, (_, i) => s3({ at: i, key: "k" }));
    const stateful = () => deletions(3, "10m", { distinct: "s3.key" });
    expect(await alertsOf(stateful(), sameKey)).toEqual([]);
    const keys = [s3({ at: 0, key: "a" }), s3({ at: 1, key: "a" }), s3({ at: 2, key: "b" }), s3({ at: 3, key: "c" })];
    const [alert] = await alertsOf(stateful(), keys);
    expect(alert.details?.threshold).toMatchObject({ count: 3, distinct: "s3.key", sampleEventIds: keys.map((k) => k.eventID) });
  });

  it("with distinct, ignores matches that lack the field", async () => {
    const noKey = (i: number) => s3({ at: i, extra: { requestParameters: { bucketName: "data-bucket" } } });
    expect(await alertsOf(deletions(2, "10m", { distinct: "s3.key" }), [noKey(0), noKey(1), noKey(2)])).toEqual([]);
  });

  it("treats a missing group value as a value of its own", async () => {
    const anonymous = (i: number) => s3({ at: i, extra: { userIdentity: { type: "AWSAccount", principalId: "" } } });
    const [alert] = await alertsOf(deletions(2), [anonymous(0), anonymous(1)]);
    expect(alert.details?.threshold).toMatchObject({ group: { "ct.user.arn": null, "s3.bucket": "data-bucket" } });
  });

  it("without group_by, counts every match of the rule together", async () => {
    const stateful = statefulRules([statefulRule("Any deletion", "ct.name = DeleteObject", { threshold: { count: 2, window: "1m" } })]);
    const [alert] = await alertsOf(stateful, [s3({ at: 0, bucket: "a" }), s3({ at: 1, bucket: "b", user: "bob" })]);
    expect(alert.details?.threshold).toMatchObject({ count: 2, group: {} });
  });

  it("stays within a memory budget: idle groups go first, a group close to its count stays, and every eviction is counted and reported", async () => {
    const store = new MemoryStore({ budgetBytes: 8_000 });
    const reports: number[] = [];
    store.onEvicted = (r) => reports.push([...r.byScope.values()].reduce((a, b) => a + b, 0));
    const stateful = statefulRules([statefulRule("Mass deletion", "ct.name = DeleteObject", { threshold: { count: 3, window: "10m", group_by: ["s3.bucket"] } })], {}, store);
    // "hot" is one match short of its count; then a flood of buckets seen once each.
    expect(await alertsOf(stateful, [s3({ at: 0, bucket: "hot" }), s3({ at: 1, bucket: "hot" })])).toEqual([]);
    for (let i = 0; i < 200; i++) await alertsOf(stateful, [s3({ at: 2 + i, bucket: `flood-${i}` })]);
    const m = stateful.metrics();
    expect(m.evictedLive).toBeGreaterThan(100);
    expect(m.bytes).toBeLessThanOrEqual(8_000);
    expect(reports.reduce((a, b) => a + b, 0)).toBe(m.evictedLive);
    // The group near its threshold was kept: its third match alerts.
    expect(await alertsOf(stateful, [s3({ at: 300, bucket: "hot" })])).toHaveLength(1);
    // An early flood group was evicted: its count starts again.
    expect(await alertsOf(stateful, [s3({ at: 301, bucket: "flood-0" }), s3({ at: 302, bucket: "flood-0" })])).toEqual([]);
  });

  it("forgets groups whose windows have passed as event time moves on", async () => {
    const store = new MemoryStore();
    const stateful = statefulRules([statefulRule("Mass deletion", "ct.name = DeleteObject", { threshold: { count: 5, window: "1m", group_by: ["s3.key"] } })], { latenessSeconds: 60 }, store);
    await alertsOf(stateful, Array.from({ length: 5000 }, (_, i) => s3({ at: i, key: `k${i}` })));
    const m = store.metrics();
    expect(m.groups).toBeLessThan(4300);
    expect(m.expired).toBeGreaterThan(700);
    expect(m.evictedLive).toBe(0);
  });
});
