import { conditionTooLong, LimitError, RULES_LIMITS } from "./budget";
import type { ListInfo } from "./infos";

/**
 * Lists are expanded as text, before a condition is parsed (falco rule_loader_compiler.cpp
 * resolve_list): every occurrence of the list's name bounded by the start or end of the text, a
 * blank, `(`, `)`, `,` or `=` is replaced by its comma-separated items. It is textual, so it also
 * happens inside quoted strings, and an unknown list name simply stays a literal.
 */

const BLANKS = " \t\n\r";
const DELIMS = BLANKS + "(),=";

/** An item with a space that does not start with a quote is wrapped in double quotes. */
export function quoteItem(item: string): string {
  return item.includes(" ") && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

/** Substitutes one list into a condition; returns the new text, or undefined when the list is not used. */
export function substituteList(cond: string, name: string, items: readonly string[]): string | undefined {
  if (name.length === 0) return undefined;
  let used = false;
  let start = cond.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    const before = start === 0 || DELIMS.includes(cond[start - 1]);
    const after = end >= cond.length || DELIMS.includes(cond[end]);
    if (before && after) {
      while (start > 0 && BLANKS.includes(cond[start - 1])) start--;
      while (end < cond.length && BLANKS.includes(cond[end])) end++;
      const sub = items.map(quoteItem).join(", ");
      // Check before writing: a large list named many times would otherwise be copied each time.
      if (cond.length + sub.length + 2 > RULES_LIMITS.conditionChars) throw conditionTooLong(cond.length + sub.length + 2);
      if (sub === "") {
        if (start > 0 && cond[start - 1] === ",") start--;
        else if (end < cond.length && cond[end] === ",") end++;
      }
      cond = (start > 0 ? cond.slice(0, start) + " " : "") + sub + " " + cond.slice(end);
      start += sub.length + 1;
      used = true;
    }
    start = cond.indexOf(name, start + 1);
  }
  return used ? cond : undefined;
}

/** A list that takes the lists past their limit; the loader reports it at the list. */
export class ListLimitError extends LimitError {
  constructor(
    readonly list: ListInfo,
    message: string,
  ) {
    super(message);
  }
}

export interface CompiledList {
  name: string;
  items: string[];
  used: boolean;
  info: ListInfo;
}

/**
 * Expands lists that name other lists: an item equal to the name of a list first defined before
 * this list's latest definition is replaced by that list's raw items (one level).
 */
export function compileLists(infos: ReadonlyMap<string, ListInfo>): Map<string, CompiledList> {
  const out = new Map<string, CompiledList>();
  const referenced = new Set<string>();
  let total = 0;
  for (const list of infos.values()) {
    const items: string[] = [];
    for (const item of list.items) {
      const ref = infos.get(item);
      const added = ref && ref.index < list.visibility ? ref.items.length : 1;
      // A list naming a large list many times multiplies it: count before copying.
      total += added;
      if (total > RULES_LIMITS.listItems) {
        throw new ListLimitError(
          list,
          `lists too large: more than ${RULES_LIMITS.listItems} items in all once the lists they name are expanded (this list names large lists, or a large list many times); shorten the lists`,
        );
      }
      if (ref && ref.index < list.visibility) {
        referenced.add(ref.name);
        for (const x of ref.items) items.push(x);
      } else {
        items.push(item);
      }
    }
    out.set(list.name, { name: list.name, items, used: false, info: list });
  }
  for (const name of referenced) (out.get(name) as CompiledList).used = true;
  return out;
}

/** Applies every list, in order of first definition, to a condition's text. */
export function expandLists(cond: string, lists: Map<string, CompiledList>): string {
  for (const list of lists.values()) {
    const next = substituteList(cond, list.name, list.items);
    if (next !== undefined) {
      cond = next;
      list.used = true;
    }
  }
  return cond;
}
