import { parseArgs } from "node:util";
import { DynamoDbStore, stateStoreFromEnv } from "../state";
import { Delivery } from "../alerts/delivery";
import { createRoutes } from "../alerts/destinations";
import { findingContextFromQueue } from "../alerts/findingContext";
import { resolveForUse } from "../alerts/outputs/open";
import { redact } from "../redact";
import { createAwsClients } from "../connector/awsClients";
import { readConnectorConfig } from "../connector/config";
import { startHealthServer } from "../connector/healthServer";
import { jsonLogger } from "../connector/log";
import { Metrics } from "../connector/metrics";
import { FolderRulesSource, S3RulesSource } from "../connector/rulesSource";
import { RulesWatcher } from "../connector/rulesWatcher";
import { Connector } from "../connector/service";
import { watchState } from "../connector/stateWatch";
import { detectorHostname } from "./host";
import { bundledRulesDir } from "./rulesFiles";

export const RUN_HELP = `Usage: s3guard run

Runs the Cloud Connector: receives CloudTrail delivery notifications from SQS, reads the log
files they name, evaluates every record against the rules and delivers alerts to the outputs.
Alerts go to stdout as Falco JSON lines (with the stdout sink); service logs go to stderr.

Configuration (environment):
  S3GUARD_QUEUE_URL             required: the queue receiving the trail's notifications
  S3GUARD_RULES_BUCKET          rules bucket; without it the bundled rules are used
  S3GUARD_RULES_PREFIX          rules/   prefix of the rules files in the bucket
  S3GUARD_CONTEXT_KEY                    the deployment context file in the rules bucket, applied
                                         after the rules (pulumi up writes context/s3guard-context.yaml)
  S3GUARD_RULES_RELOAD_SECONDS  60       how often the rules bucket is checked
  S3GUARD_OUTPUTS               the outputs file's text (YAML or JSON): where alerts go, which
                                alerts go where (docs/outputs.md); or
  S3GUARD_OUTPUTS_FILE          its path
  S3GUARD_ALERTS                stdout   older form: comma list of stdout, cloudwatch,
                                securityhub, sns, webhook, each taking every alert
  S3GUARD_SNS_TOPIC_ARN         topic of the sns sink (with S3GUARD_ALERTS)
  S3GUARD_WEBHOOK_URL           URL of the webhook sink (with S3GUARD_ALERTS)
  S3GUARD_LOG_GROUP             cloud-connector   log group of cloudwatch outputs
  S3GUARD_LOG_STREAM            alerts            its stream (created when missing)
  S3GUARD_MIN_PRIORITY          debug    drop rules less severe than this
  S3GUARD_RULE_MATCHING         first    first or all
  S3GUARD_HEALTH_PORT           8080     GET /healthz and /metrics
  S3GUARD_HEALTH_HOST           127.0.0.1  interface they listen on (0.0.0.0: every interface)
  S3GUARD_MAX_LOG_BYTES         1GiB     largest log object read (decompressed); beyond, the rest
                                         is refused and the message left for the dead-letter queue
  S3GUARD_DEDUP_SECONDS         3600     an alert id accepted by a sink is not sent again for this long
  S3GUARD_DEDUP_MAX_IDS         100000   ids remembered per sink
  S3GUARD_STATE_TABLE           DynamoDB table for stateful rules, shared by tasks (and which alerts they sent)
  S3GUARD_DELIVERY_LEASE_SECONDS 60      with a state table: how long a task's claim to send an alert holds
  S3GUARD_STATE_MEMORY_MB       (1/4 of the heap)  memory for stateful rules' state (or its cache)
  S3GUARD_CONCURRENCY           4        messages processed at once
  S3GUARD_WORKERS               (cores)  threads that read and evaluate log objects; 1: the main thread alone
  S3GUARD_RECEIVE_WAIT_SECONDS  20       SQS long-poll wait
  S3GUARD_SHUTDOWN_SECONDS      25       after SIGTERM, time to finish in-flight messages
  S3GUARD_READ_ROLE_ARN         role assumed (STS AssumeRole) to read log objects in another
                                account's bucket, e.g. a log archive account's
  S3GUARD_READ_ROLE_EXTERNAL_ID          the external id the role's trust policy asks for
  S3GUARD_READ_ROLE_BUCKETS     (all)    comma list of the buckets read through the role; the
                                         others are read with the task's own credentials
  S3GUARD_ACCOUNT_IDS           (all)    comma list of the accounts whose records are evaluated;
                                         the others are dropped (s3guard_records_other_accounts_total)
  S3GUARD_RUNBOOK_BASE_URL      docs/rules.md  where the rules' runbooks are published
                                         (chat and paging alerts link to them)
  S3GUARD_BUNDLED_RULES         the rules used without a rules bucket (the image sets /app/rules)
  S3GUARD_OUTPUT_<NAME>_<KEY>   credentials of outputs kept in secrets, as the stack passes them
                                (e.g. S3GUARD_OUTPUT_ONCALL_ROUTING_KEY); an outputs file's
                                *Env keys (urlEnv...) name any other variable to read
  FALCO_HOSTNAME                (the host name)  the hostname printed in alerts, as in Falco
  AWS_REGION, credentials, AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>, e.g. _STS): the
  AWS SDK's own settings.

Exit status: 0 after a clean stop (SIGTERM or SIGINT); 2 when the configuration is invalid.`;

/** Exit even if something hangs: ECS kills the task 30 seconds after SIGTERM anyway. */
const HARD_STOP_MS = 29_000;

export async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h", default: false } } });
  if (values.help) {
    process.stdout.write(RUN_HELP + "\n");
    return 0;
  }
  const parsed = readConnectorConfig(process.env);
  if (!parsed.ok) {
    for (const e of parsed.errors) process.stderr.write(`s3guard run: ${redact(e)}\n`);
    process.stderr.write("s3guard run: the configuration is invalid; nothing was started (see 's3guard run --help')\n");
    return 2;
  }
  const config = parsed.config;
  const log = jsonLogger();
  const metrics = new Metrics();
  const clients = createAwsClients(process.env, config.readRole);
  const outputs = await resolveForUse(config.outputs, process.env, "outputs");
  if (outputs.errors.length) {
    for (const e of outputs.errors) process.stderr.write(`s3guard run: ${redact(e)}\n`);
    process.stderr.write("s3guard run: an output's credentials could not be read; nothing was started\n");
    clients.destroy();
    return 2;
  }
  const routes = createRoutes(outputs.resolved, {
    ...clients,
    findingContext: findingContextFromQueue(config.queueUrl),
    logGroup: config.logGroup,
    logStream: config.logStream,
    onCloudWatchRejected: (ids, why) => log.error("CloudWatch Logs refused alert events permanently (outside its accepted time window)", { alertIds: ids, rejected: why }),
  });
  const store = stateStoreFromEnv();
  // Tasks sharing a state table also share which alerts were sent, so each is sent once.
  const shared = store instanceof DynamoDbStore ? store.deliveryLedger({ leaseSeconds: config.deliveryLeaseSeconds, rememberSeconds: config.dedupSeconds }) : undefined;
  const delivery = new Delivery(routes, { windowMs: config.dedupSeconds * 1000, maxIds: config.dedupMaxIds, shared });
  const bundled = new FolderRulesSource(bundledRulesDir());
  const hostname = detectorHostname();
  let connector: Connector | undefined;
  const rules = new RulesWatcher({
    source: config.rules.bucket ? new S3RulesSource(clients.s3, config.rules.bucket, config.rules.prefix, config.rules.contextKey) : bundled,
    fallback: config.rules.bucket ? bundled : undefined,
    loadOptions: { minimumPriority: config.minimumPriority, ruleMatching: config.ruleMatching, hostname },
    store,
    reloadMs: config.rules.reloadSeconds * 1000,
    hostname,
    raise: (alert) => connector?.raise(alert),
    log,
    metrics,
  });
  connector = new Connector({ config, sqs: clients.sqs, s3: clients.s3, logObjects: clients.logObjects, delivery, rules, log, metrics });
  watchState(store, () => rules.current?.stateful, log, (alert) => connector?.raise(alert), hostname);
  const health = await startHealthServer(config.healthPort, () => connector!.readiness(), metrics, config.healthHost);
  log.info("health server listening", { host: health.host, port: health.port, paths: ["/healthz", "/metrics"] });

  let stopSignal!: (name: string) => void;
  const stopped = new Promise<string>((resolve) => (stopSignal = resolve));
  const onSignal = (name: string) => () => stopSignal(name);
  process.once("SIGTERM", onSignal("SIGTERM"));
  process.once("SIGINT", onSignal("SIGINT"));

  await connector.start();
  log.info("running", { queueUrl: config.queueUrl, outputs: config.outputs.map((o) => `${o.name} (${o.type})`), concurrency: config.concurrency, workers: config.workers, rules: config.rules.bucket ? `s3://${config.rules.bucket}/${config.rules.prefix}` : bundled.origin });
  const signal = await stopped;
  log.info("signal received", { signal });
  setTimeout(() => {
    log.error("shutdown took too long; exiting now", { afterMs: HARD_STOP_MS });
    process.exit(0);
  }, HARD_STOP_MS).unref();
  await connector.stop();
  await health.close();
  clients.destroy();
  // Work abandoned at the deadline (a hung HTTP call) must not keep the process alive: its message
  // is already back in the queue. The timer only fires if something still holds the process.
  setTimeout(() => process.exit(0), 200).unref();
  return 0;
}
