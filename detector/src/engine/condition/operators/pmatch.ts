import { globMatcher } from "./glob";

/**
 * `pmatch`: path-prefix search, as libsinsp's prefix_search. Paths are split on `/` (empty parts
 * dropped); a value matches when one pattern's components are a prefix of the value's. A pattern
 * component with `*`, `?` or `[` is a glob over one component. Adding `/a` makes `/a/b` redundant.
 */
interface Node {
  /** Literal components. */
  dirs: Map<string, Entry>;
  /** Glob components, with their matcher. */
  globs: Map<string, Entry & { match: (s: string) => boolean }>;
}

/** A leaf ends a pattern (a prefix that matches); otherwise the entry has a subtree. */
interface Entry {
  subtree?: Node;
  leaf: boolean;
}

function split(path: string): string[] {
  return ["root", ...path.split("/").filter((c) => c.length > 0)];
}

function newNode(): Node {
  return { dirs: new Map(), globs: new Map() };
}

function add(node: Node, comps: string[], i: number): void {
  const comp = comps[i];
  const isGlob = /[?*[]/.test(comp);
  const table = isGlob ? node.globs : node.dirs;
  const last = i === comps.length - 1;
  const existing = table.get(comp);
  if (!existing) {
    const entry: Entry = { leaf: last };
    if (!last) {
      entry.subtree = newNode();
      add(entry.subtree, comps, i + 1);
    }
    if (isGlob) node.globs.set(comp, { ...entry, match: globMatcher(comp, false) });
    else node.dirs.set(comp, entry);
    return;
  }
  if (last) {
    // This pattern is a prefix of longer ones already added: it replaces them.
    existing.subtree = undefined;
    existing.leaf = true;
  } else if (existing.subtree) {
    add(existing.subtree, comps, i + 1);
  }
  // else: a shorter pattern already covers this one.
}

function matchAt(node: Node, comps: string[], i: number): boolean {
  const direct = node.dirs.get(comps[i]);
  if (direct && check(direct, comps, i + 1)) return true;
  for (const [, g] of node.globs) {
    if (g.match(comps[i]) && check(g, comps, i + 1)) return true;
  }
  return false;
}

function check(entry: Entry, comps: string[], next: number): boolean {
  if (next === comps.length) return entry.subtree === undefined && entry.leaf;
  if (entry.subtree === undefined) return entry.leaf;
  return matchAt(entry.subtree, comps, next);
}

export function pmatchMatcher(patterns: readonly string[]): (value: string) => boolean {
  const root = newNode();
  for (const p of patterns) add(root, split(p), 0);
  return (value) => matchAt(root, split(value), 0);
}
