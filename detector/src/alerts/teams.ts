import type { Alert, Priority } from "../engine";
import { alertCard, cardTemplates, fit, type CardTemplates } from "./card";
import { HttpDestination } from "./http";

/**
 * Microsoft Teams: an Adaptive Card (schema 1.4) in the message shape Teams workflows and
 * incoming webhooks accept. Text from the alert is put in TextRuns, which Teams shows as written
 * (no Markdown), so a field cannot forge links or formatting. A Teams message holds about 28 KB;
 * the card's text is cut to stay well inside it.
 */
export const ADAPTIVE_CARD_VERSION = "1.4";
export const TEAMS_MAX_BYTES = 28 * 1024;
const TITLE_MAX = 300;
const TEXT_MAX = 8000;
const FACT_MAX = 1000;

const STYLE: Record<Priority, string> = {
  Emergency: "attention",
  Alert: "attention",
  Critical: "attention",
  Error: "warning",
  Warning: "warning",
  Notice: "accent",
  Informational: "default",
  Debug: "default",
};

export function teamsMessage(alert: Alert, templates: CardTemplates): Record<string, unknown> {
  const card = alertCard(alert, templates);
  const build = (textMax: number) => ({
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: ADAPTIVE_CARD_VERSION,
          msteams: { width: "Full" },
          body: [
            {
              type: "Container",
              style: STYLE[alert.priority],
              bleed: true,
              items: [{ type: "RichTextBlock", inlines: [{ type: "TextRun", text: fit(card.title, TITLE_MAX), weight: "Bolder", size: "Medium" }] }],
            },
            ...(card.text.trim() ? [{ type: "RichTextBlock", inlines: [{ type: "TextRun", text: fit(card.text, textMax) }] }] : []),
            { type: "FactSet", facts: card.facts.map(([title, value]) => ({ title, value: fit(value, FACT_MAX) })) },
            { type: "RichTextBlock", inlines: [{ type: "TextRun", text: `${alert.time} · ${alert.hostname} · alert ${alert.id}${card.runbookLink ? "" : ` · runbook: ${card.runbook}`}`, isSubtle: true, size: "Small" }] },
          ],
          ...(card.runbookLink ? { actions: [{ type: "Action.OpenUrl", title: "Runbook", url: card.runbookLink }] } : {}),
        },
      },
    ],
  });
  let message = build(TEXT_MAX);
  // Multi-byte text can still weigh too much: halve the text until the message fits.
  for (let max = TEXT_MAX; Buffer.byteLength(JSON.stringify(message)) > TEAMS_MAX_BYTES - 1024 && max > 100; max = Math.floor(max / 2)) message = build(max);
  return message;
}

export function teamsDestination(options: { name: string; url: string; title?: string; text?: string }): HttpDestination {
  const templates = cardTemplates(options.title, options.text);
  return new HttpDestination({ name: options.name, url: options.url, type: "teams", payload: (alert) => ({ body: JSON.stringify(teamsMessage(alert, templates)) }) });
}
