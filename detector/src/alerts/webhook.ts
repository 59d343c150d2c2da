import { falcoJson, type Alert } from "../engine";
import { withRetry } from "./retry";
import { errorText, type AlertSink, type SinkFailure } from "./sink";

export interface WebhookOptions {
  url: string;
  /** Attempts per alert before it is reported as failed (the message then comes back later). */
  attempts?: number;
  timeoutMs?: number;
  retryBaseMs?: number;
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`);
  }
}

/**
 * POSTs each alert as Falco's JSON alert, the body Falcosidekick accepts at `/`. The alert id
 * travels in the `X-S3guard-Alert-Id` header, so receivers can drop the redeliveries that
 * at-least-once delivery allows (several instances, a message retried after a partial failure).
 */
export class WebhookSink implements AlertSink {
  readonly name = "webhook" as const;

  constructor(private readonly options: WebhookOptions) {}

  async send(alerts: readonly Alert[]): Promise<SinkFailure[]> {
    const failures: SinkFailure[] = [];
    // In order, one at a time: receivers such as Falcosidekick see alerts in event order.
    for (const alert of alerts) {
      try {
        await withRetry(() => this.post(alert), {
          attempts: this.options.attempts ?? 3,
          baseMs: this.options.retryBaseMs ?? 200,
          maxMs: 2000,
          retryable: (e) => !(e instanceof HttpStatusError) || e.status === 429 || e.status >= 500,
        });
      } catch (e) {
        failures.push({ alertId: alert.id, reason: `POST ${this.options.url}: ${errorText(e)}` });
      }
    }
    return failures;
  }

  private async post(alert: Alert): Promise<void> {
    const res = await fetch(this.options.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-S3guard-Alert-Id": alert.id, "User-Agent": "s3guard-cloud-connector" },
      body: falcoJson(alert),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    const body = await res.text().catch(() => "");
    if (res.status < 200 || res.status >= 300) throw new HttpStatusError(res.status, body);
  }
}
