import { Delivery, everyAlert } from "../../../detector/src/alerts/delivery";
import { DeliveredWindow } from "../../../detector/src/alerts/deliveredWindow";
import { alertFilter } from "../../../detector/src/alerts/routing";
import type { AlertSink, SinkFailure } from "../../../detector/src/alerts/sink";
import type { Alert } from "../../../detector/src/engine";
import { makeAlert } from "../support/alerts";

/** A sink for the tests: records what it was sent, fails the ids it is told to. */
class RecordingSink implements AlertSink {
  readonly sent: string[] = [];
  failing = new Set<string>();
  gate?: Promise<void>;
  readonly type = "webhook" as const;
  constructor(readonly name: string) {}
  async send(alerts: readonly Alert[]): Promise<SinkFailure[]> {
    await this.gate;
    const failures = alerts.filter((a) => this.failing.has(a.id)).map((a) => ({ alertId: a.id, reason: "down" }));
    for (const a of alerts) if (!this.failing.has(a.id)) this.sent.push(a.id);
    return failures;
  }
}

const WINDOW = { windowMs: 60_000, maxIds: 1000 };

describe("delivery to every sink, once per alert id", () => {
  it("sends each alert to every sink and reports nothing failed", async () => {
    const [a, b] = [new RecordingSink("stdout"), new RecordingSink("webhook")];
    const report = await new Delivery(everyAlert([a, b]), WINDOW).deliver([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(report.failures).toEqual([]);
    expect(a.sent).toEqual(["alert-000001", "alert-000002"]);
    expect(b.sent).toEqual(["alert-000001", "alert-000002"]);
  });

  it("does not send an alert again to a sink that accepted it within the window", async () => {
    const sink = new RecordingSink("stdout");
    const d = new Delivery(everyAlert([sink]), WINDOW);
    await d.deliver([makeAlert({ n: 1 })]);
    const report = await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(sink.sent).toEqual(["alert-000001", "alert-000002"]);
    expect(report.byDestination.stdout).toEqual({ type: "webhook", sent: 1, duplicates: 1, failed: 0, deferred: 0, retried: 0 });
  });

  it("after a sink fails, sends the retry only what that sink is missing", async () => {
    const [healthy, failing] = [new RecordingSink("stdout"), new RecordingSink("webhook")];
    failing.failing = new Set(["alert-000002"]);
    const d = new Delivery(everyAlert([healthy, failing]), WINDOW);
    const first = await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(first.failures).toEqual([{ destination: "webhook", alertId: "alert-000002", reason: "down" }]);

    failing.failing.clear();
    const retry = await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(retry.failures).toEqual([]);
    expect(healthy.sent).toEqual(["alert-000001", "alert-000002"]);
    expect(failing.sent).toEqual(["alert-000001", "alert-000002"]);
  });

  it("counts a sink that throws as failing every alert it was given", async () => {
    const broken: AlertSink = { name: "sns", type: "sns", send: async () => Promise.reject(new Error("no route to topic")) };
    const report = await new Delivery(everyAlert([broken]), WINDOW).deliver([makeAlert({ n: 1 })]);
    expect(report.failures).toEqual([{ destination: "sns", alertId: "alert-000001", reason: "no route to topic" }]);
  });

  it("sends an alert once when two messages carry it at the same time, and both learn the outcome", async () => {
    const sink = new RecordingSink("webhook");
    let open!: () => void;
    sink.gate = new Promise((r) => (open = r));
    const d = new Delivery(everyAlert([sink]), WINDOW);
    const first = d.deliver([makeAlert({ n: 1 })]);
    const second = d.deliver([makeAlert({ n: 1 })]);
    open();
    const [r1, r2] = await Promise.all([first, second]);
    expect(sink.sent).toEqual(["alert-000001"]);
    expect(r1.failures).toEqual([]);
    expect(r2.failures).toEqual([]);
    expect(r2.byDestination.webhook).toEqual({ type: "webhook", sent: 0, duplicates: 1, failed: 0, deferred: 0, retried: 0 });
  });

  it("fails the waiting message too when the concurrent send fails, so it is retried", async () => {
    const sink = new RecordingSink("webhook");
    sink.failing = new Set(["alert-000001"]);
    const d = new Delivery(everyAlert([sink]), WINDOW);
    const [, r2] = await Promise.all([d.deliver([makeAlert({ n: 1 })]), d.deliver([makeAlert({ n: 1 })])]);
    expect(r2.failures).toHaveLength(1);
  });
});

describe("routing: each alert to the destinations whose filters it passes", () => {
  it("sends an alert only where it routes, and a failure elsewhere does not hold its message back", async () => {
    const [chat, storage] = [new RecordingSink("chat"), new RecordingSink("storage-team")];
    const d = new Delivery(
      [
        { destination: chat, accepts: alertFilter({ minimumPriority: "Warning" }) },
        { destination: storage, accepts: alertFilter({ tags: ["aws_s3"] }) },
      ],
      WINDOW,
    );
    storage.failing = new Set(["alert-000001"]);
    const report = await d.deliver([makeAlert({ n: 1, priority: "Notice" }), makeAlert({ n: 2, priority: "Critical" }), makeAlert({ n: 3, priority: "Warning", tags: ["aws_s3"] })]);
    expect(chat.sent).toEqual(["alert-000002", "alert-000003"]);
    expect(storage.sent).toEqual(["alert-000003"]);
    // alert 1 was failing at storage-team, but it never routes there: nothing to retry.
    expect(report.failures).toEqual([]);
    expect(Object.keys(report.byDestination).sort()).toEqual(["chat", "storage-team"]);
  });

  it("reports nothing for an alert no destination takes", async () => {
    const chat = new RecordingSink("chat");
    const report = await new Delivery([{ destination: chat, accepts: alertFilter({ rules: ["Never*"] }) }], WINDOW).deliver([makeAlert()]);
    expect(report).toEqual({ failures: [], byDestination: {} });
    expect(chat.sent).toEqual([]);
  });
});

describe("a destination that keeps failing", () => {
  const options = { ...WINDOW, failuresBeforeBackoff: 2, backoffBaseMs: 1000, backoffMaxMs: 4000 };

  it("backs off: its alerts fail at once without a call, and the first success after the backoff ends it", async () => {
    let now = 0;
    const down = new RecordingSink("pager");
    const calls = jest.spyOn(down, "send");
    down.failing = new Set(["alert-000001", "alert-000002", "alert-000003"]);
    const d = new Delivery(everyAlert([down]), { ...options, now: () => now });
    await d.deliver([makeAlert({ n: 1 })]);
    await d.deliver([makeAlert({ n: 2 })]);
    expect(d.health()).toEqual([{ name: "pager", type: "webhook", up: false }]);
    const deferred = await d.deliver([makeAlert({ n: 3 })]);
    expect(calls).toHaveBeenCalledTimes(2);
    expect(deferred.byDestination.pager).toMatchObject({ deferred: 1, sent: 0 });
    expect(deferred.failures[0].reason).toMatch(/not tried: webhook output 'pager' failed 2 times in a row and is backing off for 1 s more \(last error: down\)/);

    now = 1000;
    down.failing.clear();
    const recovered = await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 2 }), makeAlert({ n: 3 })]);
    expect(recovered.failures).toEqual([]);
    // Alerts 1 and 2 had failed before: their second attempt counts as retried.
    expect(recovered.byDestination.pager).toMatchObject({ sent: 3, retried: 2 });
    expect(d.health()[0].up).toBe(true);
    expect(down.sent).toEqual(["alert-000001", "alert-000002", "alert-000003"]);
  });

  it("doubles the backoff with each failure in a row, up to the longest", async () => {
    let now = 0;
    const down = new RecordingSink("pager");
    down.failing = new Set(["alert-000001"]);
    const d = new Delivery(everyAlert([down]), { ...options, now: () => now });
    const waits: string[] = [];
    for (let i = 0; i < 5; i++) {
      await d.deliver([makeAlert({ n: 1 })]);
      const r = await d.deliver([makeAlert({ n: 1 })]);
      waits.push(/backing off for (\d+) s/.exec(r.failures[0].reason)?.[1] ?? "tried");
      now += 10_000;
    }
    // Two failures in a row start the backoff (1 s, not seen: the clock moves on); then 2 s, 4 s, and 4 s at most.
    expect(waits).toEqual(["tried", "2", "4", "4", "4"]);
  });

  it("does not back off for a destination that fails some alerts but takes others", async () => {
    const flaky = new RecordingSink("flaky");
    flaky.failing = new Set(["alert-000001"]);
    const d = new Delivery(everyAlert([flaky]), options);
    for (let i = 0; i < 4; i++) await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 10 + i })]);
    expect(d.health()[0].up).toBe(true);
  });

  it("counts the retries a destination makes within a send", async () => {
    const retrying: AlertSink = {
      name: "slack",
      type: "slack",
      send: async (_alerts, ctx) => {
        ctx?.retried(2);
        return [];
      },
    };
    const report = await new Delivery(everyAlert([retrying]), WINDOW).deliver([makeAlert()]);
    expect(report.byDestination.slack).toMatchObject({ sent: 1, retried: 2 });
  });
});

describe("the window of delivered ids", () => {
  it("forgets an id after the window", () => {
    let now = 0;
    const w = new DeliveredWindow(1000, 10, () => now);
    w.add("a");
    now = 999;
    expect(w.has("a")).toBe(true);
    now = 1000;
    expect(w.has("a")).toBe(false);
  });

  it("keeps at most maxIds, forgetting the oldest first", () => {
    let now = 0;
    const w = new DeliveredWindow(60_000, 3, () => now++);
    for (const id of ["a", "b", "c", "d"]) w.add(id);
    expect(w.size).toBe(3);
    expect(w.has("a")).toBe(false);
    expect(["b", "c", "d"].every((id) => w.has(id))).toBe(true);
  });
});
