import type { Expr } from "./ast";

/**
 * Replaces macro references with the macros' trees, as Falco's filter_macro_resolver: a macro
 * behaves as if parenthesised. A macro met again while expanding itself is a loop.
 *
 * Expanded trees share the trees of the macros they use instead of copying them, so a macro that
 * uses another one twice costs one node, not a copy: a file of macros that double each other
 * (`eN: eN-1 and eN-1`) stays small in memory. What it would cost to evaluate (its size once
 * expanded) is measured on the shared tree and bounded by the loader (see budget.ts).
 */
export interface MacroResolution {
  expr: Expr;
  /** Names of the macros expanded. */
  resolved: string[];
  /** The first problem: a loop, nesting too deep (`limit`), else an unknown identifier. */
  error?: { message: string; pos: number; limit?: boolean };
}

/** Nesting of and/or/not a condition may reach once its macros are expanded. */
export const MAX_EXPANDED_DEPTH = 1000;

/** Trees that hold no macro reference (expanded macros): expanding them again gives them back. */
const closed = new WeakSet<Expr>();

/** Shapes of expanded macros, measured once however often they are used. */
const shapes = new WeakMap<Expr, Shape>();

interface Shape {
  size: number;
  depth: number;
}

/**
 * How many nodes a tree has once every shared subtree is counted as often as it is used, and how
 * deep it nests: what evaluating it costs. Sizes saturate at Number.MAX_SAFE_INTEGER; a tree
 * deeper than the limit is measured only that far (enough to refuse it).
 */
export function treeShape(expr: Expr): Shape {
  return measure(expr, 0);
}

function measure(e: Expr, level: number): Shape {
  const known = shapes.get(e);
  if (known) return known;
  if (level > MAX_EXPANDED_DEPTH) return { size: 1, depth: 1 };
  let size = 1;
  let depth = 0;
  if (e.kind === "and" || e.kind === "or") {
    for (const c of e.children) {
      const s = measure(c, level + 1);
      size = Math.min(Number.MAX_SAFE_INTEGER, size + s.size);
      if (s.depth > depth) depth = s.depth;
    }
  } else if (e.kind === "not") {
    const s = measure(e.child, level + 1);
    size += s.size;
    depth = s.depth;
  }
  const shape = { size, depth: depth + 1 };
  if (closed.has(e)) shapes.set(e, shape);
  return shape;
}

export function resolveMacros(expr: Expr, macro: (name: string) => Expr | undefined): MacroResolution {
  const resolved: string[] = [];
  const errors: { message: string; pos: number; limit?: boolean }[] = [];
  const unknown: { name: string; pos: number }[] = [];
  const expanding = new Set<string>();
  /** Per call: a subtree met twice (a macro used twice) is expanded once and shared. */
  const done = new Map<Expr, Expr>();

  const tooDeep = (pos: number) => {
    errors.push({ message: `condition nests more than ${MAX_EXPANDED_DEPTH} levels deep once its macros are expanded; flatten the macros`, pos, limit: true });
  };

  const visit = (e: Expr, depth: number): Expr => {
    if (closed.has(e)) {
      if (depth + treeShape(e).depth > MAX_EXPANDED_DEPTH) tooDeep(e.pos);
      return e;
    }
    const seen = done.get(e);
    if (seen) return seen;
    if (depth >= MAX_EXPANDED_DEPTH) {
      tooDeep(e.pos);
      return e;
    }
    let out: Expr;
    switch (e.kind) {
      case "and":
      case "or": {
        const children = e.children.map((c) => visit(c, depth + 1));
        out = children.every((c, i) => c === e.children[i]) ? e : { ...e, children };
        break;
      }
      case "not": {
        const child = visit(e.child, depth + 1);
        out = child === e.child ? e : { ...e, child };
        break;
      }
      case "macro": {
        const body = macro(e.name);
        if (!body) {
          unknown.push({ name: e.name, pos: e.pos });
          return e;
        }
        if (expanding.has(e.name)) {
          errors.push({ message: `reference loop in macro '${e.name}'`, pos: e.pos });
          unknown.push({ name: e.name, pos: e.pos });
          return e;
        }
        expanding.add(e.name);
        out = visit(body, depth);
        resolved.push(e.name);
        expanding.delete(e.name);
        break;
      }
      default:
        out = e;
    }
    done.set(e, out);
    return out;
  };

  const result = visit(expr, 0);
  const error = errors[0] ?? (unknown[0] && { message: `Undefined macro '${unknown[0].name}' used in filter.`, pos: unknown[0].pos });
  // Only the root is ever met again (as a macro's body), so only the root is marked.
  if (!error) closed.add(result);
  return { expr: result, resolved, ...(error ? { error } : {}) };
}
