import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import type { ConnectorProcess } from "../../../scripts/local/connectorProcess";
import { createStateTable, startDynalite, type LocalDynamo } from "../../support/dynalite";
import { CLI_AGENT, iamUser, objectKeys, Trail, versionId, type Json } from "../../rules/fixtures/s3DataEvents";
import { bundledRulesText } from "../../support/bundledRules";
import { eventually, Harness } from "../support/harness";

/**
 * Two Cloud Connector processes (`s3guard run`) consume one queue and share one state table:
 * fauxqs for S3, SNS and SQS, dynalite for DynamoDB, the real SDK over HTTP in every process.
 * A threshold crossing whose matches arrive in log files spread over both processes alerts
 * exactly once; so does a sequence whose two steps are in files handled by different processes.
 */

/** The whole bundled library, whose stateful S3 rules are under test. */
const RULES = bundledRulesText();
const MASS_DELETION = "S3 Mass Object Deletion";
const BATCH_DELETION = "S3 Versions Listed then Batch-Deleted";

let h: Harness;
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
  h = await Harness.start({ name: "stateful", rules: RULES });
});
afterAll(async () => {
  await h?.stop();
  await dynamo?.close();
});
afterEach(async () => {
  await h.stopConnectors();
});

/** Two connectors on the harness's queue, sharing a fresh state table; one message at a time each. */
async function twoConnectors(): Promise<ConnectorProcess[]> {
  const table = await createStateTable(dynamo.client());
  const env = { S3GUARD_STATE_TABLE: table, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, S3GUARD_CONCURRENCY: "1" };
  return Promise.all([h.startConnector(env), h.startConnector(env)]);
}

/** Delivers each batch of records as one CloudTrail log file (object + SNS notification). */
async function deliver(batches: Json[][], name: string): Promise<void> {
  await Promise.all(
    batches.map((records, i) => deliverLogFile(h.aws, h.pipeline, cloudTrailKey("012345678901", "us-east-1", new Date("2024-06-03T10:05:00Z"), `${name}${i}`), { records })),
  );
}

const handled = async (c: ConnectorProcess) => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') ?? 0;

describe("two connectors, one queue, one state table", () => {
  it("alert exactly once for a mass deletion whose matches are spread over both", async () => {
    const connectors = await twoConnectors();
    const mallory = new Trail("two-connectors/mass", iamUser("mallory", "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T10:00:00Z");
    const deletions = objectKeys(60, 97).map((k, i) => mallory.deleteObject(i * 3000, k, versionId(`two-connectors/${i}`)));
    const files = Array.from({ length: 12 }, (_, i) => deletions.slice(i * 5, i * 5 + 5));
    await deliver(files, "mass");
    const counts = await eventually("all 12 files handled", async () => {
      const n = await Promise.all(connectors.map(handled));
      return n[0] + n[1] === 12 && n;
    });
    // The queue gave each process some of the files (one message at a time each).
    expect(counts.every((n) => n > 0)).toBe(true);
    const crossings = connectors.flatMap((c) => c.detections.filter((a) => a.rule === MASS_DELETION));
    expect(crossings).toHaveLength(1);
    expect(crossings[0].details.threshold).toMatchObject({ count: 50, threshold: 50, window: "10m" });
  });

  it("alert exactly once for versions listed in one file and batch-deleted in another", async () => {
    const connectors = await twoConnectors();
    const mallory = new Trail("two-connectors/versions", iamUser("mallory", "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T11:00:00Z");
    await deliver([[mallory.deleteObjects(30_000, 900)], [mallory.listObjectVersions(0)], [mallory.deleteObjects(31_000, 900)]], "versions");
    await eventually("all 3 files handled", async () => {
      const n = await Promise.all(connectors.map(handled));
      return n[0] + n[1] === 3;
    });
    expect(connectors.flatMap((c) => c.detections.filter((a) => a.rule === BATCH_DELETION))).toHaveLength(1);
  });
});
