import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import type { ConnectorProcess } from "../../../scripts/local/connectorProcess";
import { createStateTable, startDynalite, type LocalDynamo } from "../../support/dynalite";
import { CLI_AGENT, iamUser, objectKeys, Trail, versionId, type Json } from "../../rules/fixtures/s3DataEvents";
import { eventually, Harness } from "../support/harness";
import { WebhookReceiver } from "../support/webhookReceiver";

/**
 * Two connector tasks share one state table and read the same records: every log file is
 * delivered twice (as by two trails writing to one bucket), and the tasks take the messages as
 * the queue hands them out. Each alert, of a threshold as of a plain rule, reaches the sink
 * exactly once.
 */

const THRESHOLD = "Deletions by one principal";
const PLAIN = "Bucket policy deleted";
const RULES = `
- rule: ${THRESHOLD}
  desc: test
  condition: ct.name = DeleteObject
  output: deletions (user=%ct.user.arn bucket=%s3.bucket)
  priority: WARNING
  source: aws_cloudtrail
  threshold: {count: 5, window: 10m, group_by: [ct.user.arn, s3.bucket]}

- rule: ${PLAIN}
  desc: test
  condition: ct.name = DeleteBucketPolicy
  output: policy deleted (user=%ct.user.arn bucket=%s3.bucket)
  priority: WARNING
  source: aws_cloudtrail
`;

let h: Harness;
let dynamo: LocalDynamo;
let webhook: WebhookReceiver;
beforeAll(async () => {
  dynamo = await startDynalite();
  h = await Harness.start({ name: "exactly-once", rules: RULES });
  webhook = await WebhookReceiver.start();
});
afterAll(async () => {
  await h?.stop();
  await webhook?.stop();
  await dynamo?.close();
});

const handled = async (c: ConnectorProcess) => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') ?? 0;

it("sends each alert once when two tasks read the same records", async () => {
  const table = await createStateTable(dynamo.client());
  const env = { S3GUARD_STATE_TABLE: table, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, S3GUARD_CONCURRENCY: "1", S3GUARD_ALERTS: "webhook", S3GUARD_WEBHOOK_URL: webhook.url };
  const connectors = await Promise.all([h.startConnector(env), h.startConnector(env)]);

  // Four principals each delete five objects (four crossings) and one bucket policy (four plain alerts).
  const files: Json[][] = [];
  for (const name of ["mallory", "trudy", "oscar", "eve"]) {
    const trail = new Trail(`exactly-once/${name}`, iamUser(name, "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T10:00:00Z");
    const deletions = objectKeys(5, name.length).map((k, i) => trail.deleteObject(i * 1000, k, versionId(`${name}/${i}`)));
    files.push([...deletions.slice(0, 3), trail.record({ eventName: "DeleteBucketPolicy", atMs: 4500, requestParameters: { policy: "" }, bucketOnly: true })], deletions.slice(3));
  }
  let n = 0;
  for (const copy of ["a", "b"]) {
    for (const records of files) {
      await deliverLogFile(h.aws, h.pipeline, cloudTrailKey("012345678901", "us-east-1", new Date("2024-06-03T10:05:00Z"), `${copy}${++n}`), { records });
    }
  }
  const counts = await eventually("every copy handled", async () => {
    const c = await Promise.all(connectors.map(handled));
    return c[0] + c[1] === 2 * files.length && c;
  });
  expect(counts.every((c) => c > 0)).toBe(true);

  const posted = webhook.requests.filter((r) => r.body.source === "aws_cloudtrail");
  const byRule = (rule: string) => posted.filter((r) => r.body.rule === rule).map((r) => r.alertId);
  expect(byRule(THRESHOLD)).toHaveLength(4);
  expect(new Set(byRule(THRESHOLD)).size).toBe(4);
  expect(byRule(PLAIN)).toHaveLength(4);
  expect(new Set(byRule(PLAIN)).size).toBe(4);
});
