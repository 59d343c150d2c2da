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
  globs: Map<string, GlobEntry>;
  /** The same glob entries as a list, to go through without allocating. */
  globList: GlobEntry[];
}

type GlobEntry = Entry & { match: (s: string) => boolean };

/** A leaf ends a pattern (a prefix that matches); otherwise the entry has a subtree. */
interface Entry {
  subtree?: Node;
  leaf: boolean;
}

function split(path: string): string[] {
  // Most values (addresses, names) have no `/`: one component, or none.
  if (!path.includes("/")) return path.length > 0 ? ["root", path] : ["root"];
  return ["root", ...path.split("/").filter((c) => c.length > 0)];
}

function newNode(): Node {
  return { dirs: new Map(), globs: new Map(), globList: [] };
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
      if (isGlob) {
        const glob = { ...entry, match: globMatcher(comp, false) };
        node.globs.set(comp, glob);
        node.globList.push(glob);
      } else node.dirs.set(comp, entry);
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

/**
 * Searches the tree depth first with its own stack: the value's depth never reaches the call stack.
 * The stack is kept between searches (one runs at a time), so a search allocates nothing.
 */
const stackNodes: Node[] = [];
const stackNext: number[] = [];

function matches(root: Node, comps: string[]): boolean {
  stackNodes[0] = root;
  stackNext[0] = 0;
  let top = 1;
  while (top > 0) {
    top--;
    const node = stackNodes[top];
    const i = stackNext[top];
    const comp = comps[i];
    // Any entry that accepts the value decides; the order entries are tried in changes nothing else.
    const direct = node.dirs.get(comp);
    const globs = node.globList;
    for (let k = -1; k < globs.length; k++) {
      const entry = k < 0 ? direct : globs[k].match(comp) ? globs[k] : undefined;
      if (entry === undefined) continue;
      const r = settle(entry, comps, i + 1);
      if (r === true) return true;
      if (r !== false) {
        stackNodes[top] = r;
        stackNext[top] = i + 1;
        top++;
      }
    }
  }
  return false;
}

export function pmatchMatcher(patterns: readonly string[]): (value: string) => boolean {
  const root = newNode();
  for (const p of patterns) add(root, split(p));
  return (value) => matches(root, split(value));
}
