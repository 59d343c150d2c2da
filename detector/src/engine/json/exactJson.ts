/**
 * JSON text to values, keeping the original text of numbers whose JavaScript form would differ
 * (`2048.0`, `1e5`, integers beyond 2^53). Falco's plugins read the record's own bytes, so
 * `json.value[/x]` of `2048.0` is the text "2048.0"; we must print what the record said.
 *
 * The common case costs one native JSON.parse: the slow, exact parser runs only on texts that
 * contain such a number.
 */

/** A JSON number whose text is not JavaScript's canonical rendering of its value. */
export class RawNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A number token after `:`, `[` or `,` with a fraction, an exponent, 16+ digits, or `-0`. */
const NON_CANONICAL_CANDIDATE = /[:[,]\s*(?:-?(?:\d+(?:\.\d+(?:[eE][+-]?\d+)?|[eE][+-]?\d+)|\d{16,})|-0)\s*[,}\]]/;

/**
 * True when the text may hold a number that JSON.parse would not give back as written. False
 * positives (such text inside a string) only cost the exact parse.
 */
export function mayHaveNonCanonicalNumbers(text: string): boolean {
  return NON_CANONICAL_CANDIDATE.test(text);
}

/** The same tokens, all of them, the number captured; the following bracket or comma is only looked at. */
const CANDIDATE_TOKENS = /[:[,]\s*(-?(?:\d+(?:\.\d+(?:[eE][+-]?\d+)?|[eE][+-]?\d+)|\d{16,})|-0)(?=\s*[,}\]])/g;

/**
 * The values of every number token of the text that may not be written as JavaScript prints it
 * (and of look-alikes inside strings). A number the native parse gave that is not among them was
 * written exactly as JavaScript prints it.
 */
export function candidateValues(text: string): Set<number> {
  const values = new Set<number>();
  for (const m of text.matchAll(CANDIDATE_TOKENS)) values.add(Number(m[1]));
  return values;
}

const QUOTE = 34;
const BACKSLASH = 92;

/** Whether the quote at `i` closes or opens a string (it is not escaped by an odd run of backslashes). */
function realQuote(s: string, i: number): boolean {
  let b = 0;
  while (s.charCodeAt(i - 1 - b) === BACKSLASH) b++;
  return b % 2 === 0;
}

/** An `eventID` member whose value is a plain string (the id is captured). */
const EVENT_ID_MEMBER = /"eventID"\s*:\s*"([^"\\]*)"/g;

/**
 * Where each `"eventID": "<id>"` member of a JSON text starts, by id (the first when an id is
 * repeated; `repeated`, when given, receives such ids): one native pass over the text. Escaped
 * look-alikes inside strings do not match.
 */
export function eventIdMembers(s: string, repeated?: Set<string>): Map<string, number> {
  const at = new Map<string, number>();
  for (const m of s.matchAll(EVENT_ID_MEMBER)) {
    if (!at.has(m[1])) at.set(m[1], m.index);
    else repeated?.add(m[1]);
  }
  return at;
}

/**
 * The text of the object holding the member that starts at `key` (see eventIdMembers), found
 * without parsing: its brackets are matched outward from the key, strings skipped by their
 * quotes, so the cost is that of the one object. Undefined when the brackets do not close.
 */
export function objectTextAround(s: string, key: number): string | undefined {
  const start = objectStartBefore(s, key);
  if (start < 0) return undefined;
  const end = objectEndAfter(s, start);
  return end > 0 ? s.slice(start, end) : undefined;
}

/** The `{` opening the object that holds position `i` (outside any string), or -1. */
function objectStartBefore(s: string, i: number): number {
  let depth = 0;
  let inString = false;
  for (let k = i - 1; k >= 0; k--) {
    const c = s.charCodeAt(k);
    if (c === QUOTE) {
      if (realQuote(s, k)) inString = !inString;
    } else if (!inString) {
      if (c === 125 || c === 93) depth++; // } ]
      else if (c === 123 || c === 91) {
        // { [
        if (depth === 0) return c === 123 ? k : -1;
        depth--;
      }
    }
  }
  return -1;
}

/** The position just after the `}` closing the object opened at `start`, or -1. */
function objectEndAfter(s: string, start: number): number {
  let depth = 0;
  for (let k = start; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === QUOTE) {
      // Jump to the string's closing quote.
      let q = k;
      do q = s.indexOf('"', q + 1);
      while (q > 0 && !realQuote(s, q));
      if (q < 0) return -1;
      k = q;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return -1;
}

export function parseJsonExact(text: string): unknown {
  if (!NON_CANONICAL_CANDIDATE.test(text)) return JSON.parse(text);
  return new ExactParser(text).parseDocument();
}

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** An object or array being filled; `key` is the member an object's next value goes to. */
interface Open {
  container: Record<string, unknown> | unknown[];
  key: string;
}

/**
 * A JSON parser that keeps numbers as written. It keeps its own stack of open containers instead
 * of recursing, so input nested thousands of levels deep costs memory, not the call stack.
 */
class ExactParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): unknown {
    const open: Open[] = [];
    for (;;) {
      // A value starts here: a container opens (and its first value is read next), or a scalar.
      this.ws();
      let v: unknown;
      const c = this.s[this.i];
      if (c === "{" || c === "[") {
        this.i++;
        this.ws();
        if (this.s[this.i] === (c === "{" ? "}" : "]")) {
          this.i++;
          v = c === "{" ? {} : [];
        } else {
          open.push(c === "{" ? { container: {}, key: this.key() } : { container: [], key: "" });
          continue;
        }
      } else {
        v = this.scalar(c);
      }
      // Store the value in its container; close every container that ends after it.
      for (;;) {
        const top = open[open.length - 1];
        if (top === undefined) {
          this.ws();
          if (this.i !== this.s.length) this.fail("Unexpected non-whitespace character after JSON");
          return v;
        }
        const c2 = this.put(top, v);
        if (c2 === ",") {
          if (!Array.isArray(top.container)) top.key = this.key();
          break;
        }
        v = top.container;
        open.pop();
      }
    }
  }

  /** Adds a value to a container; returns the separator after it (`,`), or the closing bracket. */
  private put(top: Open, v: unknown): string {
    const { container } = top;
    if (Array.isArray(container)) container.push(v);
    // Same key twice: JSON.parse keeps the last; do the same so both paths agree.
    else Object.defineProperty(container, top.key, { value: v, enumerable: true, writable: true, configurable: true });
    this.ws();
    const c = this.s[this.i++];
    const close = Array.isArray(container) ? "]" : "}";
    if (c !== "," && c !== close) this.fail(`Expected ',' or '${close}'`);
    return c;
  }

  /** A member's key and its colon. */
  private key(): string {
    this.ws();
    if (this.s[this.i] !== '"') this.fail("Expected property name");
    const key = this.string();
    this.ws();
    if (this.s[this.i] !== ":") this.fail("Expected ':'");
    this.i++;
    return key;
  }

  private fail(msg: string): never {
    throw new SyntaxError(`${msg} at position ${this.i}`);
  }

  private ws(): void {
    WS.lastIndex = this.i;
    WS.exec(this.s);
    this.i = WS.lastIndex;
  }

  private scalar(c: string | undefined): unknown {
    switch (c) {
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        return this.number();
    }
  }

  private literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail("Unexpected token");
    this.i += word.length;
    return v;
  }

  private number(): number | RawNumber {
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (!m) this.fail("Unexpected token");
    this.i += m[0].length;
    const n = Number(m[0]);
    return String(n) === m[0] ? n : new RawNumber(m[0]);
  }

  private string(): string {
    const start = this.i;
    let j = start + 1;
    for (;;) {
      const k = this.s.indexOf('"', j);
      if (k < 0) this.fail("Unterminated string in JSON");
      let backslashes = 0;
      for (let b = k - 1; this.s[b] === "\\"; b--) backslashes++;
      if (backslashes % 2 === 0) {
        this.i = k + 1;
        return JSON.parse(this.s.slice(start, k + 1)) as string;
      }
      j = k + 1;
    }
  }
}
