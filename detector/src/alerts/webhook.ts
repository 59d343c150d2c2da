import { falcoJson } from "../engine";
import { HttpDestination } from "./http";

/**
 * Falco's JSON alert POSTed as is, the body Falcosidekick and existing Falco receivers accept at
 * `/`. The alert id travels in the `X-S3guard-Alert-Id` header, so receivers can drop the
 * redeliveries that at-least-once delivery allows (several instances, a message retried after a
 * partial failure).
 */
export function webhookDestination(options: { name: string; url: string; attempts?: number; retryBaseMs?: number; timeoutMs?: number }): HttpDestination {
  return new HttpDestination({ ...options, type: "webhook", payload: (alert) => ({ body: falcoJson(alert) }) });
}
