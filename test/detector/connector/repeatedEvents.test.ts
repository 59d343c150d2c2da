import { S3Client } from "@aws-sdk/client-s3";
import type { Message } from "@aws-sdk/client-sqs";
import { Delivery } from "../../../detector/src/alerts/delivery";
import type { AlertSink, SinkFailure } from "../../../detector/src/alerts/sink";
import type { Alert } from "../../../detector/src/engine";
import { SeenEvents } from "../../../detector/src/ingest/seenEvents";
import type { Logger } from "../../../detector/src/connector/log";
import { handleMessage } from "../../../detector/src/connector/messageHandler";
import { Metrics } from "../../../detector/src/connector/metrics";
import { emptyOutcome, processRecords } from "../../../detector/src/connector/processRecords";
import { loadStatefulRules } from "../../../detector/src/stateful";
import { s3 } from "../../support/stateful";

/**
 * The connector evaluates an event once however often it is delivered (two trails, a log file
 * delivered twice), exactly as `scan` does, and still never loses an alert: an event counts as
 * done only once its alerts were delivered.
 */

const RULES = `- rule: Deleted\n  desc: d\n  condition: ct.name = DeleteObject\n  output: deleted %s3.key\n  priority: WARNING\n  source: aws_cloudtrail\n`;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A destination that takes what it is sent, or refuses everything while `down`. */
class Destination implements AlertSink {
  readonly name = "test";
  readonly type = "webhook" as const;
  down = false;
  readonly received: Alert[] = [];
  async send(alerts: readonly Alert[]): Promise<SinkFailure[]> {
    if (this.down) return alerts.map((a) => ({ alertId: a.id, reason: "503 from the receiver" }));
    this.received.push(...alerts);
    return [];
  }
}

/** One EventBridge message carrying a CloudTrail record (no S3 object to fetch). */
function message(id: string, record: object): Message {
  return { MessageId: id, Body: JSON.stringify({ "detail-type": "AWS API Call via CloudTrail", source: "aws.s3", detail: record }) };
}

function setUp() {
  const loaded = loadStatefulRules([{ name: "r.yaml", content: RULES }], { ruleMatching: "all", hostname: "h" });
  const destination = new Destination();
  const metrics = new Metrics();
  const ctx = {
    s3: new S3Client({ region: "us-east-1" }),
    delivery: new Delivery([{ destination, accepts: () => true }], { windowMs: 0, maxIds: 10, failuresBeforeBackoff: 1000 }),
    log: quiet,
    metrics,
    seen: new SeenEvents(),
  };
  return { ruleset: loaded.stateful!, destination, metrics, ctx };
}

describe("each event once in the connector", () => {
  it("does not evaluate an event a second trail delivers again", async () => {
    const { ruleset, destination, metrics, ctx } = setUp();
    const record = s3({ name: "DeleteObject", key: "payroll.csv", id: "evt-trail" });
    expect(await handleMessage(message("from-trail-a", record), ruleset, ctx)).toEqual({ action: "delete" });
    expect(await handleMessage(message("from-trail-b", record), ruleset, ctx)).toEqual({ action: "delete" });
    expect(destination.received.map((a) => a.message)).toEqual(["deleted payroll.csv"]);
    expect(metrics.get("s3guard_records_repeated_total")).toBe(1);
    expect(metrics.get("s3guard_records_total")).toBe(1);
  });

  it("evaluates a record listed twice in one log file once", async () => {
    const { ruleset } = setUp();
    const record = s3({ name: "DeleteObject", key: "twice.csv", id: "evt-twice" });
    const other = s3({ name: "DeleteObject", key: "once.csv", id: "evt-once" });
    const outcome = emptyOutcome();
    // A large object is read in batches: the repeat may come in a later one.
    await processRecords([{ record }, { record: other }], ruleset, outcome, 1, new SeenEvents());
    await processRecords([{ record }], ruleset, outcome, 3, new SeenEvents());
    expect(outcome.alerts.map((a) => a.message).sort()).toEqual(["deleted once.csv", "deleted twice.csv"]);
    expect(outcome).toMatchObject({ evaluated: 2, repeated: 1, eventIds: new Set(["evt-twice", "evt-once"]) });
  });

  it("evaluates an event again when its alerts were not delivered, so the message that comes back still alerts", async () => {
    const { ruleset, destination, metrics, ctx } = setUp();
    const record = s3({ name: "DeleteObject", key: "kept.csv", id: "evt-undelivered" });
    destination.down = true;
    expect(await handleMessage(message("m1", record), ruleset, ctx)).toMatchObject({ action: "retry" });
    destination.down = false;
    expect(await handleMessage(message("m1", record), ruleset, ctx)).toEqual({ action: "delete" });
    expect(destination.received.map((a) => a.message)).toEqual(["deleted kept.csv"]);
    expect(metrics.get("s3guard_records_repeated_total")).toBe(0);
    // Once delivered, a third delivery is a repeat.
    await handleMessage(message("m2", record), ruleset, ctx);
    expect(metrics.get("s3guard_records_repeated_total")).toBe(1);
  });

  it("evaluates records without an eventID every time", async () => {
    const { ruleset, metrics, ctx } = setUp();
    const record = s3({ name: "DeleteObject", key: "no-id.csv" }) as Record<string, unknown>;
    delete record.eventID;
    await handleMessage(message("a", record), ruleset, ctx);
    await handleMessage(message("b", record), ruleset, ctx);
    expect(metrics.get("s3guard_records_total")).toBe(2);
    expect(metrics.get("s3guard_records_repeated_total")).toBe(0);
  });
});
