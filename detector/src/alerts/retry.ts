/** Retry with exponential backoff and full jitter, for calls that fail for a while and then work. */
export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Whether an error is worth another attempt; others are thrown at once. */
  retryable?: (e: unknown) => boolean;
  /** Stops retrying (the last error is thrown) when aborted, e.g. at shutdown. */
  signal?: AbortSignal;
  /** Told before each attempt after the first. */
  onRetry?: (attempt: number) => void;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.random() * Math.min(maxMs, baseMs * 2 ** attempt);
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      const last = attempt + 1 >= options.attempts || options.signal?.aborted;
      if (last || (options.retryable && !options.retryable(e))) throw e;
      await sleep(backoffMs(attempt, options.baseMs, options.maxMs), options.signal);
      options.onRetry?.(attempt + 1);
    }
  }
}

const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "LimitExceededException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalFailure",
  "InternalServerError",
  "InternalException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
]);

/** AWS errors that go away by themselves: throttling, 5xx and network trouble. */
export function isTransientAwsError(e: unknown): boolean {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (!err || typeof err !== "object") return false;
  if (err.name && TRANSIENT_NAMES.has(err.name)) return true;
  if (err.$retryable) return true;
  const status = err.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  return ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"].includes(err.code ?? "");
}
