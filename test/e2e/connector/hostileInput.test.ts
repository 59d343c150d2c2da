import { cloudTrailKey, deliverLogFile, notifyDelivery, putLogObject } from "../../../scripts/local/cloudTrailDelivery";
import { putRulesFile } from "../../../scripts/local/rulesUpload";
import { s3DataEvent } from "../../../scripts/local/syntheticTrail";
import { eventually, Harness, RULES_PREFIX } from "../support/harness";
import { DELETE_RULE } from "../support/testRules";

const key = (unique: string) => cloudTrailKey("123456789012", "us-east-1", new Date(), unique);

/** `eN: eN-1 and eN-1`: 23 lines that stand for 2^22 checks. */
const MACRO_BOMB = ["- macro: e0", "  condition: ct.name = PutObject"]
  .concat(Array.from({ length: 22 }, (_, i) => [`- macro: e${i + 1}`, `  condition: e${i} and e${i}`]).flat())
  .concat(["- rule: bomb", "  desc: d", "  condition: e22", "  output: o", "  priority: WARNING", "  source: aws_cloudtrail"])
  .join("\n");

/**
 * The connector against what an attacker or a mistake can put in its way: a macro bomb uploaded
 * to the rules bucket, a notification naming an object with a broken key, a log object far larger
 * than any log file. It keeps answering, keeps alerting, and sends what it cannot use to the DLQ.
 */
describe("Cloud Connector: hostile input", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ name: "hostile" });
  });
  afterEach(async () => {
    await h?.stopConnectors();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("keeps answering its health check and alerting with the old rules when a macro bomb is uploaded", async () => {
    const c = await h.startConnector();
    const first = await c.until("the rules loaded alert", () => c.serviceAlerts.find((a) => a.rule === "s3guard rules loaded"));
    const v1 = first.output_fields["s3guard.rules.version"];

    // Ask /healthz all along: every answer must come, quickly, and say ready.
    const answers: { status: number; ms: number }[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const start = Date.now();
        const res = await fetch(`http://127.0.0.1:${c.healthPort}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
        answers.push({ status: res?.status ?? 0, ms: Date.now() - start });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    await putRulesFile(h.aws, h.pipeline.rulesBucket, `${RULES_PREFIX}zz-bomb.yaml`, MACRO_BOMB);
    const rejected = await c.until("the rules rejected alert", () => c.serviceAlerts.find((a) => a.rule === "s3guard rules update rejected"), 20_000);
    expect(rejected.priority).toBe("Error");
    expect(rejected.output_fields["s3guard.rules.running"]).toBe(v1);
    expect(rejected.output_fields["s3guard.rules.error"]).toMatch(/LOAD_ERR_LIMIT/);

    await deliverLogFile(h.aws, h.pipeline, key("after-bomb"), { records: [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "still-watched", seed: "mb1" })] });
    const alert = await c.until("the old rule's alert", () => c.detections.find((a) => a.output_fields["s3.key"] === "still-watched"));
    expect(alert.rule).toBe(DELETE_RULE);

    // Reloads keep coming every second: the bomb is checked again only if it changes.
    await new Promise((r) => setTimeout(r, 2000));
    polling = false;
    await poller;
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(2000);
    expect((await c.waitReady()).rulesVersion).toBe(v1);
    expect(c.serviceAlerts.filter((a) => a.rule === "s3guard rules update rejected")).toHaveLength(1);
    expect(c.exitCode).toBeNull();

    await putRulesFile(h.aws, h.pipeline.rulesBucket, `${RULES_PREFIX}zz-bomb.yaml`, "[]\n");
  });

  it("sends a notification whose object key is not valid URL encoding to the DLQ at once, as a bad message", async () => {
    const c = await h.startConnector();
    const id = await h.sendRaw(JSON.stringify({ Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: { bucket: { name: h.pipeline.logBucket }, object: { key: "AWSLogs/%E0%A4%A.json.gz" } } }] }));
    const dead = await h.deadLetters(1, 20_000);
    expect(dead.map((d) => d.id)).toEqual([id]);
    const logged = await c.waitForLog(/not understood/, 5000, (l) => l.messageId === id);
    expect(logged.reason).toContain("not valid URL encoding");
    expect(c.logs.filter((l) => /unexpected error/.test(String(l.msg)))).toEqual([]);
  });

  it("reads four 15 MB log objects at once with the bundled rules in bounded memory", async () => {
    // Each was once parsed whole (up to 16 MiB of text): four at once took the connector to 390 MB
    // (a 128 MB heap ran out in JSON.parse). Over 8 MiB of text they are streamed now (160 MB; about
    // 270 MB with a worker thread, each thread's young generation at its full 2 x 16 MB from the start).
    const c = await h.startConnector({ S3GUARD_RULES_BUCKET: "" });
    const time = new Date();
    const keys: string[] = [];
    for (let k = 0; k < 4; k++) {
      const records = Array.from({ length: 16_000 }, (_, i) => s3DataEvent({ eventName: "GetObject", bucket: "b", key: `big-${k}-${i}`, seed: `big${k}/${i}`, time }));
      keys.push(key(`big-${k}`));
      await putLogObject(h.aws, h.pipeline, keys[k], { records });
    }
    // One notification each: the connector takes up to four messages at once (S3GUARD_CONCURRENCY).
    for (const k of keys) await notifyDelivery(h.aws, h.pipeline, [k]);
    await eventually("the four objects read", async () => ((await c.metrics()).get('s3guard_objects_total{outcome="read"}') ?? 0) >= 4, 60_000);
    expect((await c.metrics()).get("s3guard_records_total")).toBe(64_000);
    expect(c.exitCode).toBeNull();
    expect(c.peakRssMb()).toBeLessThan(300);
  });

  it("evaluates a too large object up to the limit, says so, and leaves its message for the DLQ", async () => {
    const c = await h.startConnector({ S3GUARD_MAX_LOG_BYTES: "64KiB" });
    const padding = Array.from({ length: 400 }, (_, i) => s3DataEvent({ eventName: "GetObject", bucket: "b", key: `padding-${i}`, seed: `p${i}` }));
    const records = [s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "before-the-limit", seed: "tl1" }), ...padding, s3DataEvent({ eventName: "DeleteObject", bucket: "b", key: "past-the-limit", seed: "tl2" })];
    const objectKey = key("too-large");
    await putLogObject(h.aws, h.pipeline, objectKey, { records });
    const id = await h.sendRaw(JSON.stringify({ s3Bucket: h.pipeline.logBucket, s3ObjectKey: [objectKey] }));

    const dead = await h.deadLetters(1, 30_000);
    expect(dead.map((d) => d.id)).toEqual([id]);
    const log = await c.waitForLog(/log object too large/, 5000);
    expect(log).toMatchObject({ key: objectKey });
    expect(log.problem).toMatch(/^larger than 64 KiB once gunzipped: reading stopped there/);
    expect(log.evaluatedRecords).toBeGreaterThan(10);
    expect(c.detections.filter((a) => a.output_fields["s3.key"] === "before-the-limit")).toHaveLength(1);
    expect(c.detections.filter((a) => a.output_fields["s3.key"] === "past-the-limit")).toHaveLength(0);
    await eventually("the too-large outcome counted", async () => ((await c.metrics()).get('s3guard_objects_total{outcome="too_large"}') ?? 0) >= 1);
  });
});
