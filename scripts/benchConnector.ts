/**
 * `npm run bench:connector`: records per second through the local pipeline (SQS notification ->
 * S3 GetObject -> gunzip -> evaluate -> stdout sink -> DeleteMessage) against `s3guard scan` on
 * the same files, with one thread and with S3GUARD_WORKERS threads (--workers, default 2).
 * Measures; asserts nothing.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PublishBatchCommand } from "@aws-sdk/client-sns";
import { NODE_FLAGS } from "s3guard";
import { asLogObjectBytes, listFiles, putLogObject } from "./local/cloudTrailDelivery";
import { ConnectorProcess, assertDetectorBuilt } from "./local/connectorProcess";
import { REPO_ROOT, startLocalAws } from "./local/localAws";
import { sampleLogKey } from "./local/logKeys";
import { createPipeline } from "./local/pipelineResources";
import { uploadRules } from "./local/rulesUpload";
import { rulesFolder, syntheticCorpus } from "./local/sources";

const say = (line: string) => process.stdout.write(line + "\n");

/** `s3guard scan --summary`: its own events/s (reading and evaluating, no start-up) and the wall time. */
async function scanRate(rules: string, dir: string): Promise<{ eventsPerSecond: number; events: number; wallSeconds: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [...NODE_FLAGS, path.join(REPO_ROOT, "detector/bin/s3guard.js"), "scan", "--rules", rules, "--summary", dir], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  await new Promise((resolve) => child.once("exit", resolve));
  const m = /rate:\s+(\d+) events\/s/.exec(err);
  const e = /events:\s+(\d+)/.exec(err);
  if (!m || !e) throw new Error(`s3guard scan printed no summary:\n${err}`);
  return { eventsPerSecond: Number(m[1]), events: Number(e[1]), wallSeconds: (Date.now() - started) / 1000 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { files: { type: "string", default: "200" }, records: { type: "string", default: "1000" }, concurrency: { type: "string", default: "4" }, workers: { type: "string", default: "2" }, rules: { type: "string" }, samples: { type: "string" } } });
  await assertDetectorBuilt();
  const rules = rulesFolder(values.rules);
  if (rules.note) say(`note: ${rules.note}`);
  const dir = values.samples ? path.resolve(values.samples) : syntheticCorpus(path.join(REPO_ROOT, ".bench", `connector-${values.files}x${values.records}`), Number(values.files), Number(values.records));
  const files = await listFiles(dir);
  say(`corpus: ${files.length} gzip CloudTrail files in ${path.relative(REPO_ROOT, dir) || dir}; rules: ${rules.dir}`);

  const scan = await scanRate(rules.dir, dir);
  say(`s3guard scan:     ${scan.events} records, ${scan.eventsPerSecond} records/s (wall ${scan.wallSeconds.toFixed(2)} s with start-up)`);

  const aws = await startLocalAws();
  let connector: ConnectorProcess | undefined;
  try {
    // The same objects and notifications through a connector with one thread, then with worker
    // threads, each on a pipeline of its own (a stopped connector's last receive must not hold
    // the next run's messages for a visibility timeout).
    const rates: number[] = [];
    for (const workers of ["1", values.workers!]) {
      const pipeline = await createPipeline(aws, { name: `bench-w${workers}`, visibilityTimeoutSeconds: 60, maxReceiveCount: 3 });
      await uploadRules(aws, pipeline.rulesBucket, "rules/", rules.dir);
      const keys: string[] = [];
      for (const f of files) {
        const key = sampleLogKey(f, dir);
        await putLogObject(aws, pipeline, key, { bytes: await asLogObjectBytes(f) });
        keys.push(key);
      }
      connector = new ConnectorProcess({ ...aws.env, S3GUARD_QUEUE_URL: pipeline.queueUrl, S3GUARD_RULES_BUCKET: pipeline.rulesBucket, S3GUARD_ALERTS: "stdout", S3GUARD_RECEIVE_WAIT_SECONDS: "1", S3GUARD_CONCURRENCY: values.concurrency!, S3GUARD_WORKERS: workers });
      await connector.waitReady(60_000);
      // Timed from the first notification to the last message deleted.
      const started = Date.now();
      for (let i = 0; i < keys.length; i += 10) {
        const entries = keys.slice(i, i + 10).map((k, j) => ({ Id: String(j), Message: JSON.stringify({ s3Bucket: pipeline.logBucket, s3ObjectKey: [k] }) }));
        await aws.sns.send(new PublishBatchCommand({ TopicArn: pipeline.topicArn, PublishBatchRequestEntries: entries }));
      }
      let m = await connector.metrics();
      while ((m.get('s3guard_messages_total{outcome="deleted"}') ?? 0) < keys.length) {
        await new Promise((r) => setTimeout(r, 100));
        m = await connector.metrics();
      }
      const seconds = (Date.now() - started) / 1000;
      const records = m.get("s3guard_records_total") ?? 0;
      const rate = Math.round(records / seconds);
      rates.push(rate);
      say(`local pipeline, ${workers} worker${workers === "1" ? ": " : "s:"} ${records} records, ${rate} records/s (${keys.length} messages in ${seconds.toFixed(2)} s, concurrency ${values.concurrency}, ${connector.detections.length} alerts)`);
      await connector.stop("SIGTERM");
      connector = undefined;
    }
    say(`ratio:             pipeline (1 worker) / scan = ${(rates[0] / scan.eventsPerSecond).toFixed(2)}; ${values.workers} workers / 1 = ${(rates[1] / rates[0]).toFixed(2)}`);
  } finally {
    await connector?.stop("SIGTERM");
    await aws.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:connector: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
