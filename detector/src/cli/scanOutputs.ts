import { readFile } from "node:fs/promises";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { SNSClient } from "@aws-sdk/client-sns";
import type { Alert } from "../engine";
import { Delivery, type DestinationCounts, type DeliveryFailure } from "../alerts/delivery";
import { createRoutes } from "../alerts/destinations";
import { findingContextFromHub } from "../alerts/findingContext";
import { checkOutputsAgainstRules } from "../alerts/outputs/check";
import { resolveForUse } from "../alerts/outputs/open";
import { readOutputsFile } from "../alerts/outputs/read";
import type { RuleShape } from "../alerts/routing";
import { endpointFor } from "../connector/awsClients";
import { CONFIG_DEFAULTS } from "../connector/config";
import { redact } from "../redact";

/** Alerts handed to the destinations together. */
const BATCH = 100;

/**
 * `s3guard scan --outputs FILE`: the alerts go to the file's outputs, routed and delivered exactly
 * as the connector does (same files per destination, same filters, same payloads), so routes can
 * be tried on real logs before they are deployed.
 */
export class ScanOutputs {
  private pending: Alert[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly totals = new Map<string, DestinationCounts & { type: string }>();
  private readonly failures: DeliveryFailure[] = [];

  private constructor(
    private readonly delivery: Delivery,
    private readonly destroy: () => void,
  ) {}

  /** Reads, checks and opens the outputs; undefined (after saying why on stderr) when they cannot be used. */
  static async open(file: string, rules: readonly RuleShape[], err: (line: string) => void): Promise<ScanOutputs | undefined> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      err(`error: --outputs ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
    const read = readOutputsFile(text, file);
    const problems = [...read.problems, ...(read.problems.some((p) => p.level === "error") ? [] : checkOutputsAgainstRules(read.outputs, rules, `${file}: outputs`))];
    for (const p of problems) err(`${p.level}: ${p.path}: ${p.message}`);
    if (problems.some((p) => p.level === "error")) return undefined;
    const { resolved, errors } = await resolveForUse(read.outputs, process.env, `${file}: outputs`);
    for (const e of errors) err(`error: ${e}`);
    if (errors.length) return undefined;

    const clients: Array<{ destroy(): void }> = [];
    const lazy = <T extends { destroy(): void }>(make: () => T) => {
      let c: T | undefined;
      return () => (c ??= (clients.push(make()), clients[clients.length - 1] as T));
    };
    const routes = createRoutes(resolved, {
      logs: lazy(() => new CloudWatchLogsClient({ endpoint: endpointFor("CLOUDWATCH_LOGS") })),
      securityHub: lazy(() => new SecurityHubClient({ endpoint: endpointFor("SECURITYHUB") })),
      sns: lazy(() => new SNSClient({ endpoint: endpointFor("SNS") })),
      findingContext: findingContextFromHub,
      logGroup: process.env.S3GUARD_LOG_GROUP || CONFIG_DEFAULTS.S3GUARD_LOG_GROUP,
      logStream: process.env.S3GUARD_LOG_STREAM || CONFIG_DEFAULTS.S3GUARD_LOG_STREAM,
      onCloudWatchRejected: (ids, why) => err(`error: CloudWatch Logs refused ${ids.length} alert(s) for good: ${why}`),
    });
    // A scan has no queue to retry from: a destination is never skipped for backing off.
    const delivery = new Delivery(routes, { windowMs: 24 * 3600 * 1000, maxIds: 1_000_000, failuresBeforeBackoff: Number.MAX_SAFE_INTEGER });
    return new ScanOutputs(delivery, () => clients.forEach((c) => c.destroy()));
  }

  add(alert: Alert): void {
    this.pending.push(alert);
    if (this.pending.length >= BATCH) void this.drain();
  }

  /** Delivers what is waiting, in order; resolves once it has been delivered (or failed). */
  drain(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length) {
      this.chain = this.chain.then(async () => {
        const report = await this.delivery.deliver(batch);
        for (const [name, c] of Object.entries(report.byDestination)) {
          const t = this.totals.get(name) ?? { type: c.type, sent: 0, duplicates: 0, failed: 0, deferred: 0, retried: 0 };
          for (const k of ["sent", "duplicates", "failed", "deferred", "retried"] as const) t[k] += c[k];
          this.totals.set(name, t);
        }
        this.failures.push(...report.failures);
      });
    }
    return this.chain;
  }

  /** Delivers the rest, reports per destination on stderr; resolves with the number of alerts not delivered. */
  async close(err: (line: string) => void): Promise<number> {
    await this.drain();
    await this.delivery.flush();
    this.destroy();
    for (const d of this.delivery.destinations) {
      const t = this.totals.get(d.name);
      err(`output ${d.name} (${d.type}): ${t ? `${t.sent} sent${t.failed ? `, ${t.failed} not delivered` : ""}${t.retried ? `, ${t.retried} retried` : ""}${t.duplicates ? `, ${t.duplicates} duplicates skipped` : ""}` : "no alert routed here"}`);
    }
    const byDestination = new Map<string, DeliveryFailure>();
    for (const f of this.failures) if (!byDestination.has(f.destination)) byDestination.set(f.destination, f);
    for (const f of byDestination.values()) err(redact(`error: output ${f.destination}: alerts not delivered, e.g. ${f.alertId}: ${f.reason}`));
    return this.failures.length;
  }
}
