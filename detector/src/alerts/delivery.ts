import type { Alert } from "../engine";
import { DeliveredWindow } from "./deliveredWindow";
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
}

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

  constructor(
    readonly sinks: readonly AlertSink[],
    options: DeliveryOptions,
  ) {
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
    if (fresh.length) {
      try {
        failures = await sink.send(fresh);
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
    counts.sent = fresh.length - failed.size;

    for (const [id, accepted] of waiting) {
      if (await accepted) counts.duplicates++;
      else failures.push({ alertId: id, reason: "the same alert, sent for another message at the same time, was not accepted" });
    }
    counts.failed = failures.length;
    return { failures, counts };
  }
}
