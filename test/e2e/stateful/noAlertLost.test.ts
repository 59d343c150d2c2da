import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import type { ConnectorProcess } from "../../../scripts/local/connectorProcess";
import { createStateTable, startDynalite, type LocalDynamo } from "../../support/dynalite";
import { CLI_AGENT, iamUser, Trail, type Json } from "../../rules/fixtures/s3DataEvents";
import { bundledRulesText } from "../../support/bundledRules";
import { eventually, Harness } from "../support/harness";
import { WebhookReceiver } from "../support/webhookReceiver";

/**
 * A stateful alert is decided once and must still reach the sink when its first delivery fails:
 * the sink refuses it, or the task is killed while posting it. The record that decided it comes
 * back (SQS redelivers its message) and the alert is sent then. State is in DynamoDB (dynalite),
 * as with several tasks.
 *
 * The case is a sequence completed by its first step arriving last: the batch deletion (the
 * follower) is read first and waits; the version listing (the first step) then completes the pair.
 */

/** The whole bundled library, whose stateful S3 rules are under test. */
const RULES = bundledRulesText();
const BATCH_DELETION = "S3 Versions Listed then Batch-Deleted";

let h: Harness;
let dynamo: LocalDynamo;
let webhook: WebhookReceiver | undefined;
beforeAll(async () => {
  dynamo = await startDynalite();
  h = await Harness.start({ name: "no-alert-lost", rules: RULES });
});
afterAll(async () => {
  await h?.stop();
  await dynamo?.close();
});
afterEach(async () => {
  await h.stopConnectors();
  await webhook?.stop();
  webhook = undefined;
});

let files = 0;
async function deliver(records: Json[]): Promise<void> {
  await deliverLogFile(h.aws, h.pipeline, cloudTrailKey("012345678901", "us-east-1", new Date("2024-06-03T10:05:00Z"), `lost${++files}`), { records });
}

const deleted = async (c: ConnectorProcess) => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') ?? 0;
const sequenceAlerts = (w: WebhookReceiver) => w.requests.filter((r) => r.body.rule === BATCH_DELETION);

async function connector(table: string, extra: Record<string, string> = {}): Promise<ConnectorProcess> {
  return h.startConnector({
    S3GUARD_STATE_TABLE: table,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    S3GUARD_CONCURRENCY: "1",
    S3GUARD_ALERTS: "webhook",
    S3GUARD_WEBHOOK_URL: webhook!.url,
    ...extra,
  });
}

describe("a stateful alert whose first delivery fails", () => {
  it("is sent when its message comes back after the sink refused it", async () => {
    // Every attempt at the first delivery fails (the sink tries three times), later ones succeed.
    let refusals = 0;
    webhook = await WebhookReceiver.start((body) => (body.rule === BATCH_DELETION && refusals++ < 3 ? 503 : 200));
    const c = await connector(await createStateTable(dynamo.client()));
    const mallory = new Trail("no-alert-lost/refused", iamUser("mallory", "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T11:00:00Z");
    await deliver([mallory.deleteObjects(30_000, 900)]);
    await eventually("the follower's message handled", async () => (await deleted(c)) === 1);
    await deliver([mallory.listObjectVersions(0)]);

    await eventually("the first step's message handled", async () => (await deleted(c)) === 2, 30_000);
    const accepted = sequenceAlerts(webhook).filter((r) => r.status === 200);
    expect(refusals).toBeGreaterThanOrEqual(3);
    expect(accepted).toHaveLength(1);
    expect((await c.metrics()).get('s3guard_messages_total{outcome="retried"}')).toBeGreaterThanOrEqual(1);
  });

  it("is sent by another task when the one posting it is killed", async () => {
    // The first POST of the alert never gets an answer; the task posting it is killed meanwhile.
    webhook = await WebhookReceiver.start((body) => (body.rule === BATCH_DELETION ? "hang" : 200));
    const table = await createStateTable(dynamo.client());
    const lease = { S3GUARD_DELIVERY_LEASE_SECONDS: "3" };
    const first = await connector(table, lease);
    const mallory = new Trail("no-alert-lost/killed", iamUser("mallory", "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T12:00:00Z");
    await deliver([mallory.deleteObjects(30_000, 900)]);
    await eventually("the follower's message handled", async () => (await deleted(first)) === 1);
    await deliver([mallory.listObjectVersions(0)]);
    await eventually("the alert being posted", async () => sequenceAlerts(webhook!).length === 1);
    await first.stop("SIGKILL");

    webhook.respond = () => 200;
    const second = await connector(table, lease);
    await eventually("the first step's message handled again", async () => (await deleted(second)) === 1, 30_000);
    const posts = sequenceAlerts(webhook);
    expect(posts.map((r) => r.status)).toEqual([0, 200]);
    expect(posts[1].alertId).toBe(posts[0].alertId);
  });
});
