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
