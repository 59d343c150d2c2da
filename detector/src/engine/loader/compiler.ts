import type { Expr } from "../condition/ast";
import { walk } from "../condition/ast";
import { compileCondition, CompileWarning, Filter } from "../condition/compile";
import { requiredEventNames } from "../condition/eventNames";
import { resolveMacros } from "../condition/macros";
import { CompileError } from "../condition/operand";
import { ConditionSyntaxError, parseCondition } from "../condition/parser";
import { compileOutput, OutputFormat } from "../output";
import type { Priority } from "../types";
import type { Collector } from "./collector";
import { conditionWithExceptions } from "./exceptions";
import type { RuleInfo } from "./infos";
import { CONTEXT_LISTS } from "../context";
import { CompiledList, compileLists, expandLists } from "./lists";
import { Context, Diagnostics, ERR, LoadFailure, WARN } from "./messages";

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
  output: OutputFormat;
  /** Order of first definition: evaluation order. */
  index: number;
  info: RuleInfo;
}

function conditionFailure(e: unknown, text: string, ctx: Context, what: "condition" | "output" = "condition"): LoadFailure {
  if (e instanceof ConditionSyntaxError || e instanceof CompileError) {
    return new LoadFailure(what === "output" ? ERR.COMPILE_OUTPUT : ERR.COMPILE_CONDITION, e.message, ctx, { what, text, offset: e.offset });
  }
  return e as LoadFailure;
}

function parseWithLists(cond: string, lists: Map<string, CompiledList>, ctx: Context): { expr: Expr; text: string } {
  const text = expandLists(cond, lists);
  try {
    return { expr: parseCondition(text), text };
  } catch (e) {
    throw conditionFailure(e, text, ctx);
  }
}

/**
 * Turns collected definitions into runnable rules (falco rule_loader_compiler.cpp): lists, then
 * every macro (parsed and resolved even if unused, so its errors are fatal), then every rule of a
 * known source, enabled or not.
 */
export function compileAll(col: Collector, diag: Diagnostics): CompiledRule[] {
  const lists = compileLists(col.lists);

  const macroAsts = new Map<string, Expr>();
  const macroTexts = new Map<string, string>();
  for (const m of col.macros.values()) {
    const { expr, text } = parseWithLists(m.cond, lists, m.condCtx);
    macroAsts.set(m.name, expr);
    macroTexts.set(m.name, text);
  }
  const usedMacros = new Set<string>();
  for (const m of col.macros.values()) {
    const visible = new Map<string, Expr>();
    for (const other of col.macros.values()) if (other.index < m.visibility) visible.set(other.name, macroAsts.get(other.name) as Expr);
    const r = resolveMacros(macroAsts.get(m.name) as Expr, visible);
    if (r.error) {
      throw new LoadFailure(ERR.VALIDATE, r.error.message, m.ctx, { what: "condition", text: macroTexts.get(m.name) as string, offset: r.error.pos });
    }
    r.resolved.forEach((n) => usedMacros.add(n));
    macroAsts.set(m.name, r.expr);
  }

  const compiled: CompiledRule[] = [];
  for (const r of col.rules.values()) {
    if (r.unknownSource) continue;
    const condition = r.exceptions.length ? conditionWithExceptions(r.cond, r.exceptions) : r.cond;

    let output: OutputFormat;
    try {
      output = compileOutput(r.output);
    } catch (e) {
      if (e instanceof CompileError && e.unknownField && r.skipIfUnknownFilter) {
        diag.warn(WARN.UNKNOWN_FILTER, e.message, r.outputCtx, { what: "output", text: r.output, offset: e.offset });
        continue;
      }
      throw conditionFailure(e, r.output, r.outputCtx, "output");
    }

    const { expr, text } = parseWithLists(condition, lists, r.condCtx);
    const resolved = resolveMacros(expr, macroAsts);
    if (resolved.error) {
      throw new LoadFailure(ERR.VALIDATE, resolved.error.message, r.ctx, { what: "condition", text, offset: resolved.error.pos });
    }
    resolved.resolved.forEach((n) => usedMacros.add(n));
    warnUnsafeNaChecks(resolved.expr, text, r.condCtx, diag);

    const warnings: CompileWarning[] = [];
    let filter: Filter;
    try {
      filter = compileCondition(resolved.expr, warnings);
    } catch (e) {
      if (e instanceof CompileError && e.unknownField && r.skipIfUnknownFilter) {
        diag.warn(WARN.UNKNOWN_FILTER, e.message, r.condCtx, { what: "condition", text, offset: e.offset });
        continue;
      }
      throw conditionFailure(e, text, r.condCtx);
    }
    for (const w of warnings) diag.warn(WARN.COMPILE_CONDITION, w.message, r.condCtx, { what: "condition", text, offset: w.offset });

    const eventNames = requiredEventNames(resolved.expr);
    compiled.push({
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
      output,
      index: r.index,
      info: r,
    });
  }

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
