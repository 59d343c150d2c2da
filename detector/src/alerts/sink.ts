import type { Alert } from "../engine";
import type { OutputType } from "./outputs/model";

/** One alert a sink could not accept, and why. */
export interface SinkFailure {
  alertId: string;
  reason: string;
}

/** What a destination tells the delivery while it sends: attempts made again after a failure. */
export interface SendContext {
  retried(count: number): void;
}

/**
 * Where alerts go: one configured output (its name is the output's, unique; its type the kind of
 * destination). `send` resolves with the alerts it could not accept (none: all accepted); a
 * rejection means none of them was accepted. A destination retries what is worth retrying before
 * it reports a failure, so a reported failure means "try this message again later".
 */
export interface AlertSink {
  readonly name: string;
  readonly type: OutputType;
  send(alerts: readonly Alert[], ctx?: SendContext): Promise<SinkFailure[]>;
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
