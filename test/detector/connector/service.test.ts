import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { Delivery } from "../../../detector/src/alerts/delivery";
import { readConnectorConfig, type ConnectorConfig } from "../../../detector/src/connector/config";
import type { LogFields, Logger } from "../../../detector/src/connector/log";
import { Metrics } from "../../../detector/src/connector/metrics";
import { FolderRulesSource } from "../../../detector/src/connector/rulesSource";
import { RulesWatcher } from "../../../detector/src/connector/rulesWatcher";
import { Connector } from "../../../detector/src/connector/service";
import { clientConfig, ScriptedEndpoint, type RecordedRequest, type ScriptedResponse } from "../support/scriptedEndpoint";

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/s3guard-notifications";
const RULES = `- rule: Deleted\n  desc: d\n  condition: ct.name="DeleteObject"\n  output: deleted (user=%ct.user)\n  priority: WARNING\n  source: aws_cloudtrail\n`;
const ACCESS_DENIED: ScriptedResponse = { status: 400, headers: { "x-amzn-query-error": "AccessDenied;Sender" }, body: { __type: "com.amazon.coral.service#AccessDeniedException", message: "not authorized to perform: sqs:GetQueueAttributes" } };
const EMPTY_RECEIVE: ScriptedResponse = { status: 200, body: { Messages: [] }, delayMs: 100 };

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The service loop against an SQS endpoint scripted per test, with real SDK clients. */
describe("the connector's view of its queue", () => {
  let endpoint: ScriptedEndpoint;
  let dir: string;
  let connector: Connector;
  const logs: Array<{ level: string; msg: string } & LogFields> = [];
  const log: Logger = {
    debug: () => undefined,
    info: (msg, f) => logs.push({ level: "info", msg, ...f }),
    warn: (msg, f) => logs.push({ level: "warn", msg, ...f }),
    error: (msg, f) => logs.push({ level: "error", msg, ...f }),
  };

  async function start(answer: (req: RecordedRequest) => ScriptedResponse): Promise<Metrics> {
    endpoint = await ScriptedEndpoint.start(answer);
    dir = mkdtempSync(path.join(tmpdir(), "s3guard-service-"));
    writeFileSync(path.join(dir, "rules.yaml"), RULES);
    const parsed = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_RECEIVE_WAIT_SECONDS: "1", S3GUARD_SHUTDOWN_SECONDS: "2" });
    const config = (parsed as { config: ConnectorConfig }).config;
    const metrics = new Metrics();
    const rules = new RulesWatcher({ source: new FolderRulesSource(dir), loadOptions: {}, reloadMs: 60_000, hostname: "h", raise: () => undefined, log, metrics });
    connector = new Connector({ config, sqs: new SQSClient(clientConfig(endpoint.url)), s3: new S3Client(clientConfig(endpoint.url)), delivery: new Delivery([], { windowMs: 1000, maxIds: 10 }), rules, log, metrics });
    await connector.start();
    return metrics;
  }

  afterEach(async () => {
    await connector?.stop();
    await endpoint?.stop();
    rmSync(dir, { recursive: true, force: true });
    logs.length = 0;
  });

  it("becomes ready once a receive succeeds, even without sqs:GetQueueAttributes", async () => {
    await start((req) => (req.target === "AmazonSQS.GetQueueAttributes" ? ACCESS_DENIED : EMPTY_RECEIVE));
    await until("ready", () => connector.readiness().ready);
    expect(connector.readiness().details).toMatchObject({ queue: "answers", rulesVersion: expect.any(String) });
    expect(logs.find((l) => l.msg.startsWith("cannot read the queue's attributes"))).toMatchObject({ level: "warn", action: expect.stringContaining("sqs:GetQueueAttributes") });
  });

  it("is not ready while the queue does not answer, and counts the failed receives", async () => {
    const metrics = await start(() => ({ status: 500, body: { __type: "InternalFailure", message: "down" }, delayMs: 20 }));
    await until("a failed receive", () => metrics.get("s3guard_receive_errors_total") > 0);
    expect(connector.readiness()).toMatchObject({ ready: false, details: { queue: "not answering" } });
    expect(logs.find((l) => l.msg === "cannot receive from the queue; retrying")).toMatchObject({ queueUrl: QUEUE });
  });

  it("receives with long polling and asks for the attributes it uses", async () => {
    await start((req) => (req.target === "AmazonSQS.GetQueueAttributes" ? { status: 200, body: { Attributes: { VisibilityTimeout: "45", RedrivePolicy: "{}" } } } : EMPTY_RECEIVE));
    await until("a receive", () => endpoint.requests.some((r) => r.target === "AmazonSQS.ReceiveMessage"));
    const receive = endpoint.requests.find((r) => r.target === "AmazonSQS.ReceiveMessage")!;
    expect(receive.body).toMatchObject({ QueueUrl: QUEUE, WaitTimeSeconds: 1, MaxNumberOfMessages: 4, MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"] });
    expect(logs.find((l) => l.msg === "queue answers")).toMatchObject({ visibilityTimeoutSeconds: 45 });
  });
});
