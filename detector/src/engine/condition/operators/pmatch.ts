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

function add(root: Node, comps: string[]): void {
  let node = root;
  for (let i = 0; i < comps.length; i++) {
    const comp = comps[i];
    const isGlob = /[?*[]/.test(comp);
    const table = isGlob ? node.globs : node.dirs;
    const last = i === comps.length - 1;
    const existing = table.get(comp);
    if (!existing) {
      const entry: Entry = { leaf: last, ...(last ? {} : { subtree: newNode() }) };
      if (isGlob) node.globs.set(comp, { ...entry, match: globMatcher(comp, false) });
      else node.dirs.set(comp, entry);
      if (last) return;
      node = (table.get(comp) as Entry).subtree as Node;
      continue;
    }
    if (last) {
      // This pattern is a prefix of longer ones already added: it replaces them.
      existing.subtree = undefined;
      existing.leaf = true;
      return;
    }
    // A shorter pattern already covers this one.
    if (!existing.subtree) return;
    node = existing.subtree;
  }
}

/** Whether the entry reached by component `next - 1` accepts the value, or where to look next. */
function settle(entry: Entry, comps: string[], next: number): boolean | Node {
  if (next === comps.length) return entry.subtree === undefined && entry.leaf;
  if (entry.subtree === undefined) return entry.leaf;
  return entry.subtree;
}

/** Searches the tree depth first with its own stack: the value's depth never reaches the call stack. */
function matches(root: Node, comps: string[]): boolean {
  const stack: { node: Node; i: number }[] = [{ node: root, i: 0 }];
  while (stack.length) {
    const { node, i } = stack.pop() as { node: Node; i: number };
    const candidates: Entry[] = [];
    const direct = node.dirs.get(comps[i]);
    if (direct) candidates.push(direct);
    for (const [, g] of node.globs) if (g.match(comps[i])) candidates.push(g);
    // Pushed in reverse so the direct entry is tried first, as before.
    for (let k = candidates.length - 1; k >= 0; k--) {
      const r = settle(candidates[k], comps, i + 1);
      if (r === true) return true;
      if (r !== false) stack.push({ node: r, i: i + 1 });
    }
  }
  return false;
}

export function pmatchMatcher(patterns: readonly string[]): (value: string) => boolean {
  const root = newNode();
  for (const p of patterns) add(root, split(p));
  return (value) => matches(root, split(value));
}
