/**
 * POSIX fnmatch(3) without flags, as Falco's `glob` uses it: `*` and `?` match any character,
 * `/` and a leading `.` included; `[...]` sets with `!`/`^` negation, ranges and `[:class:]`;
 * a backslash quotes the next character. `iglob` adds case folding.
 *
 * The pattern is cut at its stars into segments of one-character tokens. The first segment must
 * match at the start, the last at the end, and each one between at its leftmost place after the
 * one before (a later place never helps): no backtracking, so a match costs at most the value's
 * length times a segment's, whatever stars the pattern stacks (`*a*a*a*a*a*a*b`).
 */

/** One-character token: a literal code point, any character, or a bracket set. */
type Token = { kind: "char"; cp: number } | { kind: "any" } | { kind: "set"; ranges: Ranges; negate: boolean };
type Ranges = readonly (readonly [number, number])[];

const CLASSES: Record<string, Ranges> = {
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  digit: [[0x30, 0x39]],
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  upper: [[0x41, 0x5a]],
  lower: [[0x61, 0x7a]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  print: [[0x20, 0x7e]],
  graph: [[0x21, 0x7e]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/** A set that matches nothing: a bracket with a reversed range. */
const NOTHING: Token = { kind: "set", ranges: [], negate: false };

/** Code points of a string (a surrogate pair is one character, as fnmatch sees one UTF-8 character). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    out.push(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/** Parses a bracket expression at `p[i] === "["`; undefined when it is not closed (then `[` is literal). */
function bracket(p: number[], i: number): { token: Token; end: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (p[j] === 0x21 || p[j] === 0x5e) {
    negate = true;
    j++;
  }
  const ranges: [number, number][] = [];
  let first = true;
  while (j < p.length) {
    const c = p[j];
    if (c === 0x5d && !first) return { token: { kind: "set", ranges, negate }, end: j + 1 };
    first = false;
    if (c === 0x5b && p[j + 1] === 0x3a) {
      const close = findClassEnd(p, j + 2);
      const cls = close > 0 ? CLASSES[String.fromCodePoint(...p.slice(j + 2, close))] : undefined;
      if (cls !== undefined) {
        ranges.push(...(cls as [number, number][]));
        j = close + 2;
        continue;
      }
    }
    let lo = c;
    if (c === 0x5c && j + 1 < p.length) lo = p[++j];
    if (p[j + 1] === 0x2d && j + 2 < p.length && p[j + 2] !== 0x5d) {
      let hi = p[j + 2];
      let next = j + 3;
      if (hi === 0x5c && j + 3 < p.length) {
        hi = p[j + 3];
        next = j + 4;
      }
      if (hi < lo) {
        // A reversed range matches nothing: the whole bracket does not match.
        const close = p.indexOf(0x5d, next);
        return { token: NOTHING, end: close < 0 ? p.length : close + 1 };
      }
      ranges.push([lo, hi]);
      j = next;
      continue;
    }
    ranges.push([lo, lo]);
    j++;
  }
  return undefined;
}

/** Index of the `:]` that closes a `[:name:]` starting at `from`, or -1. */
function findClassEnd(p: number[], from: number): number {
  for (let k = from; k + 1 < p.length; k++) if (p[k] === 0x3a && p[k + 1] === 0x5d) return k;
  return -1;
}

/** The pattern as segments of tokens, split at runs of stars; `starred` when it has any star. */
function compile(pattern: string, fold: (cp: number) => number): { segments: Token[][]; starred: boolean } {
  const p = codePoints(pattern);
  const segments: Token[][] = [[]];
  let starred = false;
  for (let i = 0; i < p.length; ) {
    const c = p[i];
    const seg = segments[segments.length - 1];
    if (c === 0x2a) {
      starred = true;
      if (seg.length > 0 || segments.length === 1) segments.push([]);
      i++;
    } else if (c === 0x3f) {
      seg.push({ kind: "any" });
      i++;
    } else if (c === 0x5b) {
      const b = bracket(p, i);
      if (b) {
        seg.push(b.token);
        i = b.end;
      } else {
        seg.push({ kind: "char", cp: fold(0x5b) });
        i++;
      }
    } else if (c === 0x5c && i + 1 < p.length) {
      seg.push({ kind: "char", cp: fold(p[i + 1]) });
      i += 2;
    } else {
      seg.push({ kind: "char", cp: fold(c) });
      i++;
    }
  }
  return { segments, starred };
}

function inRanges(ranges: Ranges, cp: number): boolean {
  for (const [lo, hi] of ranges) if (cp >= lo && cp <= hi) return true;
  return false;
}

/** One code point's case folding: its lower-case form when that is one code point. */
function lower(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  const l = String.fromCodePoint(cp).toLowerCase();
  const c = l.codePointAt(0) as number;
  return l.length === (c > 0xffff ? 2 : 1) ? c : cp;
}

function upper(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 32 : cp;
  const u = String.fromCodePoint(cp).toUpperCase();
  const c = u.codePointAt(0) as number;
  return u.length === (c > 0xffff ? 2 : 1) ? c : cp;
}

/** The text a segment of literal characters stands for; undefined when it has `?` or a set. */
function literalOf(seg: Token[]): string | undefined {
  let text = "";
  for (const t of seg) {
    if (t.kind !== "char") return undefined;
    text += String.fromCodePoint(t.cp);
  }
  return text;
}

const SURROGATE = /[\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

export function globMatcher(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const fold = caseInsensitive ? lower : (cp: number) => cp;
  const { segments, starred } = compile(pattern, fold);
  const literals = segments.map(literalOf);
  const matchOne = (t: Token, cp: number): boolean => {
    switch (t.kind) {
      case "char":
        return t.cp === cp;
      case "any":
        return true;
      case "set": {
        const hit = inRanges(t.ranges, cp) || (caseInsensitive && inRanges(t.ranges, upper(cp)));
        return hit !== t.negate;
      }
    }
  };
  const head = segments[0];
  const tail = segments[segments.length - 1];

  /** The value as UTF-16 text in which each code unit is one character (no surrogates), folded if need be. */
  const matchText = (v: string): boolean => {
    const at = (seg: Token[], from: number): boolean => {
      for (let k = 0; k < seg.length; k++) if (!matchOne(seg[k], v.charCodeAt(from + k))) return false;
      return true;
    };
    if (!starred) return literals[0] !== undefined ? v === literals[0] : head.length === v.length && at(head, 0);
    if (head.length + tail.length > v.length) return false;
    const headText = literals[0];
    const tailText = literals[segments.length - 1];
    if (headText !== undefined ? !v.startsWith(headText) : !at(head, 0)) return false;
    if (tailText !== undefined ? !v.endsWith(tailText) : !at(tail, v.length - tail.length)) return false;
    let from = head.length;
    const end = v.length - tail.length;
    for (let s = 1; s < segments.length - 1; s++) {
      const seg = segments[s];
      const text = literals[s];
      let found = -1;
      if (text !== undefined) {
        found = v.indexOf(text, from);
        if (found + seg.length > end) found = -1;
      } else {
        for (let k = from; k + seg.length <= end; k++) {
          if (at(seg, k)) {
            found = k;
            break;
          }
        }
      }
      if (found < 0) return false;
      from = found + seg.length;
    }
    return true;
  };

  /** The value as an array of (folded) code points: the general case. */
  const matchPoints = (v: number[]): boolean => {
    const at = (seg: Token[], from: number): boolean => {
      for (let k = 0; k < seg.length; k++) if (!matchOne(seg[k], v[from + k])) return false;
      return true;
    };
    if (!starred) return head.length === v.length && at(head, 0);
    if (head.length + tail.length > v.length) return false;
    if (!at(head, 0) || !at(tail, v.length - tail.length)) return false;
    let from = head.length;
    const end = v.length - tail.length;
    for (let s = 1; s < segments.length - 1; s++) {
      const seg = segments[s];
      let found = -1;
      for (let k = from; k + seg.length <= end; k++) {
        if (at(seg, k)) {
          found = k;
          break;
        }
      }
      if (found < 0) return false;
      from = found + seg.length;
    }
    return true;
  };

  return (value) => {
    if (lastForm.value !== value) {
      lastForm.value = value;
      lastForm.plain = !SURROGATE.test(value);
      lastForm.lower = null;
    }
    if (lastForm.plain) {
      if (!caseInsensitive) return matchText(value);
      if (lastForm.lower === null) lastForm.lower = ASCII.test(value) ? value.toLowerCase() : undefined;
      if (lastForm.lower !== undefined) return matchText(lastForm.lower);
    }
    return matchPoints(caseInsensitive ? codePoints(value).map(lower) : codePoints(value));
  };
}

/**
 * What the matchers know of the value last matched (several patterns test the same value in a
 * row): whether it is free of surrogates, and its lower case when ASCII (null: not yet asked).
 */
const lastForm = { value: undefined as string | undefined, plain: false, lower: null as string | undefined | null };
