/**
 * `npm start`: the whole pipeline on this machine. A local AWS endpoint (fauxqs) with a log bucket,
 * a delivery topic, a queue with a dead-letter queue and a rules bucket; the rules uploaded; the
 * connector running against it; samples/ delivered the way CloudTrail does (gzip objects plus SNS
 * notifications); alerts printed as they arrive, then a summary. With --cross-account the log bucket
 * stands for a log archive account's: the connector reads it through a role it assumes from a local
 * STS endpoint speaking STS's own protocol.
 */
import { parseArgs } from "node:util";

import { asLogObjectBytes, listFiles, notifyDelivery, putLogObject } from "./local/cloudTrailDelivery";
import { ConnectorProcess, assertDetectorBuilt, type Json } from "./local/connectorProcess";
import { startLocalAws } from "./local/localAws";
import { sampleLogKey } from "./local/logKeys";
import { createPipeline, queueDepth } from "./local/pipelineResources";
import { uploadRules } from "./local/rulesUpload";
import { rulesFolder, samplesFolder, SourceError } from "./local/sources";
import { startStubSts, type StubSts } from "./local/stubSts";

const HELP = `Usage: npm start [-- --rules FILE|DIR] [-- --samples DIR] [-- --timeout SECONDS]
                 [-- --cross-account] [-- --accounts ID,ID...]

Runs the local pipeline: local SQS/SNS/S3 endpoint, rules bucket, connector, samples delivered
as CloudTrail delivers log files. Prints alerts as they arrive and a summary.
  --cross-account   the log bucket is a log archive account's: the connector reads it through a
                    role assumed from a local STS endpoint (S3GUARD_READ_ROLE_ARN, with an external id)
  --accounts        keep only these accounts' records (S3GUARD_ACCOUNT_IDS)
Exit status: 0 when every delivered file was handled, 1 otherwise, 2 when an option or a
folder given cannot be used (nothing is started).`;

/** The log archive account's read role, as the log-archive program names it. */
const READ_ROLE = "arn:aws:iam::222233334444:role/s3guard-log-reader";
const EXTERNAL_ID = "s3guard-local";

const say = (line: string) => process.stdout.write(line + "\n");

function showLog(l: Json): void {
  if (l.level !== "warn" && l.level !== "error") return;
  const { time: _t, level, msg, ...rest } = l;
  process.stderr.write(`  [connector ${level}] ${msg} ${JSON.stringify(rest)}\n`);
}

async function main(): Promise<number> {
  let values;
  let rules;
  let samples;
  // Everything given is checked before anything starts: a typo costs a line, not a minute.
  try {
    ({ values } = parseArgs({
      options: {
        rules: { type: "string" },
        samples: { type: "string" },
        timeout: { type: "string", default: "180" },
        "cross-account": { type: "boolean", default: false },
        accounts: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
    if (values.help) return say(HELP), 0;
    if (!(Number(values.timeout) > 0)) throw new SourceError(`--timeout ${values.timeout}: must be a number of seconds`);
    rules = rulesFolder(values.rules);
    samples = samplesFolder(values.samples);
    if (values.accounts !== undefined && !/^\d{12}(,\d{12})*$/.test(values.accounts)) {
      throw new SourceError(`--accounts ${values.accounts}: must be a comma list of 12-digit account ids`);
    }
  } catch (e) {
    const usage = e instanceof SourceError || (e as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS");
    if (!usage) throw e;
    process.stderr.write(`npm start: ${(e as Error).message}; nothing was started\nRun 'npm start -- --help' for the options.\n`);
    return 2;
  }
  await assertDetectorBuilt();
  for (const note of [rules.note, samples.note]) if (note) say(`note: ${note}`);

  const started = Date.now();
  const aws = await startLocalAws();
  let connector: ConnectorProcess | undefined;
  let sts: StubSts | undefined;
  try {
    const pipeline = await createPipeline(aws, { name: "s3guard", visibilityTimeoutSeconds: 5, maxReceiveCount: 3 });
    const uploaded = await uploadRules(aws, pipeline.rulesBucket, "rules/", rules.dir);
    say(`local AWS endpoint ${aws.endpoint}: log bucket ${pipeline.logBucket}, topic ${pipeline.topicArn.split(":").pop()}, queue + DLQ, rules bucket (${uploaded.length} rules files from ${rules.dir})`);

    const crossAccount: Record<string, string> = {};
    if (values["cross-account"]) {
      sts = await startStubSts([{ arn: READ_ROLE, externalId: EXTERNAL_ID }]);
      Object.assign(crossAccount, {
        AWS_ENDPOINT_URL_STS: sts.endpoint,
        S3GUARD_READ_ROLE_ARN: READ_ROLE,
        S3GUARD_READ_ROLE_EXTERNAL_ID: EXTERNAL_ID,
        S3GUARD_READ_ROLE_BUCKETS: pipeline.logBucket,
      });
      say(`cross-account: ${pipeline.logBucket} read through ${READ_ROLE}, assumed from the local STS endpoint ${sts.endpoint}`);
    }
    if (values.accounts) crossAccount.S3GUARD_ACCOUNT_IDS = values.accounts;
    connector = new ConnectorProcess(
      {
        ...aws.env,
        ...crossAccount,
        S3GUARD_QUEUE_URL: pipeline.queueUrl,
        S3GUARD_RULES_BUCKET: pipeline.rulesBucket,
        S3GUARD_RULES_PREFIX: "rules/",
        S3GUARD_ALERTS: "stdout",
        S3GUARD_RECEIVE_WAIT_SECONDS: "1",
      },
      { alert: (a) => say(a.source === "s3guard" ? `[service] ${a.output}` : `ALERT ${a.output}`), log: showLog },
    );
    const health = await connector.waitReady(60_000);
    say(`connector ready: rules version ${health.rulesVersion}, health and metrics on http://127.0.0.1:${connector.healthPort}/`);

    const files = await listFiles(samples.dir);
    for (const f of files) {
      const key = sampleLogKey(f, samples.dir);
      await putLogObject(aws, pipeline, key, { bytes: await asLogObjectBytes(f) });
      await notifyDelivery(aws, pipeline, [key]);
    }
    say(`delivered ${files.length} log files from ${samples.dir}`);

    const deadline = Date.now() + Number(values.timeout) * 1000;
    let m = await connector.metrics();
    let dead = 0;
    for (;;) {
      m = await connector.metrics();
      dead = (await queueDepth(aws, pipeline.dlqUrl)).visible;
      const done = (m.get('s3guard_messages_total{outcome="deleted"}') ?? 0) + dead;
      if (done >= files.length || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const deleted = m.get('s3guard_messages_total{outcome="deleted"}') ?? 0;
    const records = m.get("s3guard_records_total") ?? 0;
    const seconds = (Date.now() - started) / 1000;
    const byRule = new Map<string, number>();
    for (const a of connector.detections) byRule.set(a.rule, (byRule.get(a.rule) ?? 0) + 1);
    say("");
    say("Summary");
    say(`  log files delivered:   ${files.length}`);
    say(`  messages handled:      ${deleted} deleted, ${dead} in the dead-letter queue, ${files.length - deleted - dead} unfinished`);
    say(`  records evaluated:     ${records}`);
    if (values.accounts) say(`  other accounts' records dropped: ${m.get("s3guard_records_other_accounts_total") ?? 0}, log files not read: ${m.get('s3guard_objects_total{outcome="other_account"}') ?? 0}`);
    if (sts) say(`  role assumed:          ${sts.calls.filter((c) => c.granted).length} time(s), log files read with its key ${sts.issued[0]?.accessKeyId ?? "(none)"}`);
    say(`  alerts:                ${connector.detections.length}`);
    for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1])) say(`    ${String(n).padStart(5)}  ${rule}`);
    say(`  elapsed:               ${seconds.toFixed(1)} s`);
    return deleted === files.length ? 0 : 1;
  } finally {
    if (connector) await connector.stop("SIGTERM");
    await sts?.stop();
    await aws.stop();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`local pipeline: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
