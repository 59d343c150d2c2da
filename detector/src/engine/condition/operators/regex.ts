import { RE2JS } from "re2js";

/**
 * Falco's `regex` operator compiles patterns with RE2 in POSIX mode and matches the whole value.
 * Patterns are checked here as RE2's POSIX parser checks them (Perl classes `\d \w \s`, `\b`,
 * `(?...)` groups and non-greedy operators are errors) and rewritten in the syntax of re2js, a
 * port of RE2: matching takes time linear in the value, whatever the pattern (no backtracking).
 * RE2's POSIX mode, kept:
 *  - `^` and `$` also match at line breaks (it is not one-line);
 *  - `.` never matches `\n`; negated classes `[^...]` do (RE2 sets ClassNL);
 *  - stacked repetitions (`a**`, `a*?`) apply one after the other, as in POSIX;
 *  - nested counted repetitions may multiply to at most 1000, and a pattern compiles to at most
 *    RE2's default program size.
 * A full match is a yes/no question, so RE2's leftmost-longest rule and re2js's leftmost-first
 * search accept exactly the same values.
 */

export class RegexSyntaxError extends Error {}

type Ranges = [number, number][];

const MAX_CODE_POINT = 0x10ffff;
const MAX_REPEAT = 1000;
/**
 * About the most instructions RE2 compiles a pattern to with its default memory budget (8 MiB,
 * two thirds for the program, a quarter of that in 8-byte instructions); beyond it RE2 reports
 * "pattern too large - compile failed".
 */
export const MAX_PROGRAM_SIZE = Math.floor(((8 << 20) * 2) / 3 / 4 / 8);

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
  return `\\x{${c.toString(16)}}`;
}

/** A class in RE2 syntax; its size in program instructions is about its number of ranges. */
function classSource(r: Ranges): Piece {
  const n = normalize(r);
  if (n.length === 0) return { src: `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`, size: 1, repeat: 1 };
  if (n.length === 1 && n[0][0] === n[0][1]) {
    const ch = String.fromCodePoint(n[0][0]);
    return { src: /[A-Za-z0-9 _,:;'"<>=!@#%&~`-]/.test(ch) ? ch : hex(n[0][0]), size: 1, repeat: 1 };
  }
  return { src: "[" + n.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join("") + "]", size: n.length, repeat: 1 };
}

/**
 * Translated text with what RE2 would make of it: `size`, its program instructions (about);
 * `repeat`, the largest product of nested counted repetitions in it.
 */
interface Piece {
  src: string;
  size: number;
  repeat: number;
}

const NEWLINE = 0x0a;
/** RE2 (and re2js) refuse patterns nested deeper than this. */
const MAX_NESTING = 1000;

const REPEAT = /\{(\d+)(,(\d*))?\}/y;
const HEX_BRACED = /\{([0-9a-fA-F]+)\}/y;
const HEX_TWO = /[0-9a-fA-F]{2}/y;
const POSIX_CLASS = /\[:(\^?)([a-z]+):\]/y;

/** A sticky match at `i`, or null. */
function at(re: RegExp, text: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(text);
}

const piece = (src: string, size: number, repeat = 1): Piece => ({ src, size, repeat });

class Translator {
  private i = 0;
  private depth = 0;
  constructor(private readonly p: string) {}

  translate(): Piece {
    const body = this.alternation();
    if (this.i < this.p.length) throw new RegexSyntaxError(`unexpected ): ${this.p}`);
    if (body.size > MAX_PROGRAM_SIZE) throw new RegexSyntaxError("pattern too large - compile failed");
    return body;
  }

  private peek(): string | undefined {
    return this.p[this.i];
  }

  private alternation(): Piece {
    const branches = [this.concatenation()];
    while (this.peek() === "|") {
      this.i++;
      branches.push(this.concatenation());
    }
    if (branches.length === 1) return branches[0];
    return piece(
      branches.map((b) => b.src).join("|"),
      branches.reduce((n, b) => n + b.size + 1, 0),
      Math.max(...branches.map((b) => b.repeat)),
    );
  }

  private concatenation(): Piece {
    const parts: string[] = [];
    let size = 0;
    let repeat = 1;
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === "|" || c === ")") return piece(parts.join(""), size, repeat);
      let atom = this.atom();
      for (;;) {
        const start = this.i;
        const rep = this.repetition();
        if (rep === undefined) break;
        atom = this.repeated(atom, rep, this.p.slice(start, this.i));
      }
      parts.push(atom.src);
      size += atom.size;
      repeat = Math.max(repeat, atom.repeat);
    }
  }

  /** `atom` under one repetition operator, with RE2's limits on what that makes. */
  private repeated(atom: Piece, rep: { op: string; min?: number; max?: number }, text: string): Piece {
    if (rep.min === undefined) return piece(`(?:${atom.src})${rep.op}`, atom.size + 1, atom.repeat);
    const { min, max } = rep;
    // RE2 refuses counted repetitions whose nesting multiplies to more than 1000 (a{100}){100}.
    const factor = max ?? min;
    const repeat = factor > 0 ? atom.repeat * factor : atom.repeat;
    if (repeat > MAX_REPEAT) throw new RegexSyntaxError(`bad repetition operator: ${text}`);
    const size = max === undefined ? atom.size * (min + 1) + 1 : atom.size * max + (max - min);
    if (size > MAX_PROGRAM_SIZE) throw new RegexSyntaxError("pattern too large - compile failed");
    return piece(`(?:${atom.src})${rep.op}`, size, repeat);
  }

  /** A repetition operator at the cursor, or undefined. `{` that is not a valid repeat is a literal. */
  private repetition(): { op: string; min?: number; max?: number } | undefined {
    const c = this.peek();
    if (c === "*" || c === "+" || c === "?") {
      this.i++;
      return { op: c };
    }
    if (c === "{") {
      const m = at(REPEAT, this.p, this.i);
      if (!m) return undefined;
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : m[3] === "" ? undefined : Number(m[3]);
      if (lo > MAX_REPEAT || (hi !== undefined && (hi > MAX_REPEAT || hi < lo))) {
        throw new RegexSyntaxError(`bad repetition operator: ${m[0]}`);
      }
      this.i += m[0].length;
      return { op: hi === undefined ? `{${lo},}` : hi === lo ? `{${lo}}` : `{${lo},${hi}}`, min: lo, max: hi };
    }
    return undefined;
  }

  private atom(): Piece {
    const c = this.p[this.i];
    switch (c) {
      case "(": {
        this.i++;
        if (this.peek() === "?") throw new RegexSyntaxError("missing argument to repetition operator: ?");
        if (++this.depth > MAX_NESTING) throw new RegexSyntaxError("expression nests too deeply");
        const inner = this.alternation();
        this.depth--;
        if (this.peek() !== ")") throw new RegexSyntaxError(`missing ): ${this.p}`);
        this.i++;
        // POSIX groups capture: two more instructions in RE2's program.
        return piece(`(?:${inner.src})`, inner.size + 2, inner.repeat);
      }
      case "[":
        return classSource(this.bracket());
      case ".":
        this.i++;
        return classSource(without([[0, MAX_CODE_POINT]], NEWLINE));
      case "^":
        this.i++;
        return piece("(?m:^)", 1);
      case "$":
        this.i++;
        return piece("(?m:$)", 1);
      case "*":
      case "+":
      case "?":
        throw new RegexSyntaxError(`missing argument to repetition operator: ${c}`);
      case "{":
        if (this.repetition() !== undefined) throw new RegexSyntaxError(`missing argument to repetition operator: {`);
        this.i++;
        return piece("\\{", 1);
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
      const braced = at(HEX_BRACED, this.p, this.i);
      const m = braced ?? at(HEX_TWO, this.p, this.i);
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
        const m = at(POSIX_CLASS, this.p, this.i);
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
    // RE2 parses with ClassNL: a negated class matches a newline too (only `.` does not).
    return negate ? complement(ranges) : ranges;
  }

  private classChar(): number {
    if (this.peek() === "\\") return this.escape()[0];
    const cp = this.p.codePointAt(this.i) as number;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }
}

/** The RE2 translation of a POSIX pattern and its estimated program size; throws RegexSyntaxError when RE2 would. */
export function translateRegex(pattern: string): { source: string; size: number } {
  const { src, size } = new Translator(pattern).translate();
  return { source: src, size };
}

/** Patterns compiled lately, so reloading the same rules (or repeating a pattern) compiles once. */
const recent = new Map<string, { size: number; match: (value: string) => boolean }>();
const RECENT_PATTERNS = 512;

/** A compiled pattern and its estimated program size; throws RegexSyntaxError when RE2 would. */
export function compileRegex(pattern: string): { size: number; match: (value: string) => boolean } {
  const known = recent.get(pattern);
  if (known) return known;
  const { source, size } = translateRegex(pattern);
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (e) {
    throw new RegexSyntaxError(`pattern too large - compile failed (${(e as Error).message})`);
  }
  const required = requiredLiterals(pattern);
  // A value without a text every match must hold is refused before the regex engine runs.
  const match = required.length ? (value: string) => required.every((text) => value.includes(text)) && re.matches(value) : (value: string) => re.matches(value);
  const compiled = { size, match };
  if (recent.size >= RECENT_PATTERNS) recent.delete(recent.keys().next().value as string);
  recent.set(pattern, compiled);
  return compiled;
}

/** Compiles a POSIX RE2 pattern into a whole-value matcher; throws RegexSyntaxError when RE2 would. */
export function regexMatcher(pattern: string): (value: string) => boolean {
  return compileRegex(pattern).match;
}

/**
 * Texts of two characters or more that every value matching the whole pattern contains: the runs
 * of plain characters at the top level of a pattern without alternatives (`.*:role/[^/]+/i-` has
 * `:role/` and `/i-`); a character a repetition applies to is not part of a run. A pattern this
 * does not read for certain (`|`, escaped letters or digits, brackets or escapes inside a group or
 * a class, a brace that is not a repetition, characters beyond 16 bits) gives none.
 */
export function requiredLiterals(pattern: string): string[] {
  // Characters beyond 16 bits are two code units here, which a repetition would split.
  if (pattern.includes("|") || /[\uD800-\uDFFF]/.test(pattern)) return [];
  // The pattern as atoms: a plain character (its text), or anything else (null); `true` when repeated.
  const atoms: { text: string | null; repeated: boolean }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" || c === "+" || c === "?" || c === "{") {
      const last = atoms[atoms.length - 1];
      if (!last) return [];
      last.repeated = true;
      if (c === "{") {
        const m = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
        if (!m) return [];
        i += m[0].length - 1;
      }
    } else if (c === "[") {
      let k = i + 1;
      if (pattern[k] === "^") k++;
      if (pattern[k] === "]") k++;
      while (k < pattern.length && pattern[k] !== "]") {
        if (pattern[k] === "[" || pattern[k] === "\\") return [];
        k++;
      }
      if (k >= pattern.length) return [];
      atoms.push({ text: null, repeated: false });
      i = k;
    } else if (c === "(") {
      let depth = 1;
      let k = i + 1;
      for (; k < pattern.length && depth > 0; k++) {
        const g = pattern[k];
        if (g === "[" || g === "\\") return [];
        if (g === "(") depth++;
        else if (g === ")") depth--;
      }
      if (depth > 0) return [];
      atoms.push({ text: null, repeated: false });
      i = k - 1;
    } else if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return [];
      atoms.push({ text: next, repeated: false });
      i++;
    } else if (c === "." || c === "^" || c === "$") {
      atoms.push({ text: null, repeated: false });
    } else if (c === ")" || c === "]" || c === "}") {
      return [];
    } else {
      atoms.push({ text: c, repeated: false });
    }
  }
  const out: string[] = [];
  let run = "";
  for (const a of [...atoms, { text: null, repeated: false }]) {
    if (a.text !== null && !a.repeated) {
      run += a.text;
      continue;
    }
    if (run.length >= 2) out.push(run);
    run = "";
  }
  return out;
}
