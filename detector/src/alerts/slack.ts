import type { Alert } from "../engine";
import { alertCard, cardTemplates, fit, priorityColour, type CardTemplates } from "./card";
import { HttpDestination } from "./http";

/**
 * Slack incoming webhooks: one message per alert, its blocks inside an attachment so the bar on its
 * left has the priority's colour. Limits (Block Kit reference): header text 150 characters, section
 * text 3,000, section fields 10 of 2,000 each, context elements 10; `text` is the notification's.
 */
export const SLACK_HEADER_MAX = 150;
export const SLACK_SECTION_MAX = 3000;
export const SLACK_FIELD_MAX = 2000;
export const SLACK_MAX_FIELDS = 10;
const SLACK_FALLBACK_MAX = 300;

/** Slack's mrkdwn treats only these three as markup in text from elsewhere. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackMessage(alert: Alert, templates: CardTemplates): Record<string, unknown> {
  const plain = alertCard(alert, templates);
  const card = alertCard(alert, templates, slackEscape);
  const context = [`${slackEscape(alert.time)} · ${slackEscape(alert.hostname)} · alert ${alert.id}`, card.runbookLink ? `<${card.runbookLink}|Runbook>` : `Runbook: ${slackEscape(card.runbook)}`];
  const blocks: unknown[] = [
    // Header text is plain: the title unescaped, as Slack shows it literally.
    { type: "header", text: { type: "plain_text", text: fit(plain.title, SLACK_HEADER_MAX), emoji: false } },
    ...(card.text.trim() ? [{ type: "section", text: { type: "mrkdwn", text: fit(card.text, SLACK_SECTION_MAX) } }] : []),
    { type: "section", fields: card.facts.slice(0, SLACK_MAX_FIELDS).map(([label, value]) => ({ type: "mrkdwn", text: fit(`*${label}*\n${value}`, SLACK_FIELD_MAX) })) },
    { type: "context", elements: context.map((text) => ({ type: "mrkdwn", text: fit(text, SLACK_FIELD_MAX) })) },
  ];
  return { text: fit(card.title, SLACK_FALLBACK_MAX), attachments: [{ color: priorityColour(alert.priority), blocks }] };
}

export function slackDestination(options: { name: string; url: string; title?: string; text?: string }): HttpDestination {
  const templates = cardTemplates(options.title, options.text);
  return new HttpDestination({ name: options.name, url: options.url, type: "slack", payload: (alert) => ({ body: JSON.stringify(slackMessage(alert, templates)) }) });
}
