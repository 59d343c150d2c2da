import { cloudTrailKey, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { CLI_AGENT, iamUser, objectKeys, Trail } from "../../rules/fixtures/s3DataEvents";
import { eventually, Harness } from "../support/harness";

/**
 * A connector whose state outgrows its memory budget (S3GUARD_STATE_MEMORY_MB) drops live windows,
 * and says so: a counter in /metrics, a warning log line, and a Warning alert naming the rule.
 */

const RULE = "Reads of one object";
const RULES = `
- rule: ${RULE}
  desc: test
  condition: ct.name = GetObject
  output: object read often (key=%s3.key)
  priority: WARNING
  source: aws_cloudtrail
  threshold: {count: 5, window: 10m, group_by: [s3.key]}
`;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ name: "evictions", rules: RULES });
});
afterAll(async () => {
  await h?.stop();
});

it("counts, logs and alerts when live windows are dropped to stay within memory", async () => {
  const c = await h.startConnector({ S3GUARD_STATE_MEMORY_MB: "0.02" });
  const trail = new Trail("evictions", iamUser("mallory", "198.51.100.23", CLI_AGENT), "finance-records-prod", "2024-06-03T10:00:00Z");
  // 400 objects read once each: 400 groups, each a window under way.
  const records = objectKeys(400, 3).map((k, i) => trail.getObject(i * 100, k, 1000));
  await deliverLogFile(h.aws, h.pipeline, cloudTrailKey("012345678901", "us-east-1", new Date("2024-06-03T10:05:00Z"), "flood"), { records });

  await eventually("the message handled", async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === 1);
  const m = await c.metrics();
  expect(m.get("s3guard_state_evicted_total")).toBeGreaterThan(100);
  expect(m.get("s3guard_state_bytes")).toBeLessThanOrEqual(0.02 * 1024 * 1024);
  const alert = await c.until("the eviction alert", () => c.serviceAlerts.find((a) => a.rule === "s3guard stateful windows evicted"));
  expect(alert.priority).toBe("Warning");
  expect(alert.output).toContain(`of rules: ${RULE}`);
  expect(c.logs.some((l) => l.msg?.startsWith("live stateful windows dropped"))).toBe(true);
});
