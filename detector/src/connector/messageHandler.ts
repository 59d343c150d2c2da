import type { Message } from "@aws-sdk/client-sqs";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Alert } from "../engine";
import type { StatefulRuleset as Ruleset } from "../stateful";
import type { Delivery } from "../alerts/delivery";
import { errorText } from "../alerts/sink";
import { readLogObject } from "../ingest/logObject";
import { isDigestKey, parseNotification, type LogObjectRef } from "../ingest/notifications";
import { fetchLogObject } from "../ingest/s3Objects";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";
import { processRecords, type RecordOrigin } from "./processRecords";
import { recordStateMetrics } from "./stateWatch";

/** What to do with a message once handled. */
export type MessageOutcome =
  /** Everything in it was read and every alert accepted by every sink. */
  | { action: "delete" }
  /** Something failed that may work later (an object, a sink): leave it for redelivery. */
  | { action: "retry"; reason: string }
  /** Not a message this service understands: leave it, the redrive policy moves it to the DLQ. */
  | { action: "reject"; reason: string };

export interface HandlerContext {
  s3: S3Client;
  delivery: Delivery;
  log: Logger;
  metrics: Metrics;
}

/** Evaluates one message's records with `ruleset` and delivers the alerts. */
export async function handleMessage(message: Message, ruleset: Ruleset, ctx: HandlerContext): Promise<MessageOutcome> {
  const messageId = message.MessageId ?? "(no id)";
  const receiveCount = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
  const notification = parseNotification(message.Body ?? "");
  const { log } = ctx;
  switch (notification.kind) {
    case "unknown":
      log.warn("message not understood; it is not acknowledged and the queue's redrive policy will move it to the dead-letter queue", { messageId, receiveCount, reason: notification.reason });
      return { action: "reject", reason: notification.reason };
    case "test":
      log.info("test message acknowledged", { messageId, format: notification.format });
      return { action: "delete" };
    case "ignored":
      log.info("message acknowledged with nothing to read", { messageId, format: notification.format, reason: notification.reason });
      return { action: "delete" };
    case "records": {
      const failed = await evaluateAndDeliver(notification.records, ruleset, { messageId }, ctx);
      return failed ? { action: "retry", reason: failed } : { action: "delete" };
    }
    case "objects": {
      const problems: string[] = [];
      for (const ref of notification.objects) {
        if (isDigestKey(ref.key)) continue;
        const problem = await handleObject(ref, messageId, receiveCount, ruleset, ctx);
        if (problem) problems.push(problem);
      }
      return problems.length ? { action: "retry", reason: problems.join("; ") } : { action: "delete" };
    }
  }
}

/** Reads, evaluates and delivers one log object; returns what went wrong, if anything. */
async function handleObject(ref: LogObjectRef, messageId: string, receiveCount: number, ruleset: Ruleset, ctx: HandlerContext): Promise<string | undefined> {
  const { log, metrics } = ctx;
  const where = { messageId, bucket: ref.bucket, key: ref.key, receiveCount };
  let bytes: Uint8Array;
  try {
    bytes = await fetchLogObject(ctx.s3, ref);
  } catch (e) {
    metrics.inc("s3guard_objects_total", { outcome: "unreadable" });
    log.error("log object unreadable; the message will be retried and, if it keeps failing, moved to the dead-letter queue", { ...where, error: errorText(e) });
    return errorText(e);
  }
  const content = readLogObject(bytes);
  for (const bad of content.badRecords) log.warn("bad record skipped; the other records of the object are evaluated", { ...where, record: bad });
  metrics.inc("s3guard_record_errors_total", {}, content.badRecords.length);
  if (content.damage) {
    metrics.inc("s3guard_objects_total", { outcome: "damaged" });
    log.error("log object damaged; its readable records are evaluated, and the message will be retried and end in the dead-letter queue if the object stays damaged", {
      ...where,
      damage: content.damage,
      salvagedRecords: content.records.length,
    });
  } else {
    metrics.inc("s3guard_objects_total", { outcome: "read" });
  }
  const failed = await evaluateAndDeliver(content.records, ruleset, { messageId, bucket: ref.bucket, key: ref.key }, ctx, content.exact);
  if (content.damage) return `s3://${ref.bucket}/${ref.key}: ${content.damage}`;
  return failed;
}

/** Returns why delivery failed, or undefined when every alert was accepted by every sink. */
async function evaluateAndDeliver(
  records: Iterable<Record<string, unknown>>,
  ruleset: Ruleset,
  origin: RecordOrigin,
  ctx: HandlerContext,
  exact?: (i: number) => Record<string, unknown> | undefined,
): Promise<string | undefined> {
  const { log, metrics } = ctx;
  const outcome = await processRecords(records, ruleset, origin, exact);
  recordStateMetrics(metrics, ruleset);
  metrics.inc("s3guard_records_total", {}, outcome.evaluated + outcome.skipped);
  metrics.inc("s3guard_records_skipped_total", {}, outcome.skipped);
  metrics.inc("s3guard_record_errors_total", {}, outcome.errors.length);
  for (const e of outcome.errors) log.warn("record could not be evaluated; the others are", { ...origin, error: e });
  countAlerts(outcome.alerts, metrics);
  if (outcome.alerts.length === 0) return undefined;
  const report = await ctx.delivery.deliver(outcome.alerts);
  for (const [sink, c] of Object.entries(report.bySink)) {
    metrics.inc("s3guard_alerts_delivered_total", { sink }, c.sent);
    metrics.inc("s3guard_alerts_duplicate_total", { sink }, c.duplicates);
    metrics.inc("s3guard_sink_failures_total", { sink }, c.failed);
  }
  if (report.failures.length === 0) return undefined;
  const sinks = [...new Set(report.failures.map((f) => f.sink))];
  log.error("alerts not accepted by a sink; the message is left for redelivery and only what each sink is missing will be sent again", {
    ...origin,
    sinks,
    failed: report.failures.length,
    firstReason: report.failures[0].reason,
  });
  return `${report.failures.length} alert(s) not accepted by ${sinks.join(", ")}: ${report.failures[0].reason}`;
}

function countAlerts(alerts: readonly Alert[], metrics: Metrics): void {
  for (const a of alerts) metrics.inc("s3guard_alerts_total", { rule: a.rule, priority: a.priority });
}
