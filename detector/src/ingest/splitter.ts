/**
 * Finds the records in a stream of JSON text without holding the whole stream: the elements of a
 * CloudTrail file's `Records` array, the elements of a top-level array, or whole top-level
 * objects (single events, JSON Lines, concatenated files). Each record's text is handed out as
 * soon as it is complete, to be parsed on its own.
 *
 * It only tracks nesting, strings and the `Records` key, so damaged input costs at most the
 * records it touches: after a syntax problem the splitter resynchronises at the next line.
 */
export interface SplitterEvents {
  record(text: string, offset: number): void;
  error(message: string, offset: number): void;
}

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

export class RecordSplitter {
  private mode = Mode.Top;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Text of the value being captured (a record, or a top-level object that may be one). */
  private capture = "";
  private capturing = false;
  private captureStart = 0;
  /** Depth at which the captured value started. */
  private captureDepth = 0;
  /** Key tracking inside a top-level object. */
  private lastSignificant = 0;
  private keyStart = -1;
  private pendingKey = "";
  private lastKey = "";
  private offset = 0;

  constructor(private readonly on: SplitterEvents) {}

  push(chunk: string): void {
    const base = this.offset;
    let segStart = this.capturing ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.mode === Mode.Resync) {
        if (c === 10) this.reset();
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.pendingKey += chunk.slice(this.keyStart, i);
            this.lastKey = this.pendingKey;
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      const at = base + i;

      // Starting a record or a top-level value.
      if (!this.capturing && this.startsValue()) {
        if (this.mode === Mode.Top) {
          if (c === 91 /* [ */) {
            this.mode = Mode.TopArray;
            this.depth = 1;
            this.lastSignificant = c;
            continue;
          }
          if (c !== 123 /* { */) {
            this.fail(`expected '{' or '[' at the start of a JSON value, found '${String.fromCharCode(c)}'`, at);
            continue;
          }
          this.mode = Mode.Object;
        }
        if (this.mode === Mode.TopArray || this.mode === Mode.Records || this.mode === Mode.Object) {
          if (c === 44 /* , */ || c === 93 /* ] */) {
            // separators and the end of the array are handled below
          } else {
            this.capturing = true;
            this.capture = "";
            this.captureStart = at;
            this.captureDepth = this.depth;
            segStart = i;
          }
        }
      }

      switch (c) {
        case 34: // "
          this.inString = true;
          // A key of the top-level object: remember it, to recognise "Records".
          if (this.mode === Mode.Object && this.depth === 1 && (this.lastSignificant === 123 || this.lastSignificant === 44)) {
            this.keyStart = i + 1;
            this.pendingKey = "";
          }
          break;
        case 123: // {
        case 91: // [
          if (c === 91 && this.mode === Mode.Object && this.depth === 1 && this.lastSignificant === 58 && this.lastKey === "Records") {
            // A CloudTrail file: drop the object text kept so far and split its Records array.
            this.mode = Mode.Records;
            this.capturing = false;
            this.capture = "";
            this.depth++;
            this.lastSignificant = c;
            continue;
          }
          this.depth++;
          break;
        case 125: // }
        case 93: // ]
          this.depth--;
          if (this.depth < 0) {
            this.fail(`unbalanced '${String.fromCharCode(c)}'`, at);
            continue;
          }
          if (this.capturing && this.depth <= this.captureDepth) {
            // The record ends with this bracket, or (a scalar record) just before it.
            this.finishCapture(chunk, segStart, this.depth === this.captureDepth ? i + 1 : i);
            segStart = -1;
            if (this.mode === Mode.Object) {
              this.mode = Mode.Top;
              this.lastSignificant = c;
              continue;
            }
          }
          if (this.mode === Mode.Records && this.depth === 1) this.mode = Mode.AfterRecords;
          else if ((this.mode === Mode.AfterRecords || this.mode === Mode.TopArray) && this.depth === 0) this.mode = Mode.Top;
          break;
        case 44: // ,
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
    }
    if (this.capturing && segStart >= 0) this.capture += chunk.slice(segStart);
    if (this.inString && this.keyStart >= 0) {
      this.pendingKey += chunk.slice(this.keyStart);
      this.keyStart = 0;
    }
    this.offset += chunk.length;
  }

  /** Call at the end of the stream: reports a value cut short. */
  end(): void {
    if (this.capturing || this.mode === Mode.Records || this.mode === Mode.TopArray || this.mode === Mode.Object || this.mode === Mode.AfterRecords) {
      if (this.mode !== Mode.AfterRecords || this.depth > 0) this.on.error("input ends in the middle of a JSON value (truncated?)", this.offset);
    }
    this.reset();
  }

  private startsValue(): boolean {
    if (this.mode === Mode.Top) return true;
    if (this.mode === Mode.TopArray) return this.depth === 1;
    if (this.mode === Mode.Records) return this.depth === 2;
    return false;
  }

  private finishCapture(chunk: string, segStart: number, end: number): void {
    this.capture += chunk.slice(Math.max(segStart, 0), end);
    this.capturing = false;
    const text = this.capture;
    this.capture = "";
    this.on.record(text, this.captureStart);
  }

  private fail(message: string, at: number): void {
    this.on.error(message, at);
    this.mode = Mode.Resync;
  }

  private reset(): void {
    this.mode = Mode.Top;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.capture = "";
    this.capturing = false;
    this.keyStart = -1;
    this.pendingKey = "";
    this.lastKey = "";
    this.lastSignificant = 0;
  }
}
