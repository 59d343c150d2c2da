import { didYouMean } from "../../suggest";
import { parsePriority } from "../priority";
import type { Priority } from "../types";
import type { ExceptionEntry, ExceptionInfo } from "./infos";
import { Context, Diagnostics, ERR, LoadFailure, WARN } from "./messages";
import { asBool, asUnsigned, get, isNull, keys, YMap, YNode, YScalar } from "./yamlTree";

/**
 * Reading values of rules-file items as Falco's loader does (decode_val, decode_seq,
 * decode_overrides, read_rule_exceptions), with its messages.
 */

export const WARNING_APPEND = "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";
export const ERROR_OVERRIDE_APPEND =
  "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead.";

export function fail(message: string, ctx: Context, code: string = ERR.YAML_VALIDATE): never {
  throw new LoadFailure(code, message, ctx);
}

export function at(ctx: Context, node: YNode | undefined): Context {
  return node && node.offset >= 0 ? { ...ctx, offset: node.offset } : ctx;
}

export function scalarOf(item: YNode, key: string, ctx: Context, optional: boolean, canBeEmpty = false): YScalar | undefined {
  const val = get(item, key);
  if (val === undefined) {
    if (optional) return undefined;
    fail(`Item has no mapping for key '${key}'${misspeltAs(item, key)}`, ctx);
  }
  if (isNull(val) && canBeEmpty) return undefined;
  if (isNull(val)) fail(`Mapping for key '${key}' is empty`, ctx);
  if (val.kind !== "scalar") fail("Value is not a scalar value", at(ctx, val));
  if (val.value === "" && canBeEmpty) return undefined;
  if (val.value === "") fail("Value must be non-empty", at(ctx, val));
  return val;
}

export function str(item: YNode, key: string, ctx: Context): string {
  return (scalarOf(item, key, ctx, false) as YScalar).value;
}

export function optStr(item: YNode, key: string, ctx: Context, canBeEmpty = false): string | undefined {
  return scalarOf(item, key, ctx, true, canBeEmpty)?.value;
}

export function bool(item: YNode, key: string, ctx: Context, optional: boolean): boolean | undefined {
  const s = scalarOf(item, key, ctx, optional);
  if (s === undefined) return undefined;
  const b = asBool(s);
  if (b === undefined) fail("Can't decode YAML scalar value", at(ctx, s));
  return b;
}

export function unsigned(item: YNode, key: string, ctx: Context): number | undefined {
  const s = scalarOf(item, key, ctx, true);
  if (s === undefined) return undefined;
  const n = asUnsigned(s);
  if (n === undefined) fail("Can't decode YAML scalar value", at(ctx, s));
  return n;
}

/** A sequence of scalars (`items`, `tags`); absent is allowed when optional. */
export function scalarSeq(item: YNode, key: string, ctx: Context, optional: boolean): string[] | undefined {
  const val = get(item, key);
  if (val === undefined) {
    if (optional) return undefined;
    fail(`Item has no mapping for key '${key}'`, ctx);
  }
  const vctx = at(ctx, val);
  if (val.kind !== "seq") fail("Value is not a sequence", vctx);
  return val.items.map((v) => {
    if (v.kind !== "scalar") fail("sequence value is not scalar", at(vctx, v));
    return v.value;
  });
}

export function parsePriorityOrFail(item: YNode, ctx: Context): Priority {
  const text = str(item, "priority", ctx);
  const p = parsePriority(text);
  if (!p) fail(`Invalid priority '${text}'${didYouMean(text, PRIORITY_WORDS)}; priorities are ${PRIORITY_WORDS.join(", ")}`, at(ctx, get(item, "priority")));
  return p;
}

export function readOverrides(item: YNode, appendable: readonly string[], replaceable: readonly string[], ctx: Context): { append: Set<string>; replace: Set<string> } {
  const append = new Set<string>();
  const replace = new Set<string>();
  const val = get(item, "override");
  if (val === undefined) return { append, replace };
  if (val.kind !== "map") fail("Value of 'override' must be a mapping", at(ctx, val));
  for (const { key, value } of val.entries) {
    const k = key.kind === "scalar" ? key.value : "";
    const op = value.kind === "scalar" ? value.value : "";
    const canAppend = appendable.includes(k);
    const canReplace = replaceable.includes(k);
    if (op === "append") {
      if (!canAppend) fail(`Key '${k}' cannot be appended to, use 'replace' instead`, at(ctx, key));
      append.add(k);
    } else if (op === "replace") {
      if (!canReplace) fail(`Key '${k}' cannot be replaced`, at(ctx, key));
      replace.add(k);
    } else {
      const allowed = `${canAppend ? "append " : ""}${canReplace ? "replace " : ""}`;
      const meant = didYouMean(op, [...(canAppend ? ["append"] : []), ...(canReplace ? ["replace"] : [])]);
      fail(`Invalid override operation for key '${k}': '${op}'${meant}. Allowed values are: ${allowed}`, at(ctx, value));
    }
  }
  return { append, replace };
}

export function exceptionEntry(node: YNode | undefined, key: string | undefined, ctx: Context, optional: boolean): ExceptionEntry | undefined {
  if (node === undefined) {
    if (optional) return undefined;
    fail(`Item has no mapping for key '${key}'`, ctx);
  }
  const vctx = at(ctx, node);
  if (node.kind === "scalar") {
    if (node.value === "") fail("Value must be non-empty", vctx);
    return { isList: false, item: node.value, items: [] };
  }
  if (node.kind === "seq") {
    return { isList: true, item: "", items: node.items.map((v) => exceptionEntry(v, undefined, vctx, false) as ExceptionEntry) };
  }
  // A mapping is neither a scalar nor a list: Falco leaves the entry empty.
  return { isList: false, item: "", items: [] };
}

export function readExceptions(item: YNode, ctx: Context, append: boolean, diag: Diagnostics): ExceptionInfo[] {
  const exs = get(item, "exceptions");
  if (exs === undefined || isNull(exs)) return [];
  const exsCtx = at(ctx, exs);
  if (exs.kind !== "seq") fail("Rule exceptions must be a sequence", exsCtx);
  const out: ExceptionInfo[] = [];
  for (const ex of exs.items) {
    const tmp = at(exsCtx, ex);
    if (ex.kind !== "map") fail("Rule exception must be a mapping", tmp);
    const name = str(ex, "name", tmp);
    const exCtx = at(ctx, ex);
    if (out.some((o) => o.name === name)) {
      diag.warn(WARN.EXCEPTION_NAME_NOT_UNIQUE, `Multiple definitions of exception '${name}' in the same rule`, exCtx);
    }
    const info: ExceptionInfo = {
      name,
      fields: exceptionEntry(get(ex, "fields"), "fields", exCtx, append),
      comps: exceptionEntry(get(ex, "comps"), "comps", exCtx, true),
      values: [],
      ctx: exCtx,
    };
    const vals = get(ex, "values");
    if (vals !== undefined) {
      const valsCtx = at(exCtx, vals);
      if (vals.kind !== "seq") fail("Rule exception values must be a sequence", valsCtx);
      for (const v of vals.items) info.values.push(exceptionEntry(v, undefined, at(valsCtx, v), false) as ExceptionEntry);
    } else if (append) {
      diag.warn(WARN.APPEND_NO_VALUES, "Overriding/appending exception with no values", exCtx);
    }
    out.push(info);
  }
  return out;
}

/**
 * Falco warns about an unknown key and goes on. A key one or two letters away from a known one is
 * almost surely a typo that changes what the rule does: the warning says which key and lists them.
 */
export function warnUnknownKeys(item: YMap, expected: ReadonlySet<string>, ctx: Context, diag: Diagnostics): void {
  for (const k of keys(item)) {
    if (expected.has(k)) continue;
    const hint = didYouMean(k, expected);
    const accepted = hint ? `${hint.replace(/^ \(|\)$/g, " ").replace(/^ d/, " D")}The keys of ${ctx.itemKind ?? "this item"}s are: ${[...expected].join(", ")}.` : "";
    diag.warn(WARN.UNKNOWN_KEY, `Unknown key '${k}'. The key will be ignored.${accepted}`, ctx);
  }
}

/** For a missing key, the key of the item that is probably it misspelt: ` ('condtion' is there: did you mean "condition"?)`. */
function misspeltAs(item: YNode, key: string): string {
  const near = item.kind === "map" ? keys(item).find((k) => k !== key && didYouMean(k, [key])) : undefined;
  return near === undefined ? "" : ` ('${near}' is there: did you mean "${key}"?)`;
}

/** Falco's priorities as rules write them. */
const PRIORITY_WORDS = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFORMATIONAL", "INFO", "DEBUG"];
