import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { S3Client } from "@aws-sdk/client-s3";
import { atLeast, type Alert } from "../engine";
import type { Delivery } from "../alerts/delivery";
import { backoffMs, isTransientAwsError, sleep, withRetry } from "../alerts/retry";
import { errorText } from "../alerts/sink";
import { SeenEvents } from "../ingest/seenEvents";
import type { LogObjectClient } from "./awsClients";
import type { ConnectorConfig } from "./config";
import type { Readiness } from "./healthServer";
import type { Logger } from "./log";
import { countDelivery, handleMessage, READING_DEFAULTS, type MessageOutcome } from "./messageHandler";
import type { Metrics } from "./metrics";
import { ObjectWorkers } from "./objectWorkers";
import type { RulesWatcher } from "./rulesWatcher";
import { releaseMessage, VisibilityHeartbeat } from "./visibility";

export interface ConnectorDeps {
  config: ConnectorConfig;
  sqs: SQSClient;
  s3: S3Client;
  /** The client that reads a bucket's log objects; default `s3` (see AwsClients.logObjects). */
  logObjects?: (bucket: string) => LogObjectClient;
  delivery: Delivery;
  rules: RulesWatcher;
  log: Logger;
  metrics: Metrics;
}

interface InFlight {
  message: Message;
  /** Set at shutdown when the message was handed back to the queue: its outcome is then ignored. */
  released: boolean;
  done: Promise<void>;
}

/**
 * The service loop: receive -> fetch -> evaluate -> deliver -> acknowledge, with up to
 * `concurrency` messages at once. A message is deleted only when its handling says so; anything
 * else leaves it for redelivery (and, after the redrive count, the dead-letter queue).
 */
export class Connector {
  private readonly inFlight = new Set<InFlight>();
  private readonly background = new Set<Promise<void>>();
  private readonly stopController = new AbortController();
  private slotFreed?: () => void;
  /** The queue's visibility timeout, read at start; the SQS default until then. */
  private visibilitySeconds = 30;
  private attributesRead = false;
  private lastAttributesTry = 0;
  /** Set by any successful call on the queue (GetQueueAttributes or ReceiveMessage). */
  private queueAnswers = false;
  private loop?: Promise<void>;
  /** Events evaluated and delivered by this task, so a second delivery of one is not evaluated again. */
  private readonly seen = new SeenEvents();

  /** Worker threads that evaluate log objects (S3GUARD_WORKERS). */
  private readonly objectWorkers: ObjectWorkers;

  constructor(private readonly deps: ConnectorDeps) {
    this.objectWorkers = new ObjectWorkers(deps.config.workers, { wholeBytes: READING_DEFAULTS.wholeBytes, maxBytes: deps.config.maxLogBytes, raiseHint: "raise S3GUARD_MAX_LOG_BYTES" });
  }

  /** Raises one of the service's own alerts (rules changes), delivered in the background until accepted. */
  raise = (alert: Alert): void => {
    if (!atLeast(alert.priority, this.deps.config.minimumPriority)) return;
    const p = this.deliverInBackground(alert).finally(() => this.background.delete(p));
    this.background.add(p);
  };

  async start(): Promise<void> {
    await this.checkQueue();
    await this.deps.rules.start();
    this.loop = this.receiveLoop();
  }

  readiness(): Readiness {
    const rules = this.deps.rules.current;
    const ready = !!rules && this.queueAnswers && !this.stopController.signal.aborted;
    this.deps.metrics.set("s3guard_ready", ready ? 1 : 0);
    for (const d of this.deps.delivery.health()) this.deps.metrics.set("s3guard_destination_up", d.up ? 1 : 0, { destination: d.name, type: d.type });
    return {
      ready,
      details: {
        rulesVersion: rules?.version ?? null,
        rulesOrigin: rules?.origin ?? null,
        queue: this.queueAnswers ? "answers" : "not answering",
        inFlight: this.inFlight.size,
        ...(this.stopController.signal.aborted ? { stopping: true } : {}),
      },
    };
  }

  /**
   * Stops receiving, gives in-flight messages until the shutdown deadline to finish, hands the rest
   * back to the queue (visibility 0) so another consumer takes them at once, and flushes the sinks.
   */
  async stop(): Promise<void> {
    const { config, log, delivery, rules, sqs } = this.deps;
    const deadline = Date.now() + config.shutdownSeconds * 1000;
    log.info("stopping: no new messages; finishing the ones in flight", { inFlight: this.inFlight.size, seconds: config.shutdownSeconds });
    this.stopController.abort();
    rules.stop();
    this.slotFreed?.();
    const settled = Promise.all([...this.inFlight].map((f) => f.done));
    await Promise.race([settled, sleep(Math.max(0, deadline - Date.now() - 2000))]);
    for (const f of this.inFlight) {
      f.released = true;
      try {
        await releaseMessage(sqs, config.queueUrl, f.message.ReceiptHandle!);
        this.deps.metrics.inc("s3guard_messages_total", { outcome: "released" });
        log.warn("message not finished before shutdown; handed back to the queue for another consumer", { messageId: f.message.MessageId });
      } catch (e) {
        log.warn("message not finished before shutdown and could not be handed back; it returns after its visibility timeout", { messageId: f.message.MessageId, error: errorText(e) });
      }
    }
    await Promise.race([Promise.all([delivery.flush(), ...this.background]), sleep(Math.max(0, deadline - Date.now()))]);
    await this.loop;
    await this.objectWorkers.close();
    log.info("stopped");
  }

  /**
   * Reads the queue's visibility timeout (the heartbeat extends by it) and warns when there is no
   * redrive policy. Not essential: without sqs:GetQueueAttributes the service runs on the SQS
   * default of 30 seconds, and a successful receive is what proves the queue answers.
   */
  private async checkQueue(): Promise<void> {
    const { sqs, config, log } = this.deps;
    this.lastAttributesTry = Date.now();
    try {
      const res = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.queueUrl, AttributeNames: ["VisibilityTimeout", "RedrivePolicy"] }));
      this.visibilitySeconds = Math.max(1, Number(res.Attributes?.VisibilityTimeout ?? 30));
      this.attributesRead = true;
      this.queueAnswers = true;
      if (!res.Attributes?.RedrivePolicy) log.warn("the queue has no redrive policy: a message that keeps failing is retried forever instead of moving to a dead-letter queue", { queueUrl: config.queueUrl });
      log.info("queue answers", { queueUrl: config.queueUrl, visibilityTimeoutSeconds: this.visibilitySeconds });
    } catch (e) {
      log.warn("cannot read the queue's attributes; assuming a visibility timeout of 30 seconds", {
        queueUrl: config.queueUrl,
        error: errorText(e),
        action: "check S3GUARD_QUEUE_URL and the region; grant the task role sqs:GetQueueAttributes on the queue",
      });
    }
  }

  private async waitForSlot(): Promise<void> {
    while (this.inFlight.size >= this.deps.config.concurrency && !this.stopController.signal.aborted) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
  }

  private async receiveLoop(): Promise<void> {
    const { sqs, config, log, metrics } = this.deps;
    const signal = this.stopController.signal;
    let failures = 0;
    while (!signal.aborted) {
      await this.waitForSlot();
      if (signal.aborted) break;
      if (!this.deps.rules.current) {
        await sleep(1000, signal); // not ready: nothing is received until some rules run
        continue;
      }
      // Worker threads load the rules while the queue is asked for messages.
      if (this.objectWorkers.accepts(this.deps.rules.current)) this.objectWorkers.prepare(this.deps.rules.current);
      let messages: Message[];
      try {
        const res = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: config.queueUrl,
            MaxNumberOfMessages: Math.min(10, config.concurrency - this.inFlight.size),
            WaitTimeSeconds: config.receiveWaitSeconds,
            MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
          }),
          { abortSignal: signal },
        );
        messages = res.Messages ?? [];
        this.queueAnswers = true;
        if (!this.attributesRead && Date.now() - this.lastAttributesTry > 60_000) void this.checkQueue();
        failures = 0;
      } catch (e) {
        if (signal.aborted) break;
        this.queueAnswers = false;
        metrics.inc("s3guard_receive_errors_total");
        log.error("cannot receive from the queue; retrying", { queueUrl: config.queueUrl, error: errorText(e) });
        await sleep(backoffMs(Math.min(++failures, 6), 500, 20_000) + 250, signal);
        continue;
      }
      for (const m of messages) this.start1(m);
    }
  }

  private start1(message: Message): void {
    this.deps.metrics.inc("s3guard_messages_received_total");
    const sent = Number(message.Attributes?.SentTimestamp);
    if (sent) this.deps.metrics.set("s3guard_queue_lag_seconds", Math.max(0, (Date.now() - sent) / 1000));
    const entry: InFlight = { message, released: false, done: Promise.resolve() };
    entry.done = this.process(entry).finally(() => {
      this.inFlight.delete(entry);
      this.deps.metrics.set("s3guard_messages_in_flight", this.inFlight.size);
      this.slotFreed?.();
    });
    this.inFlight.add(entry);
    this.deps.metrics.set("s3guard_messages_in_flight", this.inFlight.size);
  }

  private async process(entry: InFlight): Promise<void> {
    const { sqs, s3, config, log, metrics, delivery } = this.deps;
    const { message } = entry;
    const messageId = message.MessageId ?? "(no id)";
    // One ruleset for the whole message, even if a reload swaps in another meanwhile.
    const rules = this.deps.rules.current!;
    const ruleset = rules.stateful;
    const heartbeat = new VisibilityHeartbeat(sqs, config.queueUrl, message.ReceiptHandle!, this.visibilitySeconds, messageId, log);
    heartbeat.start();
    let outcome: MessageOutcome;
    try {
      outcome = await handleMessage(message, ruleset, {
        seen: this.seen,
        s3,
        ...(this.deps.logObjects ? { logObjects: this.deps.logObjects } : {}),
        ...(config.accountIds ? { accounts: config.accountIds } : {}),
        delivery,
        log,
        metrics,
        reading: { ...READING_DEFAULTS, maxBytes: config.maxLogBytes },
        ...(this.objectWorkers.accepts(rules) ? { parallel: { workers: this.objectWorkers, rules } } : {}),
      });
    } catch (e) {
      outcome = { action: "retry", reason: `unexpected error: ${errorText(e)}` };
      log.error("unexpected error while handling a message; it will be retried", { messageId, error: errorText(e), stack: (e as Error).stack });
    } finally {
      heartbeat.stop();
    }
    if (entry.released) return;
    if (outcome.action === "delete") {
      try {
        await withRetry(() => sqs.send(new DeleteMessageCommand({ QueueUrl: config.queueUrl, ReceiptHandle: message.ReceiptHandle })), { attempts: 4, baseMs: 200, maxMs: 2000, retryable: isTransientAwsError });
        metrics.inc("s3guard_messages_total", { outcome: "deleted" });
        log.debug("message done", { messageId });
      } catch (e) {
        // Its alerts were all accepted; a redelivery re-sends nothing new within the window.
        log.warn("message handled but not deleted; it will come back and be handled again", { messageId, error: errorText(e) });
      }
    } else {
      metrics.inc("s3guard_messages_total", { outcome: outcome.action === "reject" ? "rejected" : "retried" });
      if (outcome.action === "retry") log.warn("message left for redelivery", { messageId, receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1), reason: outcome.reason });
      else {
        // Handling it again gives the same answer: hand it back at once, so the redrive policy
        // moves it to the dead-letter queue after its receives rather than a visibility timeout each.
        await releaseMessage(sqs, config.queueUrl, message.ReceiptHandle!).catch(() => undefined);
      }
    }
  }

  private async deliverInBackground(alert: Alert): Promise<void> {
    const { delivery, log } = this.deps;
    for (let attempt = 0; ; attempt++) {
      const report = await delivery.deliver([alert]);
      countDelivery(report, this.deps.metrics);
      if (report.failures.length === 0) return;
      if (this.stopController.signal.aborted && attempt > 0) {
        log.error("service alert not delivered before shutdown", { rule: alert.rule, message: alert.message, reason: report.failures[0].reason });
        return;
      }
      log.warn("service alert not delivered yet; retrying", { rule: alert.rule, reason: report.failures[0].reason });
      await sleep(backoffMs(Math.min(attempt, 7), 1000, 60_000) + 500, this.stopController.signal);
    }
  }
}
