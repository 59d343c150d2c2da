import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { ConnectorProcess, assertDetectorBuilt } from "../../../scripts/local/connectorProcess";
import { startLocalAws, type LocalAws } from "../../../scripts/local/localAws";
import { createPipeline, queueDepth, type Pipeline, type PipelineOptions } from "../../../scripts/local/pipelineResources";
import { putRulesFile } from "../../../scripts/local/rulesUpload";
import { RULES_V1 } from "./testRules";

export const RULES_PREFIX = "rules/";

/**
 * One local AWS endpoint with one pipeline (buckets, topic, queue + DLQ), and the connectors a
 * test starts against it. Short timeouts keep the suite quick: visibility 2 s, two receives
 * before the DLQ, rules checked every second.
 */
export class Harness {
  private readonly connectors: ConnectorProcess[] = [];

  private constructor(
    readonly aws: LocalAws,
    readonly pipeline: Pipeline,
  ) {}

  static async start(options: Partial<PipelineOptions> & { rules?: string } = {}): Promise<Harness> {
    await assertDetectorBuilt();
    const aws = await startLocalAws();
    const pipeline = await createPipeline(aws, { name: options.name ?? "e2e", visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2, maxReceiveCount: options.maxReceiveCount ?? 2, rawDelivery: options.rawDelivery });
    await putRulesFile(aws, pipeline.rulesBucket, `${RULES_PREFIX}s3.yaml`, options.rules ?? RULES_V1);
    return new Harness(aws, pipeline);
  }

  /** The environment the Pulumi component sets on the task, pointed at the local endpoint. */
  connectorEnv(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      ...this.aws.env,
      S3GUARD_QUEUE_URL: this.pipeline.queueUrl,
      S3GUARD_RULES_BUCKET: this.pipeline.rulesBucket,
      S3GUARD_RULES_PREFIX: RULES_PREFIX,
      S3GUARD_RULES_RELOAD_SECONDS: "1",
      S3GUARD_RECEIVE_WAIT_SECONDS: "1",
      S3GUARD_ALERTS: "stdout",
      ...overrides,
    };
  }

  async startConnector(overrides: Record<string, string> = {}): Promise<ConnectorProcess> {
    const c = new ConnectorProcess(this.connectorEnv(overrides));
    this.connectors.push(c);
    await c.waitReady();
    return c;
  }

  async depth(): Promise<{ visible: number; inFlight: number }> {
    return queueDepth(this.aws, this.pipeline.queueUrl);
  }

  /** Sends a raw SQS message (not through SNS), returning its id. */
  async sendRaw(body: string): Promise<string> {
    const res = await this.aws.sqs.send(new SendMessageCommand({ QueueUrl: this.pipeline.queueUrl, MessageBody: body }));
    return res.MessageId!;
  }

  /** Reads (and leaves) the dead-letter queue's messages, waiting up to `timeoutMs` for `count`. */
  async deadLetters(count: number, timeoutMs = 30_000): Promise<Array<{ id: string; body: string }>> {
    const seen = new Map<string, string>();
    const deadline = Date.now() + timeoutMs;
    while (seen.size < count && Date.now() < deadline) {
      const res = await this.aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.pipeline.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
      for (const m of res.Messages ?? []) seen.set(m.MessageId!, m.Body!);
    }
    return [...seen].map(([id, body]) => ({ id, body }));
  }

  /** Kills the connectors still running, so none of them takes the next test's messages. */
  async stopConnectors(): Promise<void> {
    await Promise.all(this.connectors.splice(0).map((c) => c.stop("SIGKILL")));
  }

  async stop(): Promise<void> {
    await this.stopConnectors();
    await this.aws.stop();
  }
}

/** Polls `check` until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
