import type { Alert } from "../engine";
import { FIELDS } from "../engine";
import { compileOperand, type Operand } from "../engine/condition/operand";
import { parseFieldPrefix } from "../engine/condition/parser";
import { EventContext } from "../engine/event";
import { renderValue } from "../engine/condition/operand";
import { alertFacts } from "./facts";
import { closest } from "../suggest";
import { runbookUrl } from "./runbook";

/**
 * Per-output title and text templates. The language is placeholders and nothing else: `{{ name }}`
 * is replaced by an alert fact (`rule`, `priority`, `principal`, `bucket`...) or by a Falco field
 * of the alert's record (`ct.user`, `s3.key`, `json.value[/userAgent]`, `tolower(ct.name)`), read
 * as the rule's output would print it (`<NA>` when missing). There are no expressions, calls or
 * loops, so a template can neither run code nor take more time than its length and its values.
 */
export const TEMPLATE_FACTS = {
  rule: (a: Alert) => a.rule,
  priority: (a: Alert) => a.priority,
  desc: (a: Alert) => a.desc,
  source: (a: Alert) => a.source,
  tags: (a: Alert) => a.tags.join(", "),
  time: (a: Alert) => a.time,
  hostname: (a: Alert) => a.hostname,
  id: (a: Alert) => a.id,
  message: (a: Alert) => a.message,
  output: (a: Alert) => a.output,
  runbook: (a: Alert) => runbookUrl(a.rule),
  principal: (a: Alert) => alertFacts(a).principal,
  bucket: (a: Alert) => alertFacts(a).bucket,
  sourceIp: (a: Alert) => alertFacts(a).sourceIp,
  account: (a: Alert) => alertFacts(a).account,
  region: (a: Alert) => alertFacts(a).region,
} satisfies Record<string, (a: Alert) => string | undefined>;
export type TemplateFact = keyof typeof TEMPLATE_FACTS;

type Part = { text: string } | { fact: TemplateFact } | { field: Operand };

export interface Template {
  readonly source: string;
  readonly parts: readonly Part[];
}

/** A template that does not compile: what is wrong, and where (0-based offset in the template). */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const NA = "<NA>";

export function compileTemplate(source: string): Template {
  const parts: Part[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf("{{", i);
    if (open < 0) {
      parts.push({ text: source.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: source.slice(i, open) });
    const close = source.indexOf("}}", open + 2);
    if (close < 0) throw new TemplateError("'{{' is not closed by '}}'", open);
    parts.push(placeholder(source.slice(open + 2, close), open));
    i = close + 2;
  }
  return { source, parts };
}

function placeholder(inner: string, offset: number): Part {
  const name = inner.trim();
  if (name === "") throw new TemplateError("empty placeholder '{{}}': name a fact such as {{rule}} or a field such as {{ct.user}}", offset);
  if (Object.hasOwn(TEMPLATE_FACTS, name)) return { fact: name as TemplateFact };
  try {
    const { operand, length } = parseFieldPrefix(name);
    if (length === name.length) return { field: compileOperand(operand) };
  } catch {
    // reported below with a suggestion
  }
  const suggestion = closest(name, [...Object.keys(TEMPLATE_FACTS), ...FIELDS.keys()]);
  throw new TemplateError(
    `unknown placeholder '{{${name}}}'${suggestion ? ` (did you mean {{${suggestion}}}?)` : ""}: use a fact (${Object.keys(TEMPLATE_FACTS).join(", ")}) or a Falco field (s3guard fields lists them)`,
    offset,
  );
}

/** The template filled in for `alert`; `escape` is applied to each value, never to the template's own text. */
export function renderTemplate(template: Template, alert: Alert, escape: (value: string) => string = (v) => v): string {
  let out = "";
  let ev: EventContext | undefined;
  for (const p of template.parts) {
    if ("text" in p) out += p.text;
    else if ("fact" in p) out += escape(TEMPLATE_FACTS[p.fact](alert) ?? NA);
    else {
      const printed = alert.outputFields[p.field.text];
      if (printed !== undefined) out += escape(printed === null ? NA : Array.isArray(printed) ? `(${printed.join(",")})` : String(printed));
      else out += escape(renderValue(p.field.extract((ev ??= new EventContext(alert.event, 0n, { hostname: alert.hostname }))), p.field.padded));
    }
  }
  return out;
}
