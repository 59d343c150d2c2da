import type { Alert } from "../engine";
import { DeliveredWindow } from "./deliveredWindow";
import type { SharedDeliveryLedger } from "../state/deliveryLedger";
import { sleep } from "./retry";
import { allFailed, AlertSink, errorText, SinkFailure, SinkName } from "./sink";

export interface DeliveryFailure extends SinkFailure {
  sink: SinkName;
}

export interface SinkCounts {
  /** Alerts this call handed to the sink and that it accepted. */
  sent: number;
  /** Alerts skipped because the sink already accepted them within the window. */
  duplicates: number;
  failed: number;
}

export interface DeliveryReport {
  /** Empty when every alert is accepted by every sink: the message may be acknowledged. */
  failures: DeliveryFailure[];
  bySink: Partial<Record<SinkName, SinkCounts>>;
}

export interface DeliveryOptions {
  /** How long an accepted alert id suppresses the same id (S3GUARD_DEDUP_SECONDS). */
  windowMs: number;
  /** Ids remembered per sink at most. */
  maxIds: number;
  /**
   * Ids accepted by every task, when several share a state table: an alert raised by two tasks
   * (the same records read twice) is sent by one of them only.
   */
  shared?: SharedDeliveryLedger;
}

/** How often a task checks on an alert another task is sending. */
const SHARED_POLL_MS = 250;

/** One sink's memory: ids it accepted, and ids being sent right now by some message. */
interface Ledger {
  accepted: DeliveredWindow;
  /** Resolves true when the in-flight send accepted the id. */
  inFlight: Map<string, Promise<boolean>>;
}

/**
 * Hands alerts to every sink exactly once per id within the window. Each sink keeps its own
 * ledger, so when one sink fails and the message comes back, the redelivery sends only what that
 * sink is missing and the sinks that already accepted are not sent duplicates. Two messages
 * carrying the same record at the same time (two trails sharing a bucket) send it once: the
 * second waits for the first one's outcome.
 */
export class Delivery {
  private readonly ledgers = new Map<SinkName, Ledger>();
  private readonly shared?: SharedDeliveryLedger;

  constructor(
    readonly sinks: readonly AlertSink[],
    options: DeliveryOptions,
  ) {
    this.shared = options.shared;
    for (const s of sinks) this.ledgers.set(s.name, { accepted: new DeliveredWindow(options.windowMs, options.maxIds), inFlight: new Map() });
  }

  async deliver(alerts: readonly Alert[]): Promise<DeliveryReport> {
    const unique = [...new Map(alerts.map((a) => [a.id, a])).values()];
    const results = await Promise.all(this.sinks.map((s) => this.deliverTo(s, unique)));
    const report: DeliveryReport = { failures: [], bySink: {} };
    this.sinks.forEach((s, i) => {
      report.bySink[s.name] = results[i].counts;
      for (const f of results[i].failures) report.failures.push({ sink: s.name, ...f });
    });
    return report;
  }

  /** Sends what sinks buffer; used at shutdown. */
  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((s) => s.flush?.()));
  }

  private async deliverTo(sink: AlertSink, alerts: readonly Alert[]): Promise<{ failures: SinkFailure[]; counts: SinkCounts }> {
    const ledger = this.ledgers.get(sink.name)!;
    const counts: SinkCounts = { sent: 0, duplicates: 0, failed: 0 };
    const fresh: Alert[] = [];
    const waiting: Array<[string, Promise<boolean>]> = [];
    for (const a of alerts) {
      if (ledger.accepted.has(a.id)) counts.duplicates++;
      else if (ledger.inFlight.has(a.id)) waiting.push([a.id, ledger.inFlight.get(a.id)!]);
      else fresh.push(a);
    }

    let settle!: (failed: Set<string>) => void;
    const settled = new Promise<Set<string>>((resolve) => (settle = resolve));
    for (const a of fresh) ledger.inFlight.set(a.id, settled.then((failed) => !failed.has(a.id)));

    let failures: SinkFailure[] = [];
    const duplicates = new Set<string>();
    if (fresh.length) {
      try {
        failures = this.shared ? await this.sendShared(sink, fresh, duplicates) : await sink.send(fresh);
      } catch (e) {
        failures = allFailed(fresh, errorText(e));
      }
    }
    const failed = new Set(failures.map((f) => f.alertId));
    for (const a of fresh) {
      if (!failed.has(a.id)) ledger.accepted.add(a.id);
      ledger.inFlight.delete(a.id);
    }
    settle(failed);
    counts.sent = fresh.length - failed.size - duplicates.size;
    counts.duplicates += duplicates.size;

    for (const [id, accepted] of waiting) {
      if (await accepted) counts.duplicates++;
      else failures.push({ alertId: id, reason: "the same alert, sent for another message at the same time, was not accepted" });
    }
    counts.failed = failures.length;
    return { failures, counts };
  }

  /**
   * Sends through the shared ledger: each alert is claimed first; those another task accepted are
   * `duplicates`; those another task is sending are waited for (at most its lease), then either
   * known sent or claimed and sent here.
   */
  private async sendShared(sink: AlertSink, alerts: readonly Alert[], duplicates: Set<string>): Promise<SinkFailure[]> {
    const shared = this.shared!;
    const failures: SinkFailure[] = [];
    const deadline = Date.now() + shared.leaseMs + 5000;
    let pending = [...alerts];
    while (pending.length) {
      const outcomes = await Promise.all(pending.map((a) => shared.claim(sink.name, a.id)));
      const mine = pending.filter((_, i) => outcomes[i] === "mine");
      const busy = pending.filter((_, i) => outcomes[i] === "busy");
      pending.forEach((a, i) => outcomes[i] === "sent" && duplicates.add(a.id));
      if (mine.length) {
        let sent: SinkFailure[];
        try {
          sent = await sink.send(mine);
        } catch (e) {
          sent = allFailed(mine, errorText(e));
        }
        const refused = new Set(sent.map((f) => f.alertId));
        await Promise.all(mine.map((a) => shared.settle(sink.name, a.id, !refused.has(a.id))));
        failures.push(...sent);
      }
      if (busy.length && Date.now() > deadline) {
        for (const a of busy) failures.push({ alertId: a.id, reason: "another task has been sending this alert for longer than its lease; the message will be retried" });
        break;
      }
      pending = busy;
      if (pending.length) await sleep(SHARED_POLL_MS);
    }
    return failures;
  }
}
