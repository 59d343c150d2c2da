import type { Alert, Priority } from "../engine";
import { alertCard, cardTemplates, fit, type CardTemplates } from "./card";
import { alertFacts } from "./facts";
import { HttpDestination } from "./http";

/**
 * PagerDuty Events API v2: one `trigger` event per alert. `dedup_key` is the alert id, so a
 * redelivered alert joins the same PagerDuty alert instead of paging again. Limits (Events API v2):
 * summary 1,024 characters, dedup_key 255, an event of at most 512 KB.
 */
export const PAGERDUTY_SUMMARY_MAX = 1024;
export const PAGERDUTY_MAX_BYTES = 512 * 1024;
const TEXT_MAX = 16_000;
/** Short fields (source, class, each fact): ample for any real value, and no way to blow the event's size. */
const FIELD_MAX = 1024;

const SEVERITY: Record<Priority, "critical" | "error" | "warning" | "info"> = {
  Emergency: "critical",
  Alert: "critical",
  Critical: "critical",
  Error: "error",
  Warning: "warning",
  Notice: "info",
  Informational: "info",
  Debug: "info",
};

export function pagerDutySeverity(p: Priority): "critical" | "error" | "warning" | "info" {
  return SEVERITY[p];
}

export function pagerDutyEvent(alert: Alert, routingKey: string, templates: CardTemplates): Record<string, unknown> {
  const card = alertCard(alert, templates);
  const facts = alertFacts(alert);
  const build = (textMax: number, withFields: boolean) => ({
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: alert.id,
    client: "s3guard",
    payload: {
      summary: fit(card.title, PAGERDUTY_SUMMARY_MAX),
      // The affected system: the bucket, else the account, else the detector's host.
      source: fit(facts.bucket ?? facts.account ?? alert.hostname, FIELD_MAX),
      severity: SEVERITY[alert.priority],
      timestamp: alert.time,
      component: facts.bucket ? "s3" : alert.source,
      ...(facts.account ? { group: facts.account } : {}),
      class: fit(alert.rule, FIELD_MAX),
      custom_details: {
        text: fit(card.text, textMax),
        ...Object.fromEntries(card.facts.map(([k, v]) => [k, fit(v, FIELD_MAX)])),
        tags: alert.tags.join(", "),
        runbook: card.runbook,
        alert_id: alert.id,
        ...(withFields ? { output_fields: fieldsText(alert) } : {}),
      },
    },
    ...(card.runbookLink ? { links: [{ href: card.runbookLink, text: "Runbook" }] } : {}),
  });
  const event = build(TEXT_MAX, true);
  return Buffer.byteLength(JSON.stringify(event)) <= PAGERDUTY_MAX_BYTES ? event : build(1000, false);
}

function fieldsText(alert: Alert): Record<string, string> {
  return Object.fromEntries(Object.entries(alert.outputFields).map(([k, v]) => [fit(k, FIELD_MAX), fit(v === null ? "<NA>" : Array.isArray(v) ? v.join(",") : String(v), 8 * FIELD_MAX)]));
}

export function pagerDutyDestination(options: { name: string; url: string; routingKey: string; title?: string; text?: string }): HttpDestination {
  const templates = cardTemplates(options.title, options.text);
  return new HttpDestination({ name: options.name, url: options.url, type: "pagerduty", payload: (alert) => ({ body: JSON.stringify(pagerDutyEvent(alert, options.routingKey, templates)) }) });
}
