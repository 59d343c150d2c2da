/**
 * Finds the records in a stream of JSON text without holding the whole stream: the elements of a
 * CloudTrail file's `Records` array (or of the `Events` array of lookup-events output), the
 * elements of a top-level array, or whole top-level objects (single events, JSON Lines,
 * concatenated files). Each record's text is handed out as soon as it is complete, to be parsed
 * on its own.
 *
 * It only tracks nesting (a counter, never recursion), strings and those two keys; strings are
 * skipped with native searches, so splitting costs a fraction of parsing. Damaged input costs at
 * most the records it touches: after a syntax problem the splitter resynchronises at the next
 * line. A record longer than `maxRecordChars` is reported and skipped rather than buffered.
 */
export interface SplitterEvents {
  record(text: string, offset: number): void;
  error(message: string, offset: number): void;
}

/** CloudTrail events are at most a few hundred KB; anything this large is not one. */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;

const enum Mode {
  /** Between top-level values. */
  Top,
  /** Inside a top-level array: each element is a record. */
  TopArray,
  /** Inside a top-level object, not yet known to be a CloudTrail file. */
  Object,
  /** Inside the `Records` array of a top-level object. */
  Records,
  /** After the `Records` array, skipping to the end of the object. */
  AfterRecords,
  /** Skipping to the next line after an error. */
  Resync,
}

const QUOTE = 34;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const COMMA = 44;
const COLON = 58;
const NEWLINE = 10;

export class RecordSplitter {
  private mode = Mode.Top;
  private depth = 0;
  private inString = false;
  /** The previous chunk ended inside a string on an unpaired backslash. */
  private escaped = false;
  /** Text of the value being captured (a record, or a top-level object that may be one). */
  private capture = "";
  private capturing = false;
  /** The value being captured outgrew the record limit: it is skipped, then reported. */
  private oversized = false;
  private captureStart = 0;
  /** Depth at which the captured value started. */
  private captureDepth = 0;
  /** Last character outside strings and blanks. */
  private lastSignificant = 0;
  /** Key tracking inside a top-level object, to recognise `Records`. */
  private inKey = false;
  private pendingKey = "";
  private lastKey = "";
  private offset = 0;

  constructor(
    private readonly on: SplitterEvents,
    private readonly maxRecordChars = MAX_RECORD_CHARS,
  ) {}

  push(chunk: string): void {
    const base = this.offset;
    const n = chunk.length;
    let segStart = this.capturing ? 0 : -1;
    let i = 0;
    while (i < n) {
      if (this.mode === Mode.Resync) {
        const nl = chunk.indexOf("\n", i);
        if (nl < 0) break;
        this.reset();
        i = nl + 1;
        continue;
      }
      if (this.inString) {
        i = this.skipString(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === 32 || c === NEWLINE || c === 13 || c === 9) {
        i++;
        continue;
      }
      const at = base + i;

      // Starting a record or a top-level value.
      if (!this.capturing && this.startsValue()) {
        if (this.mode === Mode.Top) {
          if (c === LBRACKET) {
            this.mode = Mode.TopArray;
            this.depth = 1;
            this.lastSignificant = c;
            i++;
            continue;
          }
          if (c !== LBRACE) {
            this.fail(`expected '{' or '[' at the start of a JSON value, found '${String.fromCharCode(c)}'`, at);
            i++;
            continue;
          }
          this.mode = Mode.Object;
        }
        if (c !== COMMA && c !== RBRACKET) {
          this.capturing = true;
          this.oversized = false;
          this.capture = "";
          this.captureStart = at;
          this.captureDepth = this.depth;
          segStart = i;
        }
      }

      switch (c) {
        case QUOTE:
          this.inString = true;
          // A key of the top-level object: remember it, to recognise "Records" (or "Events").
          this.inKey = this.mode === Mode.Object && this.depth === 1 && (this.lastSignificant === LBRACE || this.lastSignificant === COMMA);
          if (this.inKey) this.pendingKey = "";
          i++;
          continue;
        case LBRACE:
        case LBRACKET:
          if (c === LBRACKET && this.mode === Mode.Object && this.depth === 1 && this.lastSignificant === COLON && (this.lastKey === "Records" || this.lastKey === "Events")) {
            // A CloudTrail file (or lookup-events output): drop the object text kept so far and split its list.
            this.mode = Mode.Records;
            this.capturing = false;
            this.capture = "";
            segStart = -1;
          }
          this.depth++;
          break;
        case RBRACE:
        case RBRACKET:
          this.depth--;
          if (this.depth < 0) {
            this.fail(`unbalanced '${String.fromCharCode(c)}'`, at);
            segStart = -1;
            i++;
            continue;
          }
          if (this.capturing && this.depth <= this.captureDepth) {
            // The record ends with this bracket, or (a scalar record) just before it.
            this.finishCapture(chunk, segStart, this.depth === this.captureDepth ? i + 1 : i);
            segStart = -1;
            if (this.mode === Mode.Object) {
              this.mode = Mode.Top;
              this.lastSignificant = c;
              i++;
              continue;
            }
          }
          if (this.mode === Mode.Records && this.depth === 1) this.mode = Mode.AfterRecords;
          else if ((this.mode === Mode.AfterRecords || this.mode === Mode.TopArray) && this.depth === 0) this.mode = Mode.Top;
          break;
        case COMMA:
          if (this.capturing && this.depth === this.captureDepth) {
            // A scalar record ended: it is still handed out, to be reported as "not an object".
            this.finishCapture(chunk, segStart, i);
            segStart = -1;
          }
          break;
        default:
          break;
      }
      this.lastSignificant = c;
      i++;
    }
    if (this.capturing && segStart >= 0) this.keep(chunk.slice(segStart));
    this.offset += n;
  }

  /** Call at the end of the stream: reports a value cut short. */
  end(): void {
    if (this.capturing || this.mode === Mode.Records || this.mode === Mode.TopArray || this.mode === Mode.Object || this.mode === Mode.AfterRecords) {
      if (this.mode !== Mode.AfterRecords || this.depth > 0) this.on.error("input ends in the middle of a JSON value (truncated?)", this.offset);
    }
    this.reset();
  }

  /** Skips string content from `i`; returns where scanning resumes (after the closing quote, or the chunk's end). */
  private skipString(chunk: string, i: number): number {
    let from = i;
    if (this.escaped) {
      // The character after a backslash that ended the previous chunk.
      this.escaped = false;
      from = i + 1;
    }
    let search = from;
    for (;;) {
      const q = chunk.indexOf('"', search);
      if (q < 0) {
        let b = chunk.length - 1;
        while (b >= from && chunk.charCodeAt(b) === BACKSLASH) b--;
        this.escaped = (chunk.length - 1 - b) % 2 === 1;
        if (this.inKey) this.pendingKey += chunk.slice(i, Math.min(chunk.length, i + 16));
        return chunk.length;
      }
      let b = q - 1;
      while (b >= from && chunk.charCodeAt(b) === BACKSLASH) b--;
      if ((q - 1 - b) % 2 === 0) {
        this.inString = false;
        if (this.inKey) {
          this.pendingKey += chunk.slice(i, Math.min(q, i + 16));
          this.lastKey = this.pendingKey;
          this.inKey = false;
        }
        return q + 1;
      }
      search = q + 1;
    }
  }

  private startsValue(): boolean {
    if (this.mode === Mode.Top) return true;
    if (this.mode === Mode.TopArray) return this.depth === 1;
    if (this.mode === Mode.Records) return this.depth === 2;
    return false;
  }

  /** Adds text to the capture, unless the value is already too long to be a record. */
  private keep(text: string): void {
    if (this.oversized) return;
    if (this.capture.length + text.length > this.maxRecordChars) {
      this.oversized = true;
      this.capture = "";
      return;
    }
    this.capture += text;
  }

  private finishCapture(chunk: string, segStart: number, end: number): void {
    this.keep(chunk.slice(Math.max(segStart, 0), end));
    this.capturing = false;
    const text = this.capture;
    this.capture = "";
    if (this.oversized) {
      this.oversized = false;
      this.on.error(`value longer than ${this.maxRecordChars} characters: not a CloudTrail record, skipped`, this.captureStart);
      return;
    }
    this.on.record(text, this.captureStart);
  }

  private fail(message: string, at: number): void {
    this.on.error(message, at);
    this.mode = Mode.Resync;
    this.capturing = false;
    this.capture = "";
  }

  private reset(): void {
    this.mode = Mode.Top;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.capture = "";
    this.capturing = false;
    this.oversized = false;
    this.inKey = false;
    this.pendingKey = "";
    this.lastKey = "";
    this.lastSignificant = 0;
  }
}
