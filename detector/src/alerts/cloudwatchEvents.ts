import type { Alert } from "../engine";
import { alertJsonWithin } from "./alertJson";
import { splitIntoBatches, utf8Bytes } from "./batches";

/**
 * CloudWatch Logs PutLogEvents limits (API reference, PutLogEvents): at most 10,000 events and
 * 1,048,576 bytes per call, counting each message's UTF-8 bytes plus 26 bytes per event; events in
 * chronological order; one call spanning at most 24 hours; an event of at most 256 KB; events more
 * than 14 days old or 2 hours in the future are rejected.
 */
export const CWL_MAX_EVENTS = 10_000;
export const CWL_MAX_BATCH_BYTES = 1_048_576;
export const CWL_EVENT_OVERHEAD = 26;
export const CWL_MAX_EVENT_BYTES = 262_144;
export const CWL_MAX_SPAN_MS = 24 * 3600 * 1000;
const ACCEPTED_PAST_MS = 14 * 24 * 3600 * 1000;
const ACCEPTED_FUTURE_MS = 2 * 3600 * 1000;
/** Keeps clear of the edges of the accepted window (clock skew, time spent retrying). */
const MARGIN_MS = 3600 * 1000;

export interface PlannedLogEvent {
  alertId: string;
  timestamp: number;
  message: string;
}

/**
 * The event's time when CloudWatch accepts it, else the time of detection: an alert raised today
 * about an old record (a backfill, the samples) must not be rejected as too old. The message
 * always carries the record's own time.
 */
export function logEventTimestamp(alert: Alert, nowMs: number): number {
  const eventMs = Number(alert.timeNs / 1_000_000n);
  const inWindow = eventMs > nowMs - ACCEPTED_PAST_MS + MARGIN_MS && eventMs < nowMs + ACCEPTED_FUTURE_MS - MARGIN_MS;
  return inWindow ? eventMs : nowMs;
}

export function eventBytes(e: PlannedLogEvent): number {
  return utf8Bytes(e.message) + CWL_EVENT_OVERHEAD;
}

/** The PutLogEvents calls for these alerts: time-ordered, each within every limit above. */
export function planLogBatches(alerts: readonly Alert[], nowMs: number): PlannedLogEvent[][] {
  const events = alerts
    .map((a) => ({ alertId: a.id, timestamp: logEventTimestamp(a, nowMs), message: alertJsonWithin(a, CWL_MAX_EVENT_BYTES - CWL_EVENT_OVERHEAD) }))
    .sort((x, y) => x.timestamp - y.timestamp); // stable: equal times keep their order
  return splitIntoBatches(events, {
    maxItems: CWL_MAX_EVENTS,
    maxBytes: CWL_MAX_BATCH_BYTES,
    sizeOf: eventBytes,
    fits: (first, e) => e.timestamp - first.timestamp < CWL_MAX_SPAN_MS,
  });
}
