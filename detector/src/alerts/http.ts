import type { Alert } from "../engine";
import { backoffMs, sleep } from "./retry";
import { errorText, type AlertSink, type SendContext, type SinkFailure } from "./sink";
import type { OutputType } from "./outputs/model";

/** One HTTP request a destination makes for an alert. */
export interface HttpPayload {
  body: string;
  headers?: Record<string, string>;
}

export interface HttpDestinationOptions {
  name: string;
  type: OutputType;
  url: string;
  /** The request for one alert. */
  payload(alert: Alert): HttpPayload;
  attempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  timeoutMs?: number;
}

/** A response other than 2xx. 429 and 5xx are worth retrying; other 4xx mean the request is wrong. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    host: string,
    body: string,
  ) {
    super(`HTTP ${status} from ${host}${body ? `: ${body.replace(/\s+/g, " ").slice(0, 200)}` : ""}`);
  }
}

/** Longest wait a Retry-After header is obeyed for before the next attempt. */
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * POSTs each alert as its own request, in order, one at a time, retrying 429, 5xx and network
 * failures with backoff (or the receiver's Retry-After). The URL never appears in an error: only
 * the destination's host. User info in a URL (from a secret) is sent as HTTP Basic authentication,
 * which fetch would otherwise refuse.
 */
export class HttpDestination implements AlertSink {
  readonly name: string;
  readonly type: OutputType;
  private readonly url: string;
  private readonly host: string;
  private readonly authorization?: string;

  constructor(private readonly options: HttpDestinationOptions) {
    this.name = options.name;
    this.type = options.type;
    const url = new URL(options.url);
    if (url.username || url.password) {
      this.authorization = "Basic " + Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64");
      url.username = "";
      url.password = "";
    }
    this.url = url.href;
    this.host = url.host;
  }

  async send(alerts: readonly Alert[], ctx?: SendContext): Promise<SinkFailure[]> {
    const failures: SinkFailure[] = [];
    for (const alert of alerts) {
      try {
        await this.postWithRetry(alert, ctx);
      } catch (e) {
        failures.push({ alertId: alert.id, reason: `${this.type} output '${this.name}': ${errorText(e)}` });
      }
    }
    return failures;
  }

  private async postWithRetry(alert: Alert, ctx?: SendContext): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    const payload = this.options.payload(alert);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.post(alert, payload);
      } catch (e) {
        const retryable = !(e instanceof HttpStatusError) || e.status === 429 || e.status >= 500;
        if (!retryable || attempt + 1 >= attempts) throw e;
        const wait = e instanceof HttpStatusError && e.retryAfterMs !== undefined ? Math.min(e.retryAfterMs, MAX_RETRY_AFTER_MS) : backoffMs(attempt, this.options.retryBaseMs ?? 250, this.options.retryMaxMs ?? 4000);
        ctx?.retried(1);
        await sleep(wait);
      }
    }
  }

  private async post(alert: Alert, payload: HttpPayload): Promise<void> {
    const res = await fetch(this.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "s3guard",
        "X-S3guard-Alert-Id": alert.id,
        ...(this.authorization ? { Authorization: this.authorization } : {}),
        ...payload.headers,
      },
      body: payload.body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((e: Error) => {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`POST to ${this.host} failed: ${e.name === "TimeoutError" ? "no answer in time" : (cause?.code ?? cause?.message ?? e.message)}`);
    });
    const body = await res.text().catch(() => "");
    if (res.status < 200 || res.status >= 300) throw new HttpStatusError(res.status, retryAfterMs(res.headers.get("retry-after")), this.host, body);
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
