import { Delivery, everyAlert } from "../../../detector/src/alerts/delivery";
import type { AlertSink, SinkFailure } from "../../../detector/src/alerts/sink";
import type { Alert } from "../../../detector/src";
import { DynamoDbDeliveryLedger } from "../../../detector/src/state/deliveryLedger";
import { createStateTable, startDynalite, type LocalDynamo } from "../../support/dynalite";

/**
 * The ledger of sent alerts that tasks share through the state table (dynalite over HTTP): one
 * task claims an alert, the others learn it was sent, or wait while it is being sent; a claim given
 * back or left by a dead task is taken over.
 */

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});

async function ledgers(n: number, leaseSeconds = 60, now: () => number = Date.now): Promise<DynamoDbDeliveryLedger[]> {
  const client = dynamo.client();
  const table = await createStateTable(client);
  return Array.from({ length: n }, (_, i) => new DynamoDbDeliveryLedger({ table, client, leaseSeconds, owner: `task-${i}`, now }));
}

describe("shared delivery ledger", () => {
  it("lets one task claim an alert; the others see it busy, then sent", async () => {
    const [a, b] = await ledgers(2);
    expect(await a.claim("webhook", "id1")).toBe("mine");
    expect(await b.claim("webhook", "id1")).toBe("busy");
    expect(await b.claim("stdout", "id1")).toBe("mine");
    await a.settle("webhook", "id1", true);
    expect(await b.claim("webhook", "id1")).toBe("sent");
    expect(await a.claim("webhook", "id1")).toBe("sent");
  });

  it("gives a refused alert back at once, for any task to send again", async () => {
    const [a, b] = await ledgers(2);
    expect(await a.claim("webhook", "id2")).toBe("mine");
    await a.settle("webhook", "id2", false);
    expect(await b.claim("webhook", "id2")).toBe("mine");
    // The first task's late give-back does not free the second task's claim.
    await a.settle("webhook", "id2", false);
    expect(await a.claim("webhook", "id2")).toBe("busy");
  });

  it("lets another task take over a claim whose lease ran out (its task died while sending)", async () => {
    let clock = Date.parse("2024-05-01T12:00:00Z");
    const [a, b] = await ledgers(2, 30, () => clock);
    expect(await a.claim("webhook", "id3")).toBe("mine");
    clock += 29_000;
    expect(await b.claim("webhook", "id3")).toBe("busy");
    clock += 2_000;
    expect(await b.claim("webhook", "id3")).toBe("mine");
  });
});

describe("delivery through the shared ledger", () => {
  const alert = (id: string) => ({ id, rule: "r", priority: "Warning" }) as unknown as Alert;
  const sink = (accept: (id: string) => boolean) => {
    const sent: string[] = [];
    const s: AlertSink = {
      name: "webhook",
      type: "webhook",
      async send(alerts): Promise<SinkFailure[]> {
        const failures: SinkFailure[] = [];
        for (const a of alerts) if (accept(a.id)) sent.push(a.id); else failures.push({ alertId: a.id, reason: "refused" });
        return failures;
      },
    };
    return { s, sent };
  };

  it("sends an alert two tasks raise once, and counts it a duplicate for the other", async () => {
    const [la, lb] = await ledgers(2);
    const [sa, sb] = [sink(() => true), sink(() => true)];
    const [da, db] = [new Delivery(everyAlert([sa.s]), { windowMs: 60_000, maxIds: 100, shared: la }), new Delivery(everyAlert([sb.s]), { windowMs: 60_000, maxIds: 100, shared: lb })];
    const [ra, rb] = await Promise.all([da.deliver([alert("x"), alert("y")]), db.deliver([alert("y"), alert("x"), alert("z")])]);
    expect([...sa.sent, ...sb.sent].sort()).toEqual(["x", "y", "z"]);
    expect(ra.failures).toEqual([]);
    expect(rb.failures).toEqual([]);
    expect((ra.byDestination.webhook?.sent ?? 0) + (rb.byDestination.webhook?.sent ?? 0)).toBe(3);
    expect((ra.byDestination.webhook?.duplicates ?? 0) + (rb.byDestination.webhook?.duplicates ?? 0)).toBe(2);
  });

  it("reports a refused alert as failed and sends it on the next attempt", async () => {
    const [l] = await ledgers(1);
    let refuse = true;
    const s = sink(() => !refuse);
    const d = new Delivery(everyAlert([s.s]), { windowMs: 60_000, maxIds: 100, shared: l });
    expect((await d.deliver([alert("w")])).failures).toHaveLength(1);
    refuse = false;
    expect((await d.deliver([alert("w")])).failures).toEqual([]);
    expect(s.sent).toEqual(["w"]);
  });
});
