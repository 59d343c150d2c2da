import { BatchImportFindingsCommand, type AwsSecurityFinding, type SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { Alert } from "../engine";
import { findingBytes, toFinding, type FindingContext } from "./asff";
import { splitIntoBatches } from "./batches";
import { Coalescer, type Failed } from "./coalescer";
import { backoffMs, isTransientAwsError, sleep } from "./retry";
import { errorText, type AlertSink, type SinkFailure } from "./sink";

/** BatchImportFindings limits: 100 findings and 6 MB per call (partner guide, "guidelines"). */
export const SECURITYHUB_MAX_FINDINGS = 100;
export const SECURITYHUB_MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** JSON framing of the request around the findings: `{"Findings":[...]}` and commas. */
const REQUEST_OVERHEAD = 64;

export function findingBatches(findings: readonly AwsSecurityFinding[]): AwsSecurityFinding[][] {
  return splitIntoBatches(findings, { maxItems: SECURITYHUB_MAX_FINDINGS, maxBytes: SECURITYHUB_MAX_BATCH_BYTES - REQUEST_OVERHEAD, sizeOf: (f) => findingBytes(f) + 1 });
}

export interface SecurityHubSinkOptions {
  /** The output's name. @default "securityhub" */
  name?: string;
  /** The account and region findings belong to; resolved once, at start. */
  context: () => Promise<FindingContext>;
  lingerMs?: number;
  attempts?: number;
  retryBaseMs?: number;
  now?: () => Date;
}

/**
 * Findings through BatchImportFindings. The call succeeds even when findings fail one by one
 * (`FailedCount`, `FailedFindings`), so the response is read and only the failed ones are sent
 * again; what still fails is reported, and the message comes back for another try later.
 */
export class SecurityHubSink implements AlertSink {
  readonly type = "securityhub" as const;
  readonly name: string;
  private readonly coalescer: Coalescer<Alert>;

  constructor(
    private readonly hub: SecurityHubClient,
    private readonly options: SecurityHubSinkOptions,
  ) {
    this.name = options.name ?? "securityhub";
    // 10 calls per second per account and region: gather concurrent messages' alerts.
    this.coalescer = new Coalescer((alerts) => this.sendGroup(alerts), (a) => a.id, options.lingerMs ?? 250, SECURITYHUB_MAX_FINDINGS);
  }

  send(alerts: readonly Alert[]): Promise<SinkFailure[]> {
    return this.coalescer.submit([...alerts]);
  }

  flush(): Promise<void> {
    return this.coalescer.flush();
  }

  private async sendGroup(alerts: Alert[]): Promise<Failed[]> {
    const ctx = await this.options.context();
    const now = (this.options.now ?? (() => new Date()))();
    const alertIdOf = new Map<string, string>();
    const findings = alerts.map((a) => {
      const f = toFinding(a, ctx, now);
      alertIdOf.set(f.Id!, a.id);
      return f;
    });
    const failures: Failed[] = [];
    for (const batch of findingBatches(findings)) {
      for (const [findingId, reason] of await this.importWithRetry(batch)) failures.push({ alertId: alertIdOf.get(findingId)!, reason });
    }
    return failures;
  }

  /** Returns the findings still failed after the retries, with the last reason. */
  private async importWithRetry(batch: AwsSecurityFinding[]): Promise<Map<string, string>> {
    let pending = batch;
    let reasons = new Map<string, string>();
    const attempts = this.options.attempts ?? 4;
    for (let attempt = 0; attempt < attempts && pending.length; attempt++) {
      if (attempt > 0) await sleep(backoffMs(attempt, this.options.retryBaseMs ?? 300, 5000));
      try {
        const res = await this.hub.send(new BatchImportFindingsCommand({ Findings: pending }));
        if (!res.FailedCount) return new Map();
        reasons = new Map((res.FailedFindings ?? []).map((f) => [f.Id ?? "", `${f.ErrorCode ?? "failed"}: ${f.ErrorMessage ?? ""}`]));
        pending = pending.filter((f) => reasons.has(f.Id!));
        // A FailedCount without FailedFindings names nothing to resend: resend the batch.
        if (pending.length === 0) pending = batch;
      } catch (e) {
        reasons = new Map(pending.map((f) => [f.Id!, `BatchImportFindings: ${errorText(e)}`]));
        if (!isTransientAwsError(e)) break;
      }
    }
    return new Map(pending.map((f) => [f.Id!, reasons.get(f.Id!) ?? "not imported"]));
  }
}
