import type { EventContext } from "./event";
import type { FieldValue } from "./fields";
import { CompileError, Operand, renderValue } from "./condition/operand";
import { parseFieldFormatPrefix } from "./condition/formatToken";
import type { OutputValue } from "./types";

/**
 * Rule output formats (libsinsp eventformatter): `%field` takes the longest text after `%` that
 * is a valid field (with its `[arg]`) or transformer; `%N` before it pads or cuts the value to N
 * characters; missing values print `<NA>`. There is no escape for a literal `%`.
 */

type Token = { raw: string } | { operand: Operand; width: number };

export interface OutputFormat {
  tokens: Token[];
  /** The field keys of `output_fields`, in order of appearance. */
  keys: string[];
}

export function compileOutput(format: string): OutputFormat {
  if (format.length === 0) throw new CompileError("empty formatting token", 0);
  const tokens: Token[] = [];
  let raw = "";
  for (let j = 0; j < format.length; j++) {
    if (format[j] !== "%") {
      raw += format[j];
      continue;
    }
    if (raw) tokens.push({ raw });
    raw = "";
    if (j === format.length - 1) throw new CompileError("invalid formatting syntax: formatting cannot end with a %", j);
    let width = 0;
    const digits = /^\d+/.exec(format.slice(j + 1));
    if (digits) {
      width = Number(digits[0]);
      j += digits[0].length;
      if (j === format.length - 1) throw new CompileError("invalid formatting syntax: formatting cannot end with a number", j);
    }
    const { operand, length } = parseFieldFormatPrefix(format.slice(j + 1), j + 1);
    tokens.push({ operand, width });
    j += length;
  }
  if (raw) tokens.push({ raw });
  const keys: string[] = [];
  for (const t of tokens) if ("operand" in t && !keys.includes(t.operand.text)) keys.push(t.operand.text);
  return { tokens, keys };
}

function fit(s: string, width: number): string {
  return width > 0 ? s.slice(0, width).padEnd(width, " ") : s;
}

/** A value as `output_fields` carries it: typed, null when missing. */
export function jsonValue(v: FieldValue | undefined): OutputValue {
  return v === undefined ? null : v;
}

export function renderOutput(format: OutputFormat, ev: EventContext): { text: string; fields: Record<string, OutputValue> } {
  let text = "";
  const fields: Record<string, OutputValue> = {};
  for (const t of format.tokens) {
    if ("raw" in t) {
      text += t.raw;
      continue;
    }
    const v = t.operand.extract(ev);
    text += fit(renderValue(v, t.operand.padded), t.width);
    fields[t.operand.text] = jsonValue(v);
  }
  return { text, fields };
}
