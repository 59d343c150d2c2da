import { RawNumber } from "./exactJson";

/**
 * JSON text of a parsed value, compact or indented by `indent` spaces, printing numbers as the
 * record wrote them. Key order is the record's.
 */
export function jsonText(value: unknown, indent = 0): string {
  return write(value, indent, "");
}

function write(v: unknown, indent: number, pad: string): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "object":
      break;
    default:
      return "null";
  }
  if (v instanceof RawNumber) return v.text;
  const inner = indent > 0 ? pad + " ".repeat(indent) : "";
  const nl = indent > 0 ? "\n" : "";
  const colon = indent > 0 ? ": " : ":";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const parts = v.map((x) => inner + write(x, indent, inner));
    return `[${nl}${parts.join("," + nl)}${nl}${indent > 0 ? pad : ""}]`;
  }
  const keys = Object.keys(v as object);
  if (keys.length === 0) return "{}";
  const parts = keys.map((k) => inner + JSON.stringify(k) + colon + write((v as Record<string, unknown>)[k], indent, inner));
  return `{${nl}${parts.join("," + nl)}${nl}${indent > 0 ? pad : ""}}`;
}
