import type { Alert } from "../engine";

/** The alert destinations the service knows, as named in `S3GUARD_ALERTS`. */
export const SINK_NAMES = ["stdout", "cloudwatch", "securityhub", "sns", "webhook"] as const;
export type SinkName = (typeof SINK_NAMES)[number];

/** One alert a sink could not accept, and why. */
export interface SinkFailure {
  alertId: string;
  reason: string;
}

/**
 * Where alerts go. `send` resolves with the alerts it could not accept (none: all accepted); a
 * rejection means none of them was accepted. A sink retries what is worth retrying before it
 * reports a failure, so a reported failure means "try this message again later".
 */
export interface AlertSink {
  readonly name: SinkName;
  send(alerts: readonly Alert[]): Promise<SinkFailure[]>;
  /** Sends whatever is buffered; called before the service exits. */
  flush?(): Promise<void>;
}

/** Every alert of `alerts` failed for the same reason. */
export function allFailed(alerts: readonly Alert[], reason: string): SinkFailure[] {
  return alerts.map((a) => ({ alertId: a.id, reason }));
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== "Error" ? `${e.name}: ${e.message}` : e.message;
  return String(e);
}
