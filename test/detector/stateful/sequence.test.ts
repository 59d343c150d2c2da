import { alertsByRecord, alertsOf, s3, statefulRule, statefulRules } from "../../support/stateful";

/** `sequence: {after, within, by}`: a match that follows a match of another rule. */

const listed = statefulRule("Versions listed", "ct.name = ListObjectVersions", {}, { enabled: false });
const afterListing = (extra: Record<string, unknown> = {}) =>
  statefulRule("Batch deletion after listing versions", "ct.name = DeleteObjects", {
    sequence: { after: "Versions listed", within: "1h", by: ["ct.user.arn", "s3.bucket"] },
    ...extra,
  });
const list = (at: number, call: Record<string, string> = {}) => s3({ name: "ListObjectVersions", at, ...call });
const del = (at: number, call: Record<string, string> = {}) => s3({ name: "DeleteObjects", at, ...call });

describe("sequence", () => {
  it("alerts for a match that follows a match of the first rule, and says which", async () => {
    const first = list(0);
    const [alert, ...rest] = await alertsOf(statefulRules([listed, afterListing()]), [first, del(600)]);
    expect(rest).toEqual([]);
    expect(alert.rule).toBe("Batch deletion after listing versions");
    expect(alert.details).toEqual({
      sequence: {
        after: { rule: "Versions listed", eventId: first.eventID, time: "2024-05-01T12:00:00.000000000Z" },
        within: "1h",
        group: { "ct.user.arn": "arn:aws:iam::123456789012:user/alice", "s3.bucket": "data-bucket" },
      },
    });
  });

  it("does not alert without a first-rule match before it, within the window, for the same values", async () => {
    const rules = [listed, afterListing()];
    expect(await alertsOf(statefulRules(rules), [del(0)])).toEqual([]);
    expect(await alertsOf(statefulRules(rules), [list(600), del(0)])).toEqual([]);
    expect(await alertsOf(statefulRules(rules), [list(0), del(3601)])).toEqual([]);
    expect(await alertsOf(statefulRules(rules), [list(0), del(3600)])).toHaveLength(1);
    expect(await alertsOf(statefulRules(rules), [list(0, { bucket: "other" }), del(10), list(0, { user: "bob" })])).toEqual([]);
  });

  it("completes the pair when the first-rule record arrives after the follower's", async () => {
    expect(await alertsByRecord(statefulRules([listed, afterListing()]), [del(600), list(0)])).toEqual([[], ["Batch deletion after listing versions"]]);
  });

  it("alerts once per follower, however often either record is delivered", async () => {
    const [l, d] = [list(0), del(60)];
    expect(await alertsOf(statefulRules([listed, afterListing()]), [d, l, l, d, list(30)])).toHaveLength(1);
  });

  it("completes the pair again when the first-rule record is delivered again, if the connector asks (the alert may not have been delivered)", async () => {
    const rules = [listed, afterListing()];
    const [d, l] = [del(600), list(0)];
    const again = await alertsByRecord(statefulRules(rules, { repeatAlertsOnRedelivery: true }), [d, l, l, d]);
    expect(again).toEqual([[], ["Batch deletion after listing versions"], ["Batch deletion after listing versions"], ["Batch deletion after listing versions"]]);
    const stateful = statefulRules(rules, { repeatAlertsOnRedelivery: true });
    const alerts = await alertsOf(stateful, [d, l, l]);
    expect(alerts[1].id).toBe(alerts[0].id);
    expect(alerts[1].details).toEqual(alerts[0].details);
    // A scan (no repeat) alerts once.
    expect(await alertsByRecord(statefulRules(rules), [d, l, l, d])).toEqual([[], ["Batch deletion after listing versions"], [], []]);
  });

  it("alerts for each follower, unless suppressed", async () => {
    const records = [list(0), del(60), del(120), del(180)];
    expect(await alertsOf(statefulRules([listed, afterListing()]), records)).toHaveLength(3);
    const suppressed = afterListing({ suppress: { window: "1h", group_by: ["s3.bucket"] } });
    expect(await alertsOf(statefulRules([listed, suppressed]), records)).toHaveLength(1);
  });

  it("follows any of several rules", async () => {
    const copied = statefulRule("Copied", "ct.name = CopyObject", {}, { enabled: false });
    const rule = afterListing({ sequence: { after: ["Versions listed", "Copied"], within: "10m", by: ["s3.bucket"] } });
    const [alert] = await alertsOf(statefulRules([listed, copied, rule]), [s3({ name: "CopyObject", at: 0 }), del(60)]);
    expect(alert.details?.sequence).toMatchObject({ after: { rule: "Copied" } });
  });

  it("follows a threshold rule from the moment its count is reached", async () => {
    const bulk = statefulRule("Bulk download", "ct.name = GetObject", { threshold: { count: 3, window: "10m", group_by: ["ct.user.arn", "s3.bucket"], distinct: "s3.key" } });
    const rule = afterListing({ sequence: { after: "Bulk download", within: "1h", by: ["ct.user.arn", "s3.bucket"] } });
    const get = (at: number) => s3({ name: "GetObject", at });
    // Two downloads, a deletion, a third download: the deletion came before the count was reached.
    expect(await alertsByRecord(statefulRules([bulk, rule]), [get(0), get(10), del(15), get(20)])).toEqual([[], [], [], ["Bulk download"]]);
    expect(await alertsByRecord(statefulRules([bulk, rule]), [get(0), get(10), get(20), del(25)])).toEqual([[], [], ["Bulk download"], ["Batch deletion after listing versions"]]);
    // Out of order: the deletion arrives first, then the downloads that came before it.
    expect(await alertsByRecord(statefulRules([bulk, rule]), [del(25), get(20), get(0), get(10)])).toEqual([[], [], [], ["Bulk download", "Batch deletion after listing versions"]]);
  });

  it("sees the first rule's matches even when another rule alerted first under rule matching first", async () => {
    const everything = statefulRule("Any S3 call", "ct.src = s3.amazonaws.com", {});
    const enabledListing = statefulRule("Versions listed", "ct.name = ListObjectVersions", {});
    const alerts = await alertsOf(statefulRules([everything, enabledListing, afterListing()], { ruleMatching: "first" }), [list(0), del(10)]);
    expect(alerts.map((a) => a.rule)).toEqual(["Any S3 call", "Any S3 call", "Batch deletion after listing versions"]);
  });

  it("lets a disabled first rule open sequences without alerting itself", async () => {
    const alerts = await alertsOf(statefulRules([listed, afterListing()]), [list(0), list(5), del(10)]);
    expect(alerts.map((a) => a.rule)).toEqual(["Batch deletion after listing versions"]);
  });
});
