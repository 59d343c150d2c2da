import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { asLogObjectBytes, deliverLogFile } from "../../../scripts/local/cloudTrailDelivery";
import { sampleLogKey } from "../../../scripts/local/logKeys";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness } from "../support/harness";

/**
 * The connector with S3GUARD_WORKERS=2 evaluates log objects in worker threads and raises exactly
 * the alerts it raises in one thread: stateful rules whose windows cross objects, a sequence whose
 * follower comes in a later object, a record delivered in two objects, and single-event alerts.
 */

const RULES = `
- rule: Deletion burst
  desc: many deletions by one principal in one bucket
  condition: ct.name = DeleteObject
  output: deletion burst in %s3.bucket by %ct.user (last %s3.key)
  priority: CRITICAL
  source: aws_cloudtrail
  threshold: {count: 5, window: 30m, group_by: [ct.user, s3.bucket]}
  suppress: {window: 20m, group_by: [ct.user]}

- rule: Many keys read
  desc: distinct keys read
  condition: ct.name = GetObject
  output: many keys of %s3.bucket read by %ct.user
  priority: WARNING
  source: aws_cloudtrail
  threshold: {count: 4, window: 10m, group_by: [ct.user, s3.bucket], distinct: s3.key}

- rule: Delete after reads
  desc: a deletion after many reads
  condition: ct.name = DeleteObject
  output: delete after reads by %ct.user of %s3.key
  priority: ERROR
  source: aws_cloudtrail
  sequence: {after: Many keys read, within: 30m, by: [ct.user, s3.bucket]}

- rule: Object written
  desc: a write
  condition: ct.name = PutObject
  output: written %s3.bucket/%s3.key by %ct.user
  priority: NOTICE
  source: aws_cloudtrail
`;

const byText = (a: unknown, b: unknown) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);

describe("Cloud Connector: S3GUARD_WORKERS", () => {
  let h: Harness;
  let work: string;
  beforeAll(async () => {
    h = await Harness.start({ name: "workers", rules: RULES });
    work = mkdtempSync(path.join(tmpdir(), "s3guard-workers-"));
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("raises with two worker threads exactly the alerts of one thread", async () => {
    const logs = path.join(work, "logs");
    mkdirSync(logs);
    const users = ["mallory", "trent", "peggy"];
    const start = Date.parse("2024-05-01T12:00:00Z");
    let repeated: Record<string, unknown> | undefined;
    for (let f = 0; f < 6; f++) {
      const records: Record<string, unknown>[] = [];
      for (let i = 0; i < 60; i++) {
        const n = f * 60 + i;
        const user = users[n % 3];
        const eventName = ["GetObject", "GetObject", "DeleteObject", "PutObject"][(n >> 2) % 4];
        records.push(s3DataEvent({ eventName, bucket: `bucket-${n % 2}`, key: `k/${n % 7}`, user, time: new Date(start + n * 7000), seed: `workers/${n}` }));
      }
      // The same event in two objects: evaluated once.
      if (f === 2) repeated = records[5];
      if (f === 3) records.push(repeated!);
      writeFileSync(path.join(logs, `123456789012_CloudTrail_us-east-1_20240501T12${String(f).padStart(2, "0")}Z_w${f}.json.gz`), gzipSync(JSON.stringify({ Records: records })));
    }
    const files = readdirSync(logs).sort();

    const run = async (workers: string) => {
      const c = await h.startConnector({ FALCO_HOSTNAME: "workers", S3GUARD_WORKERS: workers, S3GUARD_CONCURRENCY: "1" });
      // One object at a time, so that both connectors fold the state in the same order.
      for (const [i, f] of files.entries()) {
        await deliverLogFile(h.aws, h.pipeline, sampleLogKey(path.join(logs, f), logs), { bytes: await asLogObjectBytes(path.join(logs, f)) });
        await eventually(`file ${i + 1} handled`, async () => (await c.metrics()).get('s3guard_messages_total{outcome="deleted"}') === i + 1);
      }
      const metrics = await c.metrics();
      const detections = [...c.detections];
      await h.stopConnectors();
      return { detections, inWorkers: metrics.get("s3guard_objects_in_workers_total") ?? 0, repeated: metrics.get("s3guard_records_repeated_total") };
    };
    const one = await run("1");
    const two = await run("2");

    expect(one.inWorkers).toBe(0);
    expect(two.inWorkers).toBe(files.length);
    expect(two.repeated).toBe(1);
    const rules = new Set(one.detections.map((d) => (d as { rule: string }).rule));
    expect([...rules].sort()).toEqual(["Delete after reads", "Deletion burst", "Many keys read", "Object written"]);
    expect([...two.detections].sort(byText)).toEqual([...one.detections].sort(byText));
  });
});
