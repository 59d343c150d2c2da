import type { Alert } from "../engine";
import type { SharedDeliveryLedger } from "../state/deliveryLedger";
import { DeliveredWindow } from "./deliveredWindow";
import { sleep } from "./retry";
import type { AlertFilter } from "./routing";
import { allFailed, AlertSink, errorText, SendContext, SinkFailure } from "./sink";

export interface DeliveryFailure extends SinkFailure {
  /** The output's name. */
  destination: string;
}

export interface DestinationCounts {
  /** Alerts handed to the destination and accepted by it. */
  sent: number;
  /** Alerts not sent again because the destination accepted the same id within the window. */
  duplicates: number;
  /** Alerts the destination did not accept; their message is tried again later. */
  failed: number;
  /** Alerts not even tried because the destination is backing off after repeated failures. */
  deferred: number;
  /** Attempts made again after a failure: retries within a send, and alerts it had failed before. */
  retried: number;
}

export interface DeliveryReport {
  /** Empty when every alert reached every destination it routes to: the message may be acknowledged. */
  failures: DeliveryFailure[];
  /** Per destination that some alert routes to. */
  byDestination: Record<string, DestinationCounts & { type: string }>;
}

export interface DeliveryOptions {
  /** How long an accepted alert id suppresses the same id (S3GUARD_DEDUP_SECONDS). */
  windowMs: number;
  /** Ids remembered per destination at most. */
  maxIds: number;
  /**
   * Ids accepted by every task, when several share a state table: an alert raised by two tasks
   * (the same records read twice) is sent by one of them only.
   */
  shared?: SharedDeliveryLedger;
  /** Failed sends in a row after which a destination backs off. @default 3 */
  failuresBeforeBackoff?: number;
  /** First and longest backoff. @default 5 s and 60 s */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  now?: () => number;
}

/** How often a task checks on an alert another task is sending. */
const SHARED_POLL_MS = 250;

/** A destination and the alerts it takes. */
export interface Route {
  destination: AlertSink;
  accepts: AlertFilter;
}

/** One destination's memory: ids it accepted or failed, ids being sent now, and its health. */
interface Ledger {
  accepted: DeliveredWindow;
  failedBefore: DeliveredWindow;
  /** Resolves true when the in-flight send accepted the id. */
  inFlight: Map<string, Promise<boolean>>;
  failuresInARow: number;
  backoffUntil: number;
  lastError: string;
}

/**
 * Hands each alert to every destination it routes to, exactly once per id within the window. Each
 * destination keeps its own ledger, so when one fails and the message comes back, the redelivery
 * sends only what that destination is missing and the others are not sent duplicates. Two
 * messages carrying the same record at the same time (two trails sharing a bucket) send it once:
 * the second waits for the first one's outcome.
 *
 * Destinations are independent: each is sent to at the same time as the others, and one that
 * keeps failing backs off (its alerts fail at once, without an attempt, for a while growing from
 * 5 seconds to a minute) so that messages are not held up waiting on it while the healthy ones
 * deliver at full speed. Its alerts are not lost: their messages stay in the queue and are
 * retried, and the first attempt after the backoff that succeeds ends it.
 */
export class Delivery {
  private readonly ledgers = new Map<string, Ledger>();
  private readonly now: () => number;

  constructor(
    readonly routes: readonly Route[],
    private readonly options: DeliveryOptions,
  ) {
    this.now = options.now ?? Date.now;
    for (const { destination: d } of routes) {
      if (this.ledgers.has(d.name)) throw new Error(`two destinations are named '${d.name}'`);
      this.ledgers.set(d.name, { accepted: new DeliveredWindow(options.windowMs, options.maxIds, this.now), failedBefore: new DeliveredWindow(options.windowMs, options.maxIds, this.now), inFlight: new Map(), failuresInARow: 0, backoffUntil: 0, lastError: "" });
    }
  }

  get destinations(): AlertSink[] {
    return this.routes.map((r) => r.destination);
  }

  /** Whether each destination is taking alerts (false while it backs off). */
  health(): Array<{ name: string; type: string; up: boolean }> {
    return this.routes.map(({ destination: d }) => ({ name: d.name, type: d.type, up: this.ledgers.get(d.name)!.backoffUntil <= this.now() }));
  }

  async deliver(alerts: readonly Alert[]): Promise<DeliveryReport> {
    const unique = [...new Map(alerts.map((a) => [a.id, a])).values()];
    const routed = this.routes.map((r) => ({ route: r, alerts: unique.filter((a) => r.accepts(a)) })).filter((x) => x.alerts.length > 0);
    const results = await Promise.all(routed.map((x) => this.deliverTo(x.route.destination, x.alerts)));
    const report: DeliveryReport = { failures: [], byDestination: {} };
    routed.forEach(({ route: { destination: d } }, i) => {
      report.byDestination[d.name] = { type: d.type, ...results[i].counts };
      for (const f of results[i].failures) report.failures.push({ destination: d.name, ...f });
    });
    return report;
  }

  /** Sends what destinations buffer; used at shutdown. */
  async flush(): Promise<void> {
    await Promise.all(this.routes.map((r) => r.destination.flush?.()));
  }

  private async deliverTo(sink: AlertSink, alerts: readonly Alert[]): Promise<{ failures: SinkFailure[]; counts: DestinationCounts }> {
    const ledger = this.ledgers.get(sink.name)!;
    const counts: DestinationCounts = { sent: 0, duplicates: 0, failed: 0, deferred: 0, retried: 0 };
    const fresh: Alert[] = [];
    const waiting: Array<[string, Promise<boolean>]> = [];
    for (const a of alerts) {
      if (ledger.accepted.has(a.id)) counts.duplicates++;
      else if (ledger.inFlight.has(a.id)) waiting.push([a.id, ledger.inFlight.get(a.id)!]);
      else fresh.push(a);
    }

    const now = this.now();
    if (fresh.length && ledger.backoffUntil > now) {
      const seconds = Math.ceil((ledger.backoffUntil - now) / 1000);
      counts.deferred = fresh.length;
      const failures = allFailed(fresh, `not tried: ${sink.type} output '${sink.name}' failed ${ledger.failuresInARow} times in a row and is backing off for ${seconds} s more (last error: ${ledger.lastError})`);
      return { failures: [...failures, ...(await this.settleWaiting(waiting, counts))], counts };
    }

    let settle!: (failed: Set<string>) => void;
    const settled = new Promise<Set<string>>((resolve) => (settle = resolve));
    for (const a of fresh) ledger.inFlight.set(a.id, settled.then((failed) => !failed.has(a.id)));

    let failures: SinkFailure[] = [];
    const duplicates = new Set<string>();
    if (fresh.length) {
      counts.retried += fresh.filter((a) => ledger.failedBefore.has(a.id)).length;
      const ctx = { retried: (n: number) => (counts.retried += n) };
      try {
        failures = this.options.shared ? await this.sendShared(sink, fresh, duplicates, ctx) : await sink.send(fresh, ctx);
      } catch (e) {
        failures = allFailed(fresh, errorText(e));
      }
      this.recordHealth(ledger, fresh.length - duplicates.size, failures);
    }
    const failed = new Set(failures.map((f) => f.alertId));
    for (const a of fresh) {
      if (failed.has(a.id)) ledger.failedBefore.add(a.id);
      else ledger.accepted.add(a.id);
      ledger.inFlight.delete(a.id);
    }
    settle(failed);
    counts.sent = fresh.length - failed.size - duplicates.size;
    counts.failed = failed.size;
    counts.duplicates += duplicates.size;
    failures.push(...(await this.settleWaiting(waiting, counts)));
    return { failures, counts };
  }

  /** Alerts another message was sending at the same time: accepted there, or failed for this message too. */
  private async settleWaiting(waiting: Array<[string, Promise<boolean>]>, counts: DestinationCounts): Promise<SinkFailure[]> {
    const failures: SinkFailure[] = [];
    for (const [id, accepted] of waiting) {
      if (await accepted) counts.duplicates++;
      else {
        counts.failed++;
        failures.push({ alertId: id, reason: "the same alert, sent for another message at the same time, was not accepted" });
      }
    }
    return failures;
  }

  /**
   * Sends through the shared ledger: each alert is claimed first; those another task accepted are
   * `duplicates`; those another task is sending are waited for (at most its lease), then either
   * known sent or claimed and sent here.
   */
  private async sendShared(sink: AlertSink, alerts: readonly Alert[], duplicates: Set<string>, ctx: SendContext): Promise<SinkFailure[]> {
    const shared = this.options.shared!;
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
          sent = await sink.send(mine, ctx);
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

  /** A send that failed altogether counts towards backing off; one that got anything through ends it. */
  private recordHealth(ledger: Ledger, sent: number, failures: SinkFailure[]): void {
    if (sent <= 0) return;
    if (failures.length < sent) {
      ledger.failuresInARow = 0;
      ledger.backoffUntil = 0;
      return;
    }
    ledger.failuresInARow++;
    ledger.lastError = failures[0]?.reason ?? "";
    const threshold = this.options.failuresBeforeBackoff ?? 3;
    if (ledger.failuresInARow >= threshold) {
      const base = this.options.backoffBaseMs ?? 5000;
      const delay = Math.min(this.options.backoffMaxMs ?? 60_000, base * 2 ** (ledger.failuresInARow - threshold));
      ledger.backoffUntil = this.now() + delay;
    }
  }
}

/** Routes that take every alert, for callers with plain destinations (tests, the legacy sink list). */
export function everyAlert(destinations: readonly AlertSink[]): Route[] {
  return destinations.map((destination) => ({ destination, accepts: () => true }));
}
