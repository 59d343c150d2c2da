import type { ExactSource } from "../engine/event";
import { mayHaveNonCanonicalNumbers, parseJsonExact } from "../engine/json/exactJson";
import { RecordSplitter } from "./splitter";

/**
 * Where records and problems found in an input go. `where` says which record: `record 3 (offset
 * 812)`. `exact`, when given, yields the record with numbers as written (see ExactSource).
 */
export interface RecordSink {
  record(record: Record<string, unknown>, exact?: ExactSource): void;
  error(message: string, where?: string): void;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function emitAll(values: unknown[], sink: RecordSink, exact: () => unknown[] | undefined): void {
  values.forEach((v, i) => {
    if (isObject(v)) sink.record(v, () => exact()?.[i] as Record<string, unknown> | undefined);
    else sink.error(`record is not a JSON object (${v === null ? "null" : Array.isArray(v) ? "array" : typeof v})`, `record ${i + 1}`);
  });
}

/**
 * The elements parsed with numbers as written, computed once per text and only when first asked
 * for; undefined when the text holds no number JavaScript would print differently.
 */
function lazyExact(text: string, pick: (doc: unknown) => unknown[]): () => unknown[] | undefined {
  let done = false;
  let cached: unknown[] | undefined;
  return () => {
    if (!done) {
      done = true;
      if (mayHaveNonCanonicalNumbers(text)) cached = pick(parseJsonExact(text));
    }
    return cached;
  };
}

/**
 * The records of one decoded input: a CloudTrail file (`{"Records":[...]}`), a JSON array, a
 * single event, or JSON Lines. Whole documents are parsed natively in one go; when that fails
 * (JSON Lines, or damage), the text is split record by record so one bad record costs only itself.
 */
export function parseLogText(text: string, sink: RecordSink): void {
  const first = text.trimStart()[0];
  if (first === undefined) return;
  if (first !== "{" && first !== "[") {
    sink.error(`not CloudTrail records: the input is not JSON (it starts with ${JSON.stringify(text.trimStart().slice(0, 20))})`);
    return;
  }
  {
    let doc: unknown;
    let parsed = false;
    try {
      // Native parsing is several times faster than any JavaScript parser; numbers whose text
      // JavaScript would change are recovered lazily, only for the files that have them.
      doc = JSON.parse(text);
      parsed = true;
    } catch {
      // not one JSON document: split it below
    }
    if (parsed) {
      if (Array.isArray(doc)) return emitAll(doc, sink, lazyExact(text, (d) => d as unknown[]));
      if (isObject(doc) && Array.isArray(doc.Records)) return emitAll(doc.Records, sink, lazyExact(text, (d) => (d as { Records: unknown[] }).Records));
      if (isObject(doc)) return sink.record(doc, () => (mayHaveNonCanonicalNumbers(text) ? (parseJsonExact(text) as Record<string, unknown>) : undefined));
    }
  }
  splitText(text, sink);
}

/** Feeds text through the record splitter, parsing each record on its own. */
export function splitText(text: string, sink: RecordSink): void {
  const splitter = recordSplitter(sink);
  splitter.push(text);
  splitter.end();
}

/** A splitter wired to parse each record and report problems with their position. */
export function recordSplitter(sink: RecordSink): RecordSplitter {
  let n = 0;
  return new RecordSplitter({
    record(recordText, offset) {
      n++;
      let value: unknown;
      try {
        value = parseJsonExact(recordText);
      } catch (e) {
        sink.error(`invalid JSON: ${(e as Error).message}`, `record ${n} (offset ${offset})`);
        return;
      }
      if (isObject(value)) sink.record(value);
      else sink.error(`record is not a JSON object (${value === null ? "null" : Array.isArray(value) ? "array" : typeof value})`, `record ${n} (offset ${offset})`);
    },
    error(message, offset) {
      sink.error(message, `offset ${offset}`);
    },
  });
}
