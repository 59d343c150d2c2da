import type { EventContext } from "../event";
import type { FieldValue } from "../fields";
import { isKnownField } from "../fields";
import type { BinaryCheck, Expr } from "./ast";
import { asciiLower, CompileError, compileOperand, Operand } from "./operand";
import { globMatcher } from "./operators/glob";
import { IpNetwork, networkMatcher, parseIpNetwork } from "./operators/ipnet";
import { pmatchMatcher } from "./operators/pmatch";
import { compileRegex, regexMatcher, RegexSyntaxError, translateRegex } from "./operators/regex";
import { LimitError, RULES_LIMITS } from "../loader/budget";

/** A compiled condition: true when the event matches. */
export type Filter = (ev: EventContext) => boolean;

export interface CompileWarning {
  message: string;
  offset: number;
}

/** Operators allowed per field type (libsinsp flt_is_comparable). */
const ALLOWED: Record<string, ReadonlySet<string>> = {
  string: new Set(["=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "startswith", "endswith", "glob", "iglob", "pmatch", "in", "intersects", "regex"]),
  uint64: new Set(["=", "==", "!=", "<", "<=", ">", ">=", "in", "intersects"]),
  bool: new Set(["=", "==", "!=", "in", "intersects"]),
  ipnet: new Set(["=", "==", "!=", "in", "intersects"]),
  list: new Set(["in", "intersects"]),
};

const MAX_U64 = (1n << 64n) - 1n;

/** sscanf("%lu%c") as libsinsp parses unsigned numbers: sign and decimal digits only, negatives wrap. */
export function parseUint64(text: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  if (!m) throw new Error(`${text} is not a valid number`);
  let n = BigInt(m[2]);
  if (n > MAX_U64) n = MAX_U64;
  return m[1] === "-" ? (MAX_U64 + 1n - n) & MAX_U64 : n;
}

function parseBool(text: string): boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  throw new Error(`${text} is not a valid boolean`);
}

/**
 * Compiled `regex` patterns of one load, shared by the rules that repeat a pattern. RE2 programs
 * can be large; their total is bounded so a rules file of many huge patterns cannot stall loading.
 */
export class RegexCache {
  private readonly compiled = new Map<string, (value: string) => boolean>();
  private used = 0;

  constructor(private readonly budget: number = RULES_LIMITS.regexProgram) {}

  matcher(pattern: string): (value: string) => boolean {
    const known = this.compiled.get(pattern);
    if (known) return known;
    // Counted before compiling: a pattern past the budget is never compiled.
    this.used += translateRegex(pattern).size;
    if (this.used > this.budget) {
      throw new LimitError(`regex patterns too large: more than ${this.budget} RE2 instructions in all (reached with this pattern); use simpler or fewer distinct patterns`);
    }
    const m = compileRegex(pattern).match;
    this.compiled.set(pattern, m);
    return m;
  }
}

/**
 * Patterns taken from a field at evaluation time (`glob val(...)`, `regex val(...)`) come from the
 * record, so from whoever made the call: one longer than this matches nothing, so that no record
 * can make a check costly to compile or match.
 */
export const MAX_DYNAMIC_PATTERN = 1024;

/** Trees that many rules share (expanded macros), with the event they were last evaluated on. */
const sharedTrees = new WeakMap<Expr, { ev: EventContext | undefined; result: boolean }>();

/**
 * Marks a tree as shared by the conditions that use it (an expanded macro): evaluating it again on
 * the same event gives the same result, so each rule after the first reads the one kept.
 */
export function shareTreeResults(expr: Expr): void {
  if ((expr.kind === "and" || expr.kind === "or" || expr.kind === "not") && !sharedTrees.has(expr)) sharedTrees.set(expr, { ev: undefined, result: false });
}

/** Compiles a macro-free condition tree into a closure, checking fields, operators and values. */
export function compileCondition(expr: Expr, warnings: CompileWarning[] = [], regexes: RegexCache = new RegexCache()): Filter {
  const filter = compileTree(expr, warnings, regexes);
  const last = sharedTrees.get(expr);
  if (!last) return filter;
  return (ev) => {
    if (last.ev !== ev) {
      last.result = filter(ev);
      last.ev = ev;
    }
    return last.result;
  };
}

function compileTree(expr: Expr, warnings: CompileWarning[], regexes: RegexCache): Filter {
  switch (expr.kind) {
    case "and": {
      const parts = expr.children.map((c) => compileCondition(c, warnings, regexes));
      if (parts.length === 2) {
        const [a, b] = parts;
        return (ev) => a(ev) && b(ev);
      }
      return (ev) => {
        for (let i = 0; i < parts.length; i++) if (!parts[i](ev)) return false;
        return true;
      };
    }
    case "or": {
      const parts = orParts(expr.children, warnings, regexes);
      if (parts.length === 2) {
        const [a, b] = parts;
        return (ev) => a(ev) || b(ev);
      }
      return (ev) => {
        for (let i = 0; i < parts.length; i++) if (parts[i](ev)) return true;
        return false;
      };
    }
    case "not": {
      const inner = compileCondition(expr.child, warnings, regexes);
      return (ev) => !inner(ev);
    }
    case "macro":
      throw new CompileError(`Undefined macro '${expr.name}' used in filter.`, expr.pos);
    case "unary": {
      const left = compileOperand(expr.left);
      return (ev) => left.extract(ev) !== undefined;
    }
    case "binary":
      return compileBinary(expr, warnings, regexes);
  }
}

/** Operators whose check of a string against one constant is a test of the extracted value alone. */
const SCALAR_STRING_OPS = new Set(["=", "==", "contains", "icontains", "startswith", "endswith", "glob", "iglob", "regex", "in"]);

interface ScalarCheck {
  text: string;
  extract: Operand["extract"];
  test: (v: FieldValue) => boolean;
  /** The constant of a `contains` check. */
  contains?: string;
}

/** A check of a single-valued string field against constants, as the field's text and a test of its value. */
function scalarCheck(expr: Expr, regexes: RegexCache): ScalarCheck | undefined {
  if (expr.kind !== "binary" || !SCALAR_STRING_OPS.has(expr.op)) return undefined;
  const { right } = expr;
  if (right.kind !== "value" && !(right.kind === "list" && expr.op === "in")) return undefined;
  const left = compileOperand(expr.left);
  if (left.list || left.type !== "string") return undefined;
  if (expr.op === "in") {
    const set = new Set<FieldValue>(right.kind === "list" ? right.values : [right.value]);
    return { text: left.text, extract: left.extract, test: (v) => set.has(v) };
  }
  if (right.kind !== "value") return undefined;
  const op = expr.op === "==" ? "=" : expr.op;
  const test = scalarTest(op, right.value, left.type, (pattern) => regexes.matcher(pattern));
  return { text: left.text, extract: left.extract, test, ...(op === "contains" ? { contains: right.value } : {}) };
}

/**
 * The tests of a run, its `contains` checks made one: a native expression of the constants as
 * alternatives finds any of them in one pass over the value, where each `includes` would make its
 * own (a pure alternation of literals, so linear in the value whatever it holds).
 */
function runTests(checks: readonly ScalarCheck[]): ((v: FieldValue) => boolean)[] {
  const needles = checks.filter((c) => c.contains !== undefined).map((c) => c.contains!);
  if (needles.length < 2) return checks.map((c) => c.test);
  let any: RegExp;
  try {
    any = new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|"));
  } catch {
    return checks.map((c) => c.test); // too large for one expression
  }
  return [(v) => any.test(v as string), ...checks.filter((c) => c.contains === undefined).map((c) => c.test)];
}

/**
 * The compiled children of an `or`. Adjacent checks of one string field against constants
 * (`tolower(ct.useragent) contains kali or tolower(ct.useragent) contains pacu or ...`) become one
 * check that extracts the value once and tries each test in turn (its `contains` checks as one
 * search, see runTests); every child is still compiled on its own first, for its errors and
 * warnings.
 */
function orParts(children: readonly Expr[], warnings: CompileWarning[], regexes: RegexCache): Filter[] {
  const parts: Filter[] = [];
  let run: { checks: ScalarCheck[]; first: Filter } | undefined;
  const close = () => {
    if (!run) return;
    const { extract } = run.checks[0];
    const tests = runTests(run.checks);
    parts.push(
      run.checks.length === 1
        ? run.first
        : (ev) => {
            const v = extract(ev);
            if (v === undefined) return false;
            for (let i = 0; i < tests.length; i++) if (tests[i](v)) return true;
            return false;
          },
    );
    run = undefined;
  };
  for (const c of children) {
    const filter = compileCondition(c, warnings, regexes);
    const scalar = scalarCheck(c, regexes);
    if (scalar && run && run.checks[0].text === scalar.text) {
      run.checks.push(scalar);
      continue;
    }
    close();
    if (scalar) run = { checks: [scalar], first: filter };
    else parts.push(filter);
  }
  close();
  return parts;
}

function compileBinary(check: BinaryCheck, warnings: CompileWarning[], regexes: RegexCache): Filter {
  const left = compileOperand(check.left);
  const op = check.op === "==" ? "=" : check.op;
  const kind = left.list ? "list" : left.type;
  if (!ALLOWED[kind].has(op)) {
    const family = kind === "list" ? "list" : kind === "string" || kind === "ipnet" ? kind : "numeric";
    const hint = kind === "ipnet" ? ` (${left.text} compares against IP networks with =, != and in)` : "";
    throw new CompileError(`'${check.op}' operator not supported ${family === "list" ? "list filters" : `for ${family} filters`}${hint}`, check.pos);
  }
  const { right } = check;
  if (right.kind === "field" || right.kind === "transformer") {
    if (left.type === "ipnet") throw new CompileError(`${left.text} compares against constant IP networks only, not against another field`, right.pos);
    const rhs = compileOperand(right);
    if (rhs.type !== left.type || rhs.list !== left.list) {
      throw new CompileError(
        `field '${left.text}' has type '${left.type}${left.list ? " (list)" : ""}' while the right-hand side field '${rhs.text}' has incompatible type '${rhs.type}${rhs.list ? " (list)" : ""}'`,
        right.pos,
      );
    }
    return fieldToField(left, op, rhs);
  }
  const raw = right.kind === "list" ? right.values : [right.value];
  for (const v of raw) {
    if (v.includes("\0")) throw new CompileError("values cannot contain NUL bytes", right.pos);
    if (isKnownField(v.replace(/\[.*$/, ""))) {
      warnings.push({ message: `'${v}' may be a valid field misused as a const string value`, offset: right.pos });
    }
  }
  if (left.type === "ipnet") return networkCheck(left, op, raw, right.pos);
  let values: FieldValue[];
  try {
    values = raw.map((v) => (left.type === "uint64" ? parseUint64(v) : left.type === "bool" ? parseBool(v) : v));
  } catch (e) {
    throw new CompileError((e as Error).message, right.pos);
  }
  try {
    return constantCheck(left, op, values, regexes);
  } catch (e) {
    if (e instanceof RegexSyntaxError) throw new CompileError(`invalid regex pattern: ${e.message}`, right.pos);
    if (e instanceof LimitError) throw new LimitError(e.message, right.pos);
    throw e;
  }
}

/** An `ipnet` field against networks: `=`/`in`/`intersects` when inside one of them, `!=` when inside none. */
function networkCheck(left: Operand, op: string, raw: readonly string[], pos: number): Filter {
  const networks: IpNetwork[] = [];
  for (const v of raw) {
    const n = parseIpNetwork(v);
    if ("error" in n) throw new CompileError(n.error, pos);
    networks.push(n);
  }
  const inside = networkMatcher(networks);
  const get = left.extract;
  if (op === "!=") {
    return (ev) => {
      const v = get(ev);
      return v !== undefined && !inside(v as string);
    };
  }
  return (ev) => {
    const v = get(ev);
    return v !== undefined && inside(v as string);
  };
}

/** A check of a field against constants, specialised per operator for speed. */
function constantCheck(left: Operand, op: string, values: FieldValue[], regexes: RegexCache): Filter {
  const get = left.extract;
  if (left.list) {
    const set = new Set(values);
    if (op === "in") {
      return (ev) => {
        const v = get(ev) as string[] | undefined;
        if (v === undefined) return false;
        for (const s of v) if (!set.has(s)) return false;
        return true;
      };
    }
    return (ev) => {
      const v = get(ev) as string[] | undefined;
      if (v === undefined) return false;
      for (const s of v) if (set.has(s)) return true;
      return false;
    };
  }
  if (op === "in" || op === "intersects") {
    if (values.length === 1) {
      const only = values[0];
      return (ev) => get(ev) === only;
    }
    const set = new Set(values);
    return (ev) => {
      const v = get(ev);
      return v !== undefined && set.has(v);
    };
  }
  if (op === "pmatch") {
    const match = pmatchMatcher(values as string[]);
    return (ev) => {
      const v = get(ev);
      return v !== undefined && match(v as string);
    };
  }
  const c = values[0];
  const test = scalarTest(op, c, left.type, (pattern) => regexes.matcher(pattern));
  return (ev) => {
    const v = get(ev);
    return v !== undefined && test(v);
  };
}

/** The comparison of one extracted value against one constant. */
function scalarTest(op: string, c: FieldValue, type: string, regex: (pattern: string) => (value: string) => boolean = regexMatcher): (v: FieldValue) => boolean {
  switch (op) {
    case "=":
      return (v) => v === c;
    case "!=":
      return (v) => v !== c;
    case "<":
      return (v) => (v as string | bigint) < (c as string | bigint);
    case "<=":
      return (v) => (v as string | bigint) <= (c as string | bigint);
    case ">":
      return (v) => (v as string | bigint) > (c as string | bigint);
    case ">=":
      return (v) => (v as string | bigint) >= (c as string | bigint);
    case "contains": {
      const s = c as string;
      return (v) => (v as string).includes(s);
    }
    case "icontains": {
      const s = asciiLower(c as string);
      return (v) => asciiLower(v as string).includes(s);
    }
    case "startswith": {
      const s = c as string;
      return (v) => (v as string).startsWith(s);
    }
    case "endswith": {
      const s = c as string;
      return (v) => (v as string).endsWith(s);
    }
    case "glob":
    case "iglob": {
      const m = globMatcher(c as string, op === "iglob");
      return (v) => m(v as string);
    }
    case "regex": {
      const m = regex(c as string);
      return (v) => m(v as string);
    }
    default:
      throw new CompileError(`'${op}' operator not supported for ${type} filters`, 0);
  }
}

/** A check whose right-hand side is another field (`val(...)` or a transformer). */
function fieldToField(left: Operand, op: string, right: Operand): Filter {
  const lastPattern = { key: undefined as string | undefined, test: (_: FieldValue) => false };
  const dynamic = (pattern: string): ((v: FieldValue) => boolean) => {
    if (lastPattern.key !== pattern) {
      try {
        lastPattern.test = pattern.length > MAX_DYNAMIC_PATTERN ? () => false : scalarTest(op, pattern, left.type);
      } catch {
        lastPattern.test = () => false;
      }
      lastPattern.key = pattern;
    }
    return lastPattern.test;
  };
  return (ev) => {
    const l = left.extract(ev);
    if (l === undefined) return false;
    const r = right.extract(ev);
    if (r === undefined) return false;
    // The commonest comparisons of two fields, without making a test for the value at hand.
    if (op === "=") return l === r;
    if (op === "!=") return l !== r;
    const rs: FieldValue[] = Array.isArray(r) ? r : [r];
    if (op === "in" || op === "intersects") {
      const ls: FieldValue[] = Array.isArray(l) ? l : [l];
      return op === "in" && left.list ? ls.every((x) => rs.includes(x)) : ls.some((x) => rs.includes(x));
    }
    if (op === "pmatch") return pmatchMatcher(rs as string[])(l as string);
    if (op === "glob" || op === "iglob" || op === "regex") return dynamic(r as string)(l);
    return scalarTest(op, r, left.type)(l);
  };
}
