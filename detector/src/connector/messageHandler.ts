import type { Message } from "@aws-sdk/client-sqs";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Alert } from "../engine";
import type { StatefulRuleset as Ruleset } from "../stateful";
import type { Delivery, DeliveryReport } from "../alerts/delivery";
import { errorText } from "../alerts/sink";
import { WHOLE_INPUT_LIMIT } from "../ingest/inputs";
import { readLogObject, type LogObjectRead } from "../ingest/logObject";
import { isDigestKey, parseNotification, type LogObjectRef } from "../ingest/notifications";
import { openLogObject } from "../ingest/s3Objects";
import type { SeenEvents } from "../ingest/seenEvents";
import { keepAccounts, logKeyAccount } from "./accountFilter";
import type { LogObjectClient } from "./awsClients";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";
import { emptyOutcome, processRecords, type RecordOrigin, type RecordsOutcome } from "./processRecords";
import type { ObjectWorkers } from "./objectWorkers";
import type { ActiveRules } from "./rulesWatcher";
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
  /** Events already evaluated and delivered, evaluated once more only when they come back undelivered. */
  seen?: SeenEvents;
  s3: S3Client;
  /** The client that reads a bucket's log objects (a read role's for another account's bucket); default `s3`. */
  logObjects?: (bucket: string) => LogObjectClient;
  /** Accounts whose records are evaluated; the others' are dropped. Default: every account. */
  accounts?: ReadonlySet<string>;
  delivery: Delivery;
  log: Logger;
  metrics: Metrics;
  /** How log objects are read; defaults to READING_DEFAULTS. */
  reading?: ObjectReading;
  /** Worker threads that evaluate objects read whole, with the rules the message is evaluated with (S3GUARD_WORKERS). */
  parallel?: { workers: ObjectWorkers; rules: ActiveRules };
}

export interface ObjectReading {
  /** Objects whose (decompressed) text is at most this long are read and parsed whole. */
  wholeBytes: number;
  /** The largest decompressed size read from one object (S3GUARD_MAX_LOG_BYTES). */
  maxBytes: number;
}

/** As `s3guard scan`: a larger whole parse lets V8 grow the heap to several times its size, per message in hand. */
export const READING_DEFAULTS: ObjectReading = { wholeBytes: WHOLE_INPUT_LIMIT, maxBytes: 1024 ** 3 };

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
      const origin = { messageId };
      const { kept, dropped } = keepAccounts(notification.records.map((record) => ({ record })), ctx.accounts);
      ctx.metrics.inc("s3guard_records_other_accounts_total", {}, dropped);
      const outcome = await processRecords(kept, ruleset, emptyOutcome(), 1, ctx.seen);
      recordStateMetrics(ctx.metrics, ruleset);
      const failed = await deliver(outcome, origin, ctx);
      return failed ? { action: "retry", reason: failed } : { action: "delete" };
    }
    case "objects": {
      const problems: string[] = [];
      let tooLarge = false;
      for (const ref of notification.objects) {
        if (isDigestKey(ref.key)) continue;
        const problem = await handleObject(ref, messageId, receiveCount, ruleset, ctx);
        if (problem) problems.push(problem.reason);
        tooLarge ||= problem?.tooLarge === true;
      }
      if (problems.length === 0) return { action: "delete" };
      // Reading the object again gives the same: its message goes to the dead-letter queue for someone to look at.
      return tooLarge ? { action: "reject", reason: problems.join("; ") } : { action: "retry", reason: problems.join("; ") };
    }
  }
}

/** Reads, evaluates and delivers one log object; returns what went wrong, if anything. */
async function handleObject(
  ref: LogObjectRef,
  messageId: string,
  receiveCount: number,
  ruleset: Ruleset,
  ctx: HandlerContext,
): Promise<{ reason: string; tooLarge?: boolean } | undefined> {
  const { log, metrics } = ctx;
  const reading = ctx.reading ?? READING_DEFAULTS;
  const where = { messageId, bucket: ref.bucket, key: ref.key, receiveCount };
  const origin = { messageId, bucket: ref.bucket, key: ref.key };
  const outcome = emptyOutcome();
  const keyAccount = ctx.accounts !== undefined ? logKeyAccount(ref.key) : undefined;
  if (keyAccount !== undefined && !ctx.accounts!.has(keyAccount)) {
    // Another account's log file (an organization trail records them all): not even read.
    metrics.inc("s3guard_objects_total", { outcome: "other_account" });
    log.debug("log object of an account not kept; not read", { ...where, account: keyAccount });
    return undefined;
  }
  let content: LogObjectRead;
  try {
    const reader = ctx.logObjects?.(ref.bucket) ?? { s3: ctx.s3 };
    let body = await openLogObject(reader.s3, ref, reading.wholeBytes, undefined, reader);
    let next = 1;
    const read = body instanceof Uint8Array && ctx.parallel ? await ctx.parallel.workers.evaluate(ctx.parallel.rules, body, outcome, ctx.seen, ctx.accounts) : undefined;
    // An object too long to parse whole comes back from the worker: it is streamed here.
    if (read && "givenBack" in read) body = read.givenBack;
    if (read && !("givenBack" in read)) {
      metrics.inc("s3guard_records_other_accounts_total", {}, read.otherAccounts);
      metrics.inc("s3guard_objects_in_workers_total");
      content = read;
    } else content = await readLogObject(body, {
      wholeBytes: reading.wholeBytes,
      maxBytes: reading.maxBytes,
      raiseHint: "raise S3GUARD_MAX_LOG_BYTES",
      onRecords: async (batch) => {
        const { kept, dropped } = keepAccounts(batch, ctx.accounts);
        metrics.inc("s3guard_records_other_accounts_total", {}, dropped);
        await processRecords(kept, ruleset, outcome, next, ctx.seen);
        next += batch.length;
      },
    });
  } catch (e) {
    metrics.inc("s3guard_objects_total", { outcome: "unreadable" });
    log.error("log object unreadable; the message will be retried and, if it keeps failing, moved to the dead-letter queue", { ...where, error: errorText(e) });
    return { reason: errorText(e) };
  }
  for (const bad of content.badRecords) log.warn("bad record skipped; the other records of the object are evaluated", { ...where, record: bad });
  metrics.inc("s3guard_record_errors_total", {}, content.badRecords.length);
  if (content.tooLarge) {
    metrics.inc("s3guard_objects_total", { outcome: "too_large" });
    log.error("log object too large: the records before the limit are evaluated and their alerts delivered; the rest is not read, and the message is left for the dead-letter queue", {
      ...where,
      problem: content.tooLarge,
      evaluatedRecords: content.records,
      action: "look at the object; if it is a genuine log file, raise S3GUARD_MAX_LOG_BYTES and redrive the message",
    });
  } else if (content.damage) {
    metrics.inc("s3guard_objects_total", { outcome: "damaged" });
    log.error("log object damaged; its readable records are evaluated, and the message will be retried and end in the dead-letter queue if the object stays damaged", {
      ...where,
      damage: content.damage,
      salvagedRecords: content.records,
    });
  } else {
    metrics.inc("s3guard_objects_total", { outcome: "read" });
  }
  recordStateMetrics(metrics, ruleset);
  const failed = await deliver(outcome, origin, ctx);
  if (content.tooLarge) return { reason: `s3://${ref.bucket}/${ref.key}: ${content.tooLarge}`, tooLarge: true };
  if (content.damage) return { reason: `s3://${ref.bucket}/${ref.key}: ${content.damage}` };
  return failed === undefined ? undefined : { reason: failed };
}

/** Counts what was evaluated and delivers the alerts; returns why delivery failed, or undefined when every sink accepted every alert. */
async function deliver(outcome: RecordsOutcome, origin: RecordOrigin, ctx: HandlerContext): Promise<string | undefined> {
  const { log, metrics } = ctx;
  const delivered = () => {
    for (const id of outcome.eventIds) ctx.seen?.add(id);
    return undefined;
  };
  metrics.inc("s3guard_records_repeated_total", {}, outcome.repeated);
  metrics.inc("s3guard_records_total", {}, outcome.evaluated + outcome.skipped);
  metrics.inc("s3guard_records_skipped_total", {}, outcome.skipped);
  metrics.inc("s3guard_record_errors_total", {}, outcome.errors.length);
  for (const e of outcome.errors) log.warn("record could not be evaluated; the others are", { ...origin, error: e });
  countAlerts(outcome.alerts, metrics);
  if (outcome.alerts.length === 0) return delivered();
  const report = await ctx.delivery.deliver(outcome.alerts);
  countDelivery(report, metrics);
  if (report.failures.length === 0) return delivered();
  const destinations = [...new Set(report.failures.map((f) => f.destination))];
  log.error("alerts not accepted by a destination; the message is left for redelivery and only what each destination is missing will be sent again", {
    ...origin,
    destinations,
    failed: report.failures.length,
    firstReason: report.failures[0].reason,
  });
  return `${report.failures.length} alert(s) not accepted by ${destinations.join(", ")}: ${report.failures[0].reason}`;
}

function countAlerts(alerts: readonly Alert[], metrics: Metrics): void {
  for (const a of alerts) metrics.inc("s3guard_alerts_total", { rule: a.rule, priority: a.priority });
}

/** Per-destination counters: what each output was sent, failed, retried, skipped as duplicate or deferred. */
export function countDelivery(report: DeliveryReport, metrics: Metrics): void {
  for (const [destination, c] of Object.entries(report.byDestination)) {
    const labels = { destination, type: c.type };
    metrics.inc("s3guard_destination_sent_total", labels, c.sent);
    metrics.inc("s3guard_destination_failed_total", labels, c.failed);
    metrics.inc("s3guard_destination_retried_total", labels, c.retried);
    metrics.inc("s3guard_destination_duplicates_total", labels, c.duplicates);
    metrics.inc("s3guard_destination_deferred_total", labels, c.deferred);
  }
}
