import type { Alert, Priority } from "../engine";
import { alertFacts } from "./facts";
import { runbookUrl } from "./runbook";
import { compileTemplate, renderTemplate, type Template } from "./template";

/**
 * What chat and paging destinations show about an alert, whatever their format: a title and a text
 * from the output's templates, the facts people act on, the runbook and a colour by priority.
 */
export const DEFAULT_TITLE = "{{priority}}: {{rule}}";
export const DEFAULT_TEXT = "{{message}}";

export interface CardTemplates {
  title: Template;
  text: Template;
}

export function cardTemplates(title: string | undefined, text: string | undefined): CardTemplates {
  return { title: compileTemplate(title ?? DEFAULT_TITLE), text: compileTemplate(text ?? DEFAULT_TEXT) };
}

export interface Card {
  title: string;
  text: string;
  /** Label and value of each fact the record has, in reading order. */
  facts: Array<[string, string]>;
  /** An absolute http(s) runbook link, when the runbook base is published somewhere. */
  runbookLink?: string;
  /** The runbook's address as configured (a repository path when not published). */
  runbook: string;
}

/** The card of an alert; `escape` is applied to every value taken from the alert (chat markup). */
export function alertCard(alert: Alert, templates: CardTemplates, escape: (v: string) => string = (v) => v): Card {
  const f = alertFacts(alert);
  const facts: Array<[string, string | undefined]> = [
    ["Rule", alert.rule],
    ["Priority", alert.priority],
    ["Principal", f.principal],
    ["Bucket", f.bucket],
    ["Source address", f.sourceIp],
    ["Account", f.account && f.region ? `${f.account} (${f.region})` : (f.account ?? f.region)],
  ];
  const runbook = runbookUrl(alert.rule);
  return {
    title: renderTemplate(templates.title, alert, escape),
    text: renderTemplate(templates.text, alert, escape),
    facts: facts.filter((x): x is [string, string] => x[1] !== undefined).map(([k, v]) => [k, escape(v)]),
    runbook,
    ...(isAbsoluteHttpUrl(runbook) ? { runbookLink: runbook } : {}),
  };
}

/** Colours by priority: red for what must wake someone, amber for what needs a look, calm below. */
const COLOURS: Record<Priority, string> = {
  Emergency: "#8b0000",
  Alert: "#b00020",
  Critical: "#d32f2f",
  Error: "#ef6c00",
  Warning: "#f9a825",
  Notice: "#1e88e5",
  Informational: "#78909c",
  Debug: "#b0bec5",
};

export function priorityColour(p: Priority): string {
  return COLOURS[p];
}

/** At most `max` characters (UTF-16 units, as the services count), marked with an ellipsis when cut. */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  // Never split a surrogate pair or an escaped entity (&amp;) in two.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  cut = cut.replace(/&[a-z]{0,4}$/, "");
  return cut + "…";
}

export function isAbsoluteHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}
