import { alertsByRecord, alertsOf, s3, statefulRule, statefulRules } from "../../support/stateful";
import { foldSuppress, newSuppressDoc } from "../../../detector/src/stateful/suppressState";

/** `suppress: {window, group_by}`: one alert per group and window, the rest counted into it. */

const rules = (extra: Record<string, unknown> = {}) => [
  statefulRule("Batch deletion", "ct.name = DeleteObjects", { suppress: { window: "1h", group_by: ["ct.user.arn", "s3.bucket"] }, ...extra }),
];
const del = (at: number, call: Record<string, string> = {}) => s3({ name: "DeleteObjects", at, ...call });

describe("suppress", () => {
  it("alerts for the first match of a group and counts the next ones within the window into it", async () => {
    const stateful = statefulRules(rules());
    expect(await alertsByRecord(stateful, [del(0), del(600), del(3000)])).toEqual([["Batch deletion"], [], []]);
    expect(stateful.metrics().countedIntoAlerts).toBe(2);
    const [alert] = await alertsOf(statefulRules(rules()), [del(0)]);
    expect(alert.details).toEqual({
      suppress: { window: "1h", group: { "ct.user.arn": "arn:aws:iam::123456789012:user/alice", "s3.bucket": "data-bucket" } },
    });
  });

  it("alerts again from one window after the alert, measured from the alert, not from the last match", async () => {
    expect(await alertsByRecord(statefulRules(rules()), [del(0), del(3000), del(3599), del(3600)])).toEqual([["Batch deletion"], [], [], ["Batch deletion"]]);
  });

  it("keeps groups apart", async () => {
    const records = [del(0), del(1, { bucket: "other" }), del(2, { user: "bob" }), del(3)];
    expect((await alertsOf(statefulRules(rules()), records)).length).toBe(3);
  });

  it("suppresses in event time: an earlier match arriving after the alert is counted into it", async () => {
    expect(await alertsByRecord(statefulRules(rules()), [del(1800), del(0), del(3000)])).toEqual([["Batch deletion"], [], []]);
  });

  it("counts a redelivered record once and does not alert for it again", async () => {
    const first = del(0);
    const stateful = statefulRules(rules());
    expect(await alertsByRecord(stateful, [first, first, del(10), del(10)])).toEqual([["Batch deletion"], [], [], []]);
    expect(stateful.metrics()).toMatchObject({ duplicates: 1, countedIntoAlerts: 2 });
  });

  it("repeats the alert (same id) for a redelivered alerting record when the connector asks for it", async () => {
    const first = del(0);
    const alerts = await alertsOf(statefulRules(rules(), { repeatAlertsOnRedelivery: true }), [first, del(10), first]);
    expect(alerts).toHaveLength(2);
    expect(alerts[1].id).toBe(alerts[0].id);
  });

  it("with a threshold, suppresses further crossings for the group", async () => {
    const stateful = statefulRules([
      statefulRule("Mass deletion", "ct.name = DeleteObject", {
        threshold: { count: 2, window: "1m", group_by: ["s3.bucket"] },
        suppress: { window: "1h", group_by: ["s3.bucket"] },
      }),
    ]);
    // Two crossings five minutes apart: the second is counted into the first.
    const alerts = await alertsOf(stateful, [s3({ at: 0 }), s3({ at: 10 }), s3({ at: 300 }), s3({ at: 310 })]);
    expect(alerts).toHaveLength(1);
    expect(Object.keys(alerts[0].details ?? {})).toEqual(["threshold", "suppress"]);
  });
});

describe("a suppression group's recent keys", () => {
  // Recent keys are looked up in a set kept beside the document's list: the two must never disagree.
  it("count a key again once it has left the last 64, and as a duplicate while it is among them", () => {
    const doc = newSuppressDoc();
    const fold = (id: string, t = 1000) => foldSuppress(doc, t, id, 3_600_000_000, 0);
    expect(fold("k0").opened).toBe(true);
    for (let i = 1; i <= 64; i++) expect(fold(`k${i}`).duplicate).toBe(false);
    expect(doc.r).toHaveLength(64);
    expect(fold("k64").duplicate).toBe(true);
    expect(fold("k1").duplicate).toBe(true);
    // k0 (the alert's own key, forgotten from the list) is still known by its period.
    expect(fold("k0")).toMatchObject({ again: true, duplicate: true });
    expect(fold("k65").duplicate).toBe(false);
    // k1 has now left the list: it is counted again.
    expect(fold("k1")).toMatchObject({ duplicate: false, changed: true });
  });

  it("agree with a search of the document's list, on a document read back from its JSON too", () => {
    const ids = Array.from({ length: 90 }, (_, i) => `id-${i % 80}`);
    let doc = newSuppressDoc();
    let shadow: string[] = [];
    ids.forEach((id, n) => {
      if (n === 45) doc = JSON.parse(JSON.stringify(doc)); // as a shared store hands it back
      const listed = shadow.includes(id);
      const r = foldSuppress(doc, 1000 + n, id, 10, 0);
      expect([id, r.duplicate && !r.again]).toEqual([id, listed && !r.again]);
      shadow = doc.r.slice();
    });
  });
});
