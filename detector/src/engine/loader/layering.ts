import type { Collector } from "./collector";
import type { ExceptionEntry } from "./infos";

/**
 * Whether the rules files are layered: each file only adds items, and uses no macro or list that
 * only a later file defines. Then the compilation Falco runs after each file is the last one's,
 * restricted to the items defined so far, with the same definitions: it cannot fail where the last
 * one succeeds, and one compilation at the end finds what all of them would.
 *
 * A use is any mention of the name in an item's text (condition, list items, exception values):
 * a name that only appears inside a string counts too, which costs nothing but the slower load.
 */
export function layered(col: Collector): boolean {
  if (col.changedAcrossFiles) return false;
  const names: { name: string; file: number }[] = [];
  for (const name of col.macros.keys()) names.push({ name, file: col.fileOf("macro", name) ?? 0 });
  for (const name of col.lists.keys()) names.push({ name, file: col.fileOf("list", name) ?? 0 });
  const items: { text: string; file: number }[] = [];
  for (const m of col.macros.values()) items.push({ text: m.cond, file: col.fileOf("macro", m.name) ?? 0 });
  for (const l of col.lists.values()) items.push({ text: l.items.join("\n"), file: col.fileOf("list", l.name) ?? 0 });
  for (const r of col.rules.values()) {
    const values: string[] = [];
    for (const ex of r.exceptions) for (const v of ex.values) entryTexts(v, values);
    items.push({ text: `${r.cond}\n${values.join("\n")}`, file: col.fileOf("rule", r.name) ?? 0 });
  }
  // Each item against the names of later files: bounded, so that a huge load does not pay more
  // here than the compilations it would save.
  let budget = MAX_COMPARISONS;
  for (const it of items) {
    for (const n of names) {
      if (n.file <= it.file) continue;
      if (--budget < 0 || it.text.includes(n.name)) return false;
    }
  }
  return true;
}

/** Comparisons of an item with a later name beyond which the load goes file by file. */
const MAX_COMPARISONS = 200_000;

function entryTexts(e: ExceptionEntry, out: string[]): void {
  if (!e.isList) out.push(e.item);
  for (const i of e.items) entryTexts(i, out);
}
