/**
 * POSIX fnmatch(3) without flags, as Falco's `glob` uses it: `*` and `?` match any character,
 * `/` and a leading `.` included; `[...]` sets with `!`/`^` negation, ranges and `[:class:]`;
 * a backslash quotes the next character. `iglob` adds case folding.
 */

const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z",
  digit: "0-9",
  alnum: "a-zA-Z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\v\\f\\r",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  print: " -~",
  graph: "!-~",
  cntrl: "\\x00-\\x1f\\x7f",
  xdigit: "0-9A-Fa-f",
};

/** Escapes a character for use outside a regular-expression class. */
function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|]/.test(c) ? "\\" + c : c;
}

/** Escapes a character for use inside a regular-expression class. */
function escapeInClass(c: string): string {
  return /[\\\][^-]/.test(c) ? "\\" + c : c;
}

/** Translates a bracket expression starting at `p[i] === "["`; undefined when it is not closed. */
function bracket(p: string, i: number): { re: string; end: number } | undefined {
  let j = i + 1;
  let negate = false;
  if (p[j] === "!" || p[j] === "^") {
    negate = true;
    j++;
  }
  let body = "";
  let first = true;
  while (j < p.length) {
    const c = p[j];
    if (c === "]" && !first) return { re: `[${negate ? "^" : ""}${body}]`, end: j + 1 };
    first = false;
    if (c === "[" && p[j + 1] === ":") {
      const close = p.indexOf(":]", j + 2);
      const cls = close > 0 ? CLASSES[p.slice(j + 2, close)] : undefined;
      if (cls !== undefined) {
        body += cls;
        j = close + 2;
        continue;
      }
    }
    let lit = c;
    if (c === "\\" && j + 1 < p.length) lit = p[++j];
    if (p[j + 1] === "-" && j + 2 < p.length && p[j + 2] !== "]") {
      let hi = p[j + 2];
      let next = j + 3;
      if (hi === "\\" && j + 3 < p.length) {
        hi = p[j + 3];
        next = j + 4;
      }
      if (hi < lit) return { re: "(?!)", end: skipTo(p, next) };
      body += `${escapeInClass(lit)}-${escapeInClass(hi)}`;
      j = next;
      continue;
    }
    body += escapeInClass(lit);
    j++;
  }
  return undefined;
}

/** A range whose ends are reversed matches nothing; skip the rest of its bracket expression. */
function skipTo(p: string, j: number): number {
  const close = p.indexOf("]", j);
  return close < 0 ? p.length : close + 1;
}

export function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "*") {
      re += "[^]*";
      i++;
    } else if (c === "?") {
      re += "[^]";
      i++;
    } else if (c === "[") {
      const b = bracket(pattern, i);
      if (b) {
        re += b.re;
        i = b.end;
      } else {
        re += "\\[";
        i++;
      }
    } else if (c === "\\" && i + 1 < pattern.length) {
      re += escapeChar(pattern[i + 1]);
      i += 2;
    } else {
      re += escapeChar(c);
      i++;
    }
  }
  return new RegExp(`^${re}$`, caseInsensitive ? "iu" : "u");
}

export function globMatcher(pattern: string, caseInsensitive: boolean): (value: string) => boolean {
  const re = globToRegExp(pattern, caseInsensitive);
  return (value) => re.test(value);
}
