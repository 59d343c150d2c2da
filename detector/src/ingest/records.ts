import type { ExactSource } from "../engine/event";
import { candidateValues, eventIdMembers, mayHaveNonCanonicalNumbers, objectTextAround, parseJsonExact } from "../engine/json/exactJson";
import { RecordSplitter } from "./splitter";

/**
 * Where records and problems found in an input go. `n` counts the input's records from 1 (the
 * elements of its record list, good or bad). `exact`, when given, yields the record with numbers
 * as written (see ExactSource). A problem's `kind` says whether only one record is lost (`record`:
 * valid JSON that is not an object) or the input itself is damaged (`damage`: text that is not
 * JSON, a value cut short, a gzip fault).
 */
export interface RecordSink {
  record(record: Record<string, unknown>, exact: ExactSource | undefined, n: number): void;
  error(message: string, where?: string, kind?: ProblemKind): void;
}

export type ProblemKind = "record" | "damage";

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** The record parsed from its own text with numbers as written, or undefined when the native parse already was exact. */
function exactFromText(text: string): Record<string, unknown> | undefined {
  return mayHaveNonCanonicalNumbers(text) ? (parseJsonExact(text) as Record<string, unknown>) : undefined;
}

/** The exact source of a record whose own text is at hand. */
class OwnText implements ExactSource {
  private values?: Set<number>;
  private copy?: string;

  constructor(private readonly own: string) {}

  exact(): Record<string, unknown> | undefined {
    return exactFromText(this.own);
  }

  candidates(): ReadonlySet<number> {
    return (this.values ??= candidateValues(this.own));
  }

  text(): string {
    return (this.copy ??= copied(this.own));
  }
}

/**
 * A copy of a part of a larger text: a slice shares the memory of the whole (a log file's), which
 * a record kept for later must not hold on to. Joining makes new text; slicing that keeps only it.
 */
function copied(part: string): string {
  return (" " + part).slice(1);
}

/**
 * Exact twins for the records of a document parsed natively in one go, without reading the file
 * again. A record asked about is found in the text by its eventID (where each eventID member
 * is, by one native pass when the file is first asked about; then the record's brackets are
 * matched outward from its key), and only its own text is looked
 * at: the values of its number tokens that may be written otherwise (see candidateValues), and,
 * when a printed value holds one of them, the record parsed exactly. A record without an eventID
 * (not CloudTrail's) is found by splitting the text into records, once per file.
 *
 * The parsed records are not kept here: each twin holds its own, so that a record nothing refers to
 * any more (no alert, no stateful match) is collected while the rest of its file is evaluated.
 */
class FileTwins {
  private slices?: string[];
  private members?: Map<string, number>;
  /** eventIDs met more than once in the text. */
  readonly repeated = new Set<string>();
  /** Records whose text was found after an earlier record's and read back to the same value. */
  readonly verified = new Set<number>();
  /** Records found so far, by index, and where their eventID member is. */
  private readonly foundIndex: number[] = [];
  private readonly foundAt: number[] = [];

  constructor(
    private readonly text: string,
    /** How many values the parsed list holds. */
    private readonly count: number,
  ) {}

  /** The text of record i (its parsed value given), found without parsing; undefined when it cannot be found. */
  sliceOf(i: number, record: Record<string, unknown>): string | undefined {
    const id = record.eventID;
    if (typeof id === "string") {
      if (!this.members) {
        const near = this.near(i, id, record);
        if (near !== undefined) return near;
      }
      const key = (this.members ??= eventIdMembers(this.text, this.repeated)).get(id);
      return key === undefined ? undefined : objectTextAround(this.text, key);
    }
    if (!this.slices) {
      const all: string[] = [];
      const splitter = new RecordSplitter({ record: (t) => all.push(t), error: () => undefined });
      splitter.push(this.text);
      splitter.end();
      // The splitter sees what JSON.parse saw unless the text is unusual (a repeated Records
      // key): then no twin is better than another record's.
      this.slices = all.length === this.count ? all : [];
    }
    return this.slices[i];
  }

  /**
   * Records come in the text in the order of the list, and CloudTrail writes compact JSON with
   * numbers as JavaScript prints them, mostly: the record's own JSON is searched for from the
   * nearest earlier record found (a long text, found at once). Failing that, its
   * `"eventID":"<id>"`, and the object around it is taken only if it reads back to the record's
   * very value. Anything else (another layout, an id met elsewhere first) leaves the search to the
   * pass over the whole file.
   */
  private near(i: number, id: string, record: Record<string, unknown>): string | undefined {
    // The nearest record found before this one (binary search of the indices found).
    let lo = 0;
    let hi = this.foundIndex.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.foundIndex[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    const from = lo > 0 ? this.foundAt[lo - 1] + 1 : 0;
    let written: string | undefined;
    try {
      written = JSON.stringify(record);
    } catch {
      // nested deeper than the native writer goes
    }
    let slice: string | undefined;
    let at = written === undefined ? -1 : this.text.indexOf(written, from);
    if (at >= 0) slice = written;
    else {
      at = this.text.indexOf(`"eventID":${JSON.stringify(id)}`, from);
      if (at < 0) return undefined;
      slice = objectTextAround(this.text, at);
      if (slice === undefined || !sameValue(slice, record)) return undefined;
    }
    this.foundIndex.splice(lo, 0, i);
    this.foundAt.splice(lo, 0, at);
    this.verified.add(i);
    return slice;
  }
}

/** Whether a text parses to the value: at once when it is the value's own JSON (compact, as CloudTrail writes), else by parsing it. */
function sameValue(text: string, value: unknown): boolean {
  try {
    const written = JSON.stringify(value);
    if (written.length === text.length && written === text) return true;
    return JSON.stringify(JSON.parse(text)) === written;
  } catch {
    // nested deeper than the native writer goes: the pass over the whole file decides
    return false;
  }
}

/** The exact source of record i of a file parsed in one go (see FileTwins); all it needs is made when first asked. */
class FileTwin implements ExactSource {
  private slice?: string | null;
  private values?: Set<number>;
  private own?: string | null;

  constructor(
    private readonly file: FileTwins,
    private readonly i: number,
    private readonly native: Record<string, unknown>,
  ) {}

  private sliceText(): string | undefined {
    if (this.slice === undefined) this.slice = this.file.sliceOf(this.i, this.native) ?? null;
    return this.slice ?? undefined;
  }

  exact(): Record<string, unknown> | undefined {
    const t = this.sliceText();
    if (t === undefined) return undefined;
    const twin = exactFromText(t);
    const native = this.native;
    return twin && twin.eventID === native.eventID && twin.eventTime === native.eventTime ? twin : undefined;
  }

  /** A record not found has no twin: its numbers print as parsed. */
  candidates(): ReadonlySet<number> {
    return (this.values ??= candidateValues(this.sliceText() ?? ""));
  }

  /**
   * The slice is the record's own text for certain when it read back to the record's value, or
   * when its eventID is in the text once (no other record, nor a value inside one, says the same)
   * and it holds the record's eventTime; a record found by splitting is its own text.
   */
  text(): string | undefined {
    if (this.own === undefined) this.own = this.ownText() ?? null;
    return this.own ?? undefined;
  }

  private ownText(): string | undefined {
    const slice = this.sliceText();
    if (slice === undefined) return undefined;
    const native = this.native;
    if (typeof native.eventID === "string" && !this.file.verified.has(this.i)) {
      if (this.file.repeated.has(native.eventID)) return undefined;
      if (typeof native.eventTime !== "string" || !slice.includes(JSON.stringify(native.eventTime))) return undefined;
    }
    return copied(slice);
  }
}

/**
 * An entry of `aws cloudtrail lookup-events` output (`{"EventId": ..., "CloudTrailEvent": "<the
 * record as a JSON string>"}`) is that record; anything else is itself.
 */
function lookupEventRecord(v: Record<string, unknown>): { record: Record<string, unknown>; text: string } | { error: string } | undefined {
  if (typeof v.CloudTrailEvent !== "string" || v.eventTime !== undefined) return undefined;
  let inner: unknown;
  try {
    inner = JSON.parse(v.CloudTrailEvent);
  } catch (e) {
    return { error: `CloudTrailEvent is not JSON: ${(e as Error).message}` };
  }
  return isObject(inner) ? { record: inner, text: v.CloudTrailEvent } : { error: `CloudTrailEvent is not a JSON object (${describe(inner)})` };
}

/** Hands one record to the sink, unwrapping a lookup-events entry (`where`: default `record <n>`). */
function emitRecord(v: Record<string, unknown>, exact: ExactSource, n: number, sink: RecordSink, where?: string): void {
  const entry = lookupEventRecord(v);
  if (entry === undefined) sink.record(v, exact, n);
  else if ("error" in entry) sink.error(entry.error, where ?? `record ${n}`, "record");
  else sink.record(entry.record, new OwnText(entry.text), n);
}

/**
 * Hands on the records of a parsed list, each let go of here once given (the list is this parse's
 * own): a record the sink does not keep is garbage before the rest of the file is through.
 */
function emitAll(text: string, values: unknown[], sink: RecordSink): void {
  const file = new FileTwins(text, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    values[i] = undefined;
    if (isObject(v)) emitRecord(v, new FileTwin(file, i, v), i + 1, sink);
    else sink.error(`record is not a JSON object (${describe(v)})`, `record ${i + 1}`, "record");
  }
}

/**
 * The records of one decoded input: a CloudTrail file (`{"Records":[...]}`), the output of `aws
 * cloudtrail lookup-events` (`{"Events":[...]}`), a JSON array, a single event, or JSON Lines. Whole documents are parsed natively in one go; when that fails
 * (JSON Lines, or damage), the text is split record by record so one bad record costs only itself.
 */
export function parseLogText(text: string, sink: RecordSink): void {
  const first = text.trimStart()[0];
  if (first === undefined) return;
  if (first !== "{" && first !== "[") {
    sink.error(`not CloudTrail records: the input is not JSON (it starts with ${JSON.stringify(text.trimStart().slice(0, 20))})`, undefined, "damage");
    return;
  }
  let doc: unknown;
  let parsed = false;
  try {
    // Native parsing is several times faster than any JavaScript parser; numbers whose text
    // JavaScript would change are recovered per record, only when a field needs them.
    doc = JSON.parse(text);
    parsed = true;
  } catch {
    // not one JSON document: split it below
  }
  if (parsed) {
    if (Array.isArray(doc)) return emitAll(text, doc, sink);
    if (isObject(doc) && Array.isArray(doc.Records)) return emitAll(text, doc.Records, sink);
    // lookup-events entries carry each record as a string: no twins are needed to read them exactly.
    if (isObject(doc) && Array.isArray(doc.Events)) return emitAll("", doc.Events, sink);
    if (isObject(doc)) return emitRecord(doc, new OwnText(text), 1, sink);
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
        value = JSON.parse(recordText);
      } catch (e) {
        sink.error(`invalid JSON: ${(e as Error).message}`, `record ${n} (offset ${offset})`, "damage");
        return;
      }
      if (isObject(value)) emitRecord(value, new OwnText(recordText), n, sink, `record ${n} (offset ${offset})`);
      else sink.error(`record is not a JSON object (${describe(value)})`, `record ${n} (offset ${offset})`, "record");
    },
    error(message, offset) {
      sink.error(message, `offset ${offset}`, "damage");
    },
  });
}

