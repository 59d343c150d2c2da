import type { Alert, Priority } from "../engine";
import { alertCard, cardTemplates, fit, type CardTemplates } from "./card";
import { alertFacts } from "./facts";
import { HttpDestination } from "./http";

/**
 * Opsgenie Alert API (create alert): `alias` is the alert id, so a redelivered alert is counted on
 * the open Opsgenie alert instead of opening another. Limits (Alert API): message 130 characters,
 * alias 512, description 15,000, 20 tags of 50, entity 512, source 100, details 8,000 in all.
 */
export const OPSGENIE_MESSAGE_MAX = 130;
export const OPSGENIE_DESCRIPTION_MAX = 15_000;
export const OPSGENIE_MAX_TAGS = 20;
export const OPSGENIE_TAG_MAX = 50;
export const OPSGENIE_DETAILS_MAX = 8000;

const PRIORITY: Record<Priority, string> = {
  Emergency: "P1",
  Alert: "P1",
  Critical: "P1",
  Error: "P2",
  Warning: "P3",
  Notice: "P4",
  Informational: "P5",
  Debug: "P5",
};

export function opsgeniePriority(p: Priority): string {
  return PRIORITY[p];
}

export function opsgenieAlert(alert: Alert, templates: CardTemplates): Record<string, unknown> {
  const card = alertCard(alert, templates);
  const facts = alertFacts(alert);
  const tags = [...new Set([...alert.tags, alert.priority.toLowerCase()])].map((t) => fit(t, OPSGENIE_TAG_MAX)).slice(0, OPSGENIE_MAX_TAGS);
  return {
    message: fit(card.title, OPSGENIE_MESSAGE_MAX),
    alias: alert.id,
    description: fit(card.text, OPSGENIE_DESCRIPTION_MAX),
    tags,
    details: fitDetails({ ...Object.fromEntries(card.facts), runbook: card.runbook, alertId: alert.id, time: alert.time }),
    entity: fit(facts.bucket ?? facts.account ?? alert.hostname, 512),
    source: fit(`s3guard@${alert.hostname}`, 100),
    priority: PRIORITY[alert.priority],
  };
}

/** Keeps the details within 8,000 characters of keys and values, cutting the longest values first. */
function fitDetails(details: Record<string, string>): Record<string, string> {
  const size = (d: Record<string, string>) => Object.entries(d).reduce((n, [k, v]) => n + k.length + v.length, 0);
  const out = { ...details };
  while (size(out) > OPSGENIE_DETAILS_MAX) {
    const [longest] = Object.entries(out).sort((a, b) => b[1].length - a[1].length)[0];
    out[longest] = fit(out[longest], Math.max(1, Math.floor(out[longest].length / 2)));
  }
  return out;
}

export function opsgenieDestination(options: { name: string; url: string; apiKey: string; title?: string; text?: string }): HttpDestination {
  const templates = cardTemplates(options.title, options.text);
  return new HttpDestination({
    name: options.name,
    url: options.url,
    type: "opsgenie",
    payload: (alert) => ({ body: JSON.stringify(opsgenieAlert(alert, templates)), headers: { Authorization: `GenieKey ${options.apiKey}` } }),
  });
}
