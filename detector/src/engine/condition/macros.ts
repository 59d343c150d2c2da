import type { Expr } from "./ast";

/**
 * Replaces macro references with (copies of) the macros' trees, as Falco's filter_macro_resolver:
 * a macro behaves as if parenthesised. A macro met again while expanding itself is a loop.
 */
export interface MacroResolution {
  expr: Expr;
  /** Names of the macros expanded. */
  resolved: string[];
  /** The first problem: a loop, else an unknown identifier. */
  error?: { message: string; pos: number };
}

export function resolveMacros(expr: Expr, macros: ReadonlyMap<string, Expr>): MacroResolution {
  const resolved: string[] = [];
  const errors: { message: string; pos: number }[] = [];
  const unknown: { name: string; pos: number }[] = [];
  const path: string[] = [];

  const visit = (e: Expr): Expr => {
    switch (e.kind) {
      case "and":
      case "or":
        return { ...e, children: e.children.map(visit) };
      case "not":
        return { ...e, child: visit(e.child) };
      case "macro": {
        const body = macros.get(e.name);
        if (!body) {
          unknown.push({ name: e.name, pos: e.pos });
          return e;
        }
        if (path.includes(e.name)) {
          errors.push({ message: `reference loop in macro '${e.name}'`, pos: e.pos });
          unknown.push({ name: e.name, pos: e.pos });
          return e;
        }
        path.push(e.name);
        const out = visit(body);
        resolved.push(e.name);
        path.pop();
        return out;
      }
      default:
        return e;
    }
  };

  const result = visit(expr);
  const error = errors[0] ?? (unknown[0] && { message: `Undefined macro '${unknown[0].name}' used in filter.`, pos: unknown[0].pos });
  return { expr: result, resolved, ...(error ? { error } : {}) };
}
