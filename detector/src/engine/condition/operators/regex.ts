/**
 * Falco's `regex` operator compiles patterns with RE2 in POSIX mode and matches the whole value.
 * This translates that dialect into an equivalent JavaScript RegExp, rejecting what RE2 would
 * reject (Perl classes `\d \w \s`, `\b`, `(?...)` groups, non-greedy operators):
 *  - `^` and `$` also match at line breaks (RE2's POSIX mode is not one-line);
 *  - `.` and negated classes never match `\n`;
 *  - stacked repetitions (`a**`, `a*?`) apply one after the other, as in POSIX.
 * A full match is a yes/no question, so RE2's leftmost-longest rule and JavaScript's
 * leftmost-first search accept exactly the same values.
 */

export class RegexSyntaxError extends Error {}

type Ranges = [number, number][];

const MAX_CODE_POINT = 0x10ffff;
const MAX_REPEAT = 1000;

const POSIX_CLASSES: Record<string, Ranges> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

function normalize(r: Ranges): Ranges {
  const sorted = [...r].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of normalize(r)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function without(r: Ranges, c: number): Ranges {
  const out: Ranges = [];
  for (const [lo, hi] of normalize(r)) {
    if (c < lo || c > hi) out.push([lo, hi]);
    else {
      if (lo < c) out.push([lo, c - 1]);
      if (c < hi) out.push([c + 1, hi]);
    }
  }
  return out;
}

function hex(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

function classSource(r: Ranges): string {
  const n = normalize(r);
  if (n.length === 0) return "(?!)";
  if (n.length === 1 && n[0][0] === n[0][1]) {
    const ch = String.fromCodePoint(n[0][0]);
    return /[A-Za-z0-9 _,:;'"<>=!@#%&~`-]/.test(ch) ? ch : hex(n[0][0]);
  }
  return "[" + n.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join("") + "]";
}

const NEWLINE = 0x0a;

class Translator {
  private i = 0;
  constructor(private readonly p: string) {}

  translate(): string {
    const body = this.alternation();
    if (this.i < this.p.length) throw new RegexSyntaxError(`unexpected ): ${this.p}`);
    return body;
  }

  private peek(): string | undefined {
    return this.p[this.i];
  }

  private alternation(): string {
    const branches = [this.concatenation()];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.concatenation());
    }
    return branches.join("|");
  }

  private concatenation(): string {
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") return out;
      let atom = this.atom();
      for (;;) {
        const rep = this.repetition();
        if (rep === undefined) break;
        atom = `(?:${atom})${rep}`;
      }
      out += atom;
    }
  }

  /** A repetition operator at the cursor, or undefined. `{` that is not a valid repeat is a literal. */
  private repetition(): string | undefined {
    const c = this.peek();
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      return c;
    }
    if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.i));
      if (!m) return undefined;
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === "" ? undefined : Number(m[3]);
      if (lo > MAX_REPEAT || (hi !== undefined && (hi > MAX_REPEAT || hi < lo))) {
        throw new RegexSyntaxError(`bad repetition operator: ${m[0]}`);
      }
      this.i += m[0].length;
      return hi === undefined ? `{${lo},}` : hi === lo ? `{${lo}}` : `{${lo},${hi}}`;
    }
    return undefined;
  }

  private atom(): string {
    const c = this.p[this.i];
    switch (c) {
      case "(": {
        this.i++;
        if (this.peek() === "?") throw new RegexSyntaxError("missing argument to repetition operator: ?");
        const inner = this.alternation();
        if (this.peek() !== ")") throw new RegexSyntaxError(`missing ): ${this.p}`);
        this.i++;
        return `(?:${inner})`;
      }
      case "[":
        return classSource(this.bracket());
      case ".":
        this.i++;
        return classSource(without([[0, MAX_CODE_POINT]], NEWLINE));
      case "^":
        this.i++;
        return "(?:(?<![^\\n]))";
      case "$":
        this.i++;
        return "(?:(?![^\\n]))";
      case "*":
      case "+":
      case "?":
        throw new RegexSyntaxError(`missing argument to repetition operator: ${c}`);
      case "{":
        if (this.repetition() !== undefined) throw new RegexSyntaxError(`missing argument to repetition operator: {`);
        this.i++;
        return "\\{";
      case "\\":
        return classSource([this.escape()]);
      default: {
        const cp = this.p.codePointAt(this.i) as number;
        this.i += cp > 0xffff ? 2 : 1;
        return classSource([[cp, cp]]);
      }
    }
  }

  /** An escape at the cursor (which is on the backslash): one code point, as a range. */
  private escape(): [number, number] {
    const c = this.p[this.i + 1];
    if (c === undefined) throw new RegexSyntaxError("trailing \\");
    this.i += 2;
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[c] !== undefined) return [simple[c], simple[c]];
    if (c >= "0" && c <= "7") {
      // \0 and \1-\7 followed by an octal digit: up to three octal digits. A lone \1-\9 would be a backreference.
      if (c !== "0" && !/[0-7]/.test(this.p[this.i] ?? "")) throw new RegexSyntaxError(`invalid escape sequence: \\${c}`);
      let digits = c;
      while (digits.length < 3 && /[0-7]/.test(this.p[this.i] ?? "")) digits += this.p[this.i++];
      const v = parseInt(digits, 8);
      return [v, v];
    }
    if (c === "x") {
      const braced = /^\{([0-9a-fA-F]+)\}/.exec(this.p.slice(this.i));
      const two = /^[0-9a-fA-F]{2}/.exec(this.p.slice(this.i));
      const m = braced ?? two;
      if (!m) throw new RegexSyntaxError(`invalid escape sequence: \\x`);
      const v = parseInt(braced ? braced[1] : m[0], 16);
      if (v > MAX_CODE_POINT) throw new RegexSyntaxError(`invalid escape sequence: \\x${m[0]}`);
      this.i += m[0].length;
      return [v, v];
    }
    const cp = c.codePointAt(0) as number;
    // Escaped punctuation stands for itself; an escaped letter or digit is not POSIX.
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) return [cp, cp];
    throw new RegexSyntaxError(`invalid escape sequence: \\${c}`);
  }

  private bracket(): Ranges {
    this.i++; // [
    let negate = false;
    if (this.peek() === "^") {
      negate = true;
      this.i++;
    }
    const ranges: Ranges = [];
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new RegexSyntaxError(`missing closing ]: ${this.p}`);
      if (c === "]" && !first) {
        this.i++;
        break;
      }
      if (c === "-" && !first && this.p[this.i + 1] !== "]") throw new RegexSyntaxError(`bad character class range: ${this.p}`);
      first = false;
      if (c === "[" && this.p[this.i + 1] === ":") {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
        if (m) {
          const cls = POSIX_CLASSES[m[2]];
          if (!cls) throw new RegexSyntaxError(`invalid character class range: ${m[0]}`);
          ranges.push(...(m[1] ? complement(cls) : cls));
          this.i += m[0].length;
          continue;
        }
      }
      const lo = this.classChar();
      if (this.peek() === "-" && this.p[this.i + 1] !== "]" && this.p[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classChar();
        if (hi < lo) throw new RegexSyntaxError(`bad character class range: ${this.p}`);
        ranges.push([lo, hi]);
      } else {
        ranges.push([lo, lo]);
      }
    }
    return negate ? without(complement(ranges), NEWLINE) : ranges;
  }

  private classChar(): number {
    if (this.peek() === "\\") return this.escape()[0];
    const cp = this.p.codePointAt(this.i) as number;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

/** Compiles a POSIX RE2 pattern into a whole-value matcher; throws RegexSyntaxError when RE2 would. */
export function regexMatcher(pattern: string): (value: string) => boolean {
  const source = new Translator(pattern).translate();
  const re = new RegExp(`^(?:${source})$`, "u");
  return (value) => re.test(value);
}
