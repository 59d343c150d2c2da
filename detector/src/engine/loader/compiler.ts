import type { Expr } from "../condition/ast";
import { walk } from "../condition/ast";
import { compileCondition, CompileWarning, Filter, RegexCache, shareTreeResults } from "../condition/compile";
import { requiredEventNames, requiredEventSources } from "../condition/eventNames";
import { MAX_EXPANDED_DEPTH, resolveMacros, treeShape } from "../condition/macros";
import { CompileError } from "../condition/operand";
import { ConditionSyntaxError, parseCondition } from "../condition/parser";
import { compileOutput, OutputFormat } from "../output";
import type { Priority } from "../types";
import type { Collector } from "./collector";
import { conditionWithExceptions } from "./exceptions";
import type { MacroInfo, RuleInfo } from "./infos";
import { CONTEXT_LISTS } from "../context";
import { LimitError, RULES_LIMITS } from "./budget";
import { CompiledList, compileLists, expandLists, ListLimitError } from "./lists";
import { collecting, Context, Diagnostics, ERR, LoadFailure, WARN } from "./messages";

const CONTEXT_LIST_NAMES: ReadonlySet<string> = new Set(Object.values(CONTEXT_LISTS));

/** A rule ready to run. */
export interface CompiledRule {
  name: string;
  desc: string;
  priority: Priority;
  source: string;
  tags: string[];
  enabled: boolean;
  /** The effective condition text (with exceptions), before list expansion. */
  condition: string;
  /** The macro-resolved condition tree. */
  ast: Expr;
  filter: Filter;
  /** The event names the rule can match; undefined when any. */
  eventNames?: ReadonlySet<string>;
  /** The event sources the rule can match; undefined when any. */
  eventSources?: ReadonlySet<string>;
  output: OutputFormat;
  /** Order of first definition: evaluation order. */
  index: number;
  info: RuleInfo;
}

function conditionFailure(e: unknown, text: string, ctx: Context, what: "condition" | "output" = "condition"): LoadFailure {
  if (e instanceof LimitError) return new LoadFailure(ERR.LIMIT, e.message, ctx, { what, text, offset: e.offset });
  if (e instanceof ConditionSyntaxError || e instanceof CompileError) {
    return new LoadFailure(what === "output" ? ERR.COMPILE_OUTPUT : ERR.COMPILE_CONDITION, e.message, ctx, { what, text, offset: e.offset });
  }
  return e as LoadFailure;
}

function parseWithLists(cond: string, lists: Map<string, CompiledList>, ctx: Context): { expr: Expr; text: string } {
  let text = cond;
  try {
    text = expandLists(cond, lists);
    return { expr: parseCondition(text), text };
  } catch (e) {
    throw conditionFailure(e, text, ctx);
  }
}

/**
 * Refuses a macro-expanded condition that would cost too much to compile or evaluate: too many
 * checks once shared macros are counted as often as they are used, or nested too deep.
 */
function checkShape(expr: Expr, text: string, ctx: Context): number {
  const { size, depth } = treeShape(expr);
  const inText = { what: "condition" as const, text, offset: 0 };
  if (depth > MAX_EXPANDED_DEPTH) {
    throw new LoadFailure(ERR.LIMIT, `condition nests ${depth} levels deep once its macros are expanded, more than the ${MAX_EXPANDED_DEPTH} allowed; flatten the macros`, ctx, inText);
  }
  if (size > RULES_LIMITS.conditionChecks) {
    throw new LoadFailure(
      ERR.LIMIT,
      `condition too large: ${size} checks once its macros are expanded, more than the ${RULES_LIMITS.conditionChecks} allowed; ` +
        "each use of a macro copies it, so macros that use each other several times multiply (eN: eN-1 and eN-1 doubles at every step): use each macro once per condition",
      ctx,
      inText,
    );
  }
  return size;
}

const UNDEFINED_MACRO = /^Undefined macro '(.+)' used in filter\.$/;

/**
 * Turns collected definitions into runnable rules (falco rule_loader_compiler.cpp): lists, then
 * every macro (parsed and resolved even if unused, so its errors count), then every rule of a
 * known source, enabled or not. Each broken macro or rule adds its failure to `errors` and the
 * others are still compiled; a use of a broken macro is not reported again.
 */
export function compileAll(col: Collector, diag: Diagnostics, errors: LoadFailure[]): CompiledRule[] {
  let lists: Map<string, CompiledList>;
  try {
    lists = compileLists(col.lists);
  } catch (e) {
    if (e instanceof ListLimitError) throw new LoadFailure(ERR.LIMIT, e.message, e.list.ctx);
    throw e;
  }
  const regexes = new RegexCache(RULES_LIMITS.regexProgram);

  const macroAsts = new Map<string, Expr>();
  const macroTexts = new Map<string, string>();
  const brokenMacros = new Set<string>();
  for (const m of col.macros.values()) {
    const parsed = collecting(errors, () => parseWithLists(m.cond, lists, m.condCtx));
    if (!parsed) brokenMacros.add(m.name);
    else {
      macroAsts.set(m.name, parsed.expr);
      macroTexts.set(m.name, parsed.text);
    }
  }
  /** A failure caused by using a broken macro: that macro's own error already says what to fix. */
  const usesBrokenMacro = (message: string) => brokenMacros.has(UNDEFINED_MACRO.exec(message)?.[1] ?? "");
  const usedMacros = new Set<string>();
  for (const m of col.macros.values()) {
    if (brokenMacros.has(m.name)) continue;
    if (!collecting(errors, () => resolveMacro(m))) {
      brokenMacros.add(m.name);
      macroAsts.delete(m.name);
    }
  }
  /** False when the macro uses a broken one (reported already); throws on its own failure. */
  function resolveMacro(m: MacroInfo): boolean {
    // A macro sees the macros defined before its latest definition.
    const visible = (name: string) => {
      const other = col.macros.get(name);
      return other && other.index < m.visibility ? macroAsts.get(name) : undefined;
    };
    const text = macroTexts.get(m.name) as string;
    const r = resolveMacros(macroAsts.get(m.name) as Expr, visible);
    if (r.error && !r.error.limit && usesBrokenMacro(r.error.message)) return false;
    if (r.error) {
      throw new LoadFailure(r.error.limit ? ERR.LIMIT : ERR.VALIDATE, r.error.message, m.ctx, { what: "condition", text, offset: r.error.pos });
    }
    checkShape(r.expr, text, m.ctx);
    r.resolved.forEach((n) => usedMacros.add(n));
    macroAsts.set(m.name, r.expr);
    shareTreeResults(r.expr);
    return true;
  }

  let totalChecks = 0;

  const compiled: CompiledRule[] = [];
  for (const r of col.rules.values()) {
    if (r.unknownSource) continue;
    const rule = collecting(errors, () => compileRule(r));
    if (rule) compiled.push(rule);
  }
  function compileRule(r: RuleInfo): CompiledRule | undefined {
    let condition: string;
    try {
      condition = r.exceptions.length ? conditionWithExceptions(r.cond, r.exceptions) : r.cond;
    } catch (e) {
      if (e instanceof LimitError) throw new LoadFailure(ERR.LIMIT, e.message, r.ctx);
      throw e;
    }

    let output: OutputFormat;
    try {
      output = compileOutput(r.output);
    } catch (e) {
      if (e instanceof CompileError && e.unknownField && r.skipIfUnknownFilter) {
        diag.warn(WARN.UNKNOWN_FILTER, e.message, r.outputCtx, { what: "output", text: r.output, offset: e.offset });
        return undefined;
      }
      throw conditionFailure(e, r.output, r.outputCtx, "output");
    }

    const { expr, text } = parseWithLists(condition, lists, r.condCtx);
    const resolved = resolveMacros(expr, (name) => macroAsts.get(name));
    if (resolved.error && !resolved.error.limit && usesBrokenMacro(resolved.error.message)) return undefined;
    if (resolved.error) {
      throw new LoadFailure(resolved.error.limit ? ERR.LIMIT : ERR.VALIDATE, resolved.error.message, r.ctx, { what: "condition", text, offset: resolved.error.pos });
    }
    totalChecks += checkShape(resolved.expr, text, r.condCtx);
    if (totalChecks > RULES_LIMITS.totalChecks) {
      throw new LoadFailure(
        ERR.LIMIT,
        `rules too large: more than ${RULES_LIMITS.totalChecks} checks in all once macros are expanded (reached at this rule); use fewer or smaller rules per load`,
        r.ctx,
      );
    }
    resolved.resolved.forEach((n) => usedMacros.add(n));
    warnUnsafeNaChecks(resolved.expr, text, r.condCtx, diag);

    const warnings: CompileWarning[] = [];
    let filter: Filter;
    try {
      filter = compileCondition(resolved.expr, warnings, regexes);
    } catch (e) {
      if (e instanceof CompileError && e.unknownField && r.skipIfUnknownFilter) {
        diag.warn(WARN.UNKNOWN_FILTER, e.message, r.condCtx, { what: "condition", text, offset: e.offset });
        return undefined;
      }
      throw conditionFailure(e, text, r.condCtx);
    }
    for (const w of warnings) diag.warn(WARN.COMPILE_CONDITION, w.message, r.condCtx, { what: "condition", text, offset: w.offset });

    const eventNames = requiredEventNames(resolved.expr);
    const eventSources = requiredEventSources(resolved.expr);
    return {
      name: r.name,
      desc: r.desc,
      priority: r.priority,
      source: r.source,
      tags: [...r.tags].sort(),
      enabled: r.enabled,
      condition,
      ast: resolved.expr,
      filter,
      ...(eventNames ? { eventNames } : {}),
      ...(eventSources ? { eventSources } : {}),
      output,
      index: r.index,
      info: r,
    };
  }

  // Uses in broken items are unknown: "unused" would mislead until the errors are fixed.
  if (errors.length) return compiled;
  for (const m of col.macros.values()) {
    if (!usedMacros.has(m.name)) diag.warn(WARN.UNUSED_MACRO, "Macro not referred to by any other rule/macro", m.ctx);
  }
  for (const l of lists.values()) {
    // The engine reads the deployment's context lists itself (s3guard.* fields).
    if (!l.used && !CONTEXT_LIST_NAMES.has(l.name)) diag.warn(WARN.UNUSED_LIST, "List not referred to by any other rule/macro", l.info.ctx);
  }
  return compiled;
}

/** Comparing jevt.* with `<NA>` relied on the legacy engine's sentinel; it never matches here. */
function warnUnsafeNaChecks(expr: Expr, text: string, ctx: Context, diag: Diagnostics): void {
  let found = false;
  walk(expr, (e) => {
    if (e.kind !== "binary" || e.left.kind !== "field" || !/^(jevt|ka)\./.test(e.left.name)) return;
    if (!["=", "==", "!=", "in", "intersects", "pmatch"].includes(e.op)) return;
    const values = e.right.kind === "value" ? [e.right.value] : e.right.kind === "list" ? e.right.values : [];
    if (values.includes("<NA>")) found = true;
  });
  if (found) {
    diag.warn(
      WARN.UNSAFE_NA_CHECK,
      "Unsafe <NA> comparison in condition: a missing jevt.* value is missing, not the text <NA>, so this comparison never matches it",
      ctx,
      { what: "condition", text, offset: 0 },
    );
  }
}
