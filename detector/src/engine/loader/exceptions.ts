import { LIST_OPERATORS } from "../condition/parser";
import type { ExceptionInfo } from "./infos";
import { conditionTooLong, RULES_LIMITS } from "./budget";
import { quoteItem } from "./lists";
import { ERR, LoadFailure } from "./messages";

/**
 * Exceptions become condition text, exactly as Falco writes it (rule_loader_compiler.cpp
 * build_rule_exception_infos): `(<condition>) and not (( f1 c1 v1 and  f2 c2 v2) or (...))`,
 * or `and not (f c (v1, v2))` for the single-field form. The result is then parsed like any condition.
 */
export function conditionWithExceptions(condition: string, exceptions: readonly ExceptionInfo[]): string {
  let out = `(${condition})`;
  for (const ex of exceptions) {
    const fields = ex.fields;
    const comps = ex.comps;
    if (!fields || !comps) continue;
    let icond = "";
    if (!fields.isList) {
      for (const val of ex.values) {
        if (val.isList) throw new LoadFailure(ERR.VALIDATE, "Expected values array to contain a list of strings", ex.ctx);
        icond += icond === "" ? `(${fields.item} ${comps.item} (` : ", ";
        icond += quoteItem(val.item);
        if (out.length + icond.length > RULES_LIMITS.conditionChars) throw conditionTooLong(out.length + icond.length);
      }
      icond += icond === "" ? "" : "))";
    } else {
      icond = "(";
      for (const values of ex.values) {
        if (fields.items.length !== values.items.length) {
          throw new LoadFailure(ERR.VALIDATE, "Fields and values lists must have equal length", ex.ctx);
        }
        icond += icond === "(" ? "" : " or ";
        icond += "(";
        fields.items.forEach((field, k) => {
          icond += k === 0 ? "" : " and ";
          const value = values.items[k];
          let istr: string;
          if (value.isList) {
            if (out.length + icond.length + value.items.length * 2 > RULES_LIMITS.conditionChars) throw conditionTooLong(out.length + icond.length + value.items.length * 2);
            istr = `(${value.items.map((v) => quoteItem(v.item)).join(", ")})`;
          } else if (LIST_OPERATORS.includes(comps.items[k].item)) {
            istr = value.item[0] === "(" ? value.item : `(${value.item})`;
          } else {
            istr = quoteItem(value.item);
          }
          icond += ` ${field.item} ${comps.items[k].item} ${istr}`;
        });
        icond += ")";
        if (out.length + icond.length > RULES_LIMITS.conditionChars) throw conditionTooLong(out.length + icond.length);
      }
      icond += ")";
      if (icond === "()") icond = "";
    }
    if (icond !== "") out += ` and not ${icond}`;
    if (out.length > RULES_LIMITS.conditionChars) throw conditionTooLong(out.length);
  }
  return out;
}
