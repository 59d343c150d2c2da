import { Delivery } from "../../../detector/src/alerts/delivery";
import { DeliveredWindow } from "../../../detector/src/alerts/deliveredWindow";
import type { AlertSink, SinkFailure, SinkName } from "../../../detector/src/alerts/sink";
import type { Alert } from "../../../detector/src/engine";
import { makeAlert } from "../support/alerts";

/** A sink for the tests: records what it was sent, fails the ids it is told to. */
class RecordingSink implements AlertSink {
  readonly sent: string[] = [];
  failing = new Set<string>();
  gate?: Promise<void>;
  constructor(readonly name: SinkName) {}
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
    const report = await new Delivery([a, b], WINDOW).deliver([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(report.failures).toEqual([]);
    expect(a.sent).toEqual(["alert-000001", "alert-000002"]);
    expect(b.sent).toEqual(["alert-000001", "alert-000002"]);
  });

  it("does not send an alert again to a sink that accepted it within the window", async () => {
    const sink = new RecordingSink("stdout");
    const d = new Delivery([sink], WINDOW);
    await d.deliver([makeAlert({ n: 1 })]);
    const report = await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(sink.sent).toEqual(["alert-000001", "alert-000002"]);
    expect(report.bySink.stdout).toEqual({ sent: 1, duplicates: 1, failed: 0 });
  });

  it("after a sink fails, sends the retry only what that sink is missing", async () => {
    const [healthy, failing] = [new RecordingSink("stdout"), new RecordingSink("webhook")];
    failing.failing = new Set(["alert-000002"]);
    const d = new Delivery([healthy, failing], WINDOW);
    const first = await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(first.failures).toEqual([{ sink: "webhook", alertId: "alert-000002", reason: "down" }]);

    failing.failing.clear();
    const retry = await d.deliver([makeAlert({ n: 1 }), makeAlert({ n: 2 })]);
    expect(retry.failures).toEqual([]);
    expect(healthy.sent).toEqual(["alert-000001", "alert-000002"]);
    expect(failing.sent).toEqual(["alert-000001", "alert-000002"]);
  });

  it("counts a sink that throws as failing every alert it was given", async () => {
    const broken: AlertSink = { name: "sns", send: async () => Promise.reject(new Error("no route to topic")) };
    const report = await new Delivery([broken], WINDOW).deliver([makeAlert({ n: 1 })]);
    expect(report.failures).toEqual([{ sink: "sns", alertId: "alert-000001", reason: "no route to topic" }]);
  });

  it("sends an alert once when two messages carry it at the same time, and both learn the outcome", async () => {
    const sink = new RecordingSink("webhook");
    let open!: () => void;
    sink.gate = new Promise((r) => (open = r));
    const d = new Delivery([sink], WINDOW);
    const first = d.deliver([makeAlert({ n: 1 })]);
    const second = d.deliver([makeAlert({ n: 1 })]);
    open();
    const [r1, r2] = await Promise.all([first, second]);
    expect(sink.sent).toEqual(["alert-000001"]);
    expect(r1.failures).toEqual([]);
    expect(r2.failures).toEqual([]);
    expect(r2.bySink.webhook).toEqual({ sent: 0, duplicates: 1, failed: 0 });
  });

  it("fails the waiting message too when the concurrent send fails, so it is retried", async () => {
    const sink = new RecordingSink("webhook");
    sink.failing = new Set(["alert-000001"]);
    const d = new Delivery([sink], WINDOW);
    const [, r2] = await Promise.all([d.deliver([makeAlert({ n: 1 })]), d.deliver([makeAlert({ n: 1 })])]);
    expect(r2.failures).toHaveLength(1);
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
