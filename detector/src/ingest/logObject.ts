import { mayHaveNonCanonicalNumbers, parseJsonExact } from "../engine";
import { decodeLogBytes } from "./decode";
import { parseLogText } from "./records";

/** The records of one log object, and what was wrong with it. */
export interface LogObjectContent {
  records: Record<string, unknown>[];
  /** Records that could not be used, with where they are; the others are still evaluated. */
  badRecords: string[];
  /**
   * Set when the object itself is damaged (truncated gzip, text that is not JSON): `records` then
   * holds what could be salvaged, and the message is not acknowledged, so it is retried and ends
   * in the dead-letter queue for someone to look at.
   */
  damage?: string;
  /**
   * Record `i` of `records` with every number as the object wrote it, parsed only when a field
   * first needs it; undefined when the native parse was already exact (see ExactSource).
   */
  exact?: (i: number) => Record<string, unknown> | undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/**
 * Decodes and parses a log object. CloudTrail writes one JSON document (`{"Records":[...]}`): when
 * it parses, a record that is not an object is a bad record and the rest count. When the text does
 * not parse as a whole, it is split record by record to salvage what is readable; JSON Lines parse
 * cleanly that way, anything else is damage.
 */
/** The records a parsed document holds: its elements, its `Records`, or itself. */
function recordList(doc: unknown): unknown[] | undefined {
  return Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.Records) ? doc.Records : isObject(doc) ? [doc] : undefined;
}

export function readLogObject(bytes: Uint8Array): LogObjectContent {
  const decoded = decodeLogBytes(bytes);
  const out: LogObjectContent = { records: [], badRecords: [] };
  let doc: unknown;
  try {
    // Native parsing is several times faster; numbers JavaScript would print differently are
    // recovered from an exact parse only if a field asks for them (out.exact).
    doc = JSON.parse(decoded.text);
  } catch {
    doc = undefined;
  }
  const list = recordList(doc);
  if (list) {
    const positions: number[] = [];
    list.forEach((r, i) => {
      if (isObject(r)) {
        out.records.push(r);
        positions.push(i);
      } else out.badRecords.push(`record ${i + 1}: not a JSON object (${describe(r)})`);
    });
    let exactList: unknown[] | undefined | null = null;
    out.exact = (i) => {
      if (exactList === null) exactList = mayHaveNonCanonicalNumbers(decoded.text) ? recordList(parseJsonExact(decoded.text)) : undefined;
      return exactList?.[positions[i]] as Record<string, unknown> | undefined;
    };
  } else {
    const problems: string[] = [];
    parseLogText(decoded.text, {
      record: (r) => out.records.push(r),
      error: (message, where) => problems.push(where ? `${where}: ${message}` : message),
    });
    if (problems.length) out.damage = `not valid JSON: ${problems.slice(0, 3).join("; ")}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ""}`;
  }
  if (decoded.error) out.damage = decoded.error + (out.damage ? `; ${out.damage}` : "");
  if (!out.damage && decoded.text.trim() === "") out.damage = "the object is empty";
  return out;
}
