import type { Expr, FieldOperand } from "./ast";

/**
 * The event names a condition can match, or undefined when it could match any. This is how rules
 * are indexed, as Falco indexes syscall rules by event type: a rule whose condition requires
 * `ct.name = PutBucketPolicy` is never evaluated on a GetObject.
 */
export function requiredEventNames(expr: Expr): Set<string> | undefined {
  return requiredValues(expr, (op) => isRecordString(op, "ct.name", "eventName"));
}

/**
 * The event sources a condition can match (`ct.src = s3.amazonaws.com`), or undefined when it could
 * match any: the second index, for rules that watch one service whatever the call.
 */
export function requiredEventSources(expr: Expr): Set<string> | undefined {
  return requiredValues(expr, (op) => isRecordString(op, "ct.src", "eventSource"));
}

/** The values a condition requires of a field (`=` or `in` constants), through `and` and `or`. */
function requiredValues(expr: Expr, isField: (op: FieldOperand) => boolean): Set<string> | undefined {
  switch (expr.kind) {
    case "and": {
      let result: Set<string> | undefined;
      for (const c of expr.children) {
        const values = requiredValues(c, isField);
        if (!values) continue;
        result = result ? new Set([...result].filter((n) => values.has(n))) : values;
      }
      return result;
    }
    case "or": {
      const union = new Set<string>();
      for (const c of expr.children) {
        const values = requiredValues(c, isField);
        if (!values) return undefined;
        for (const n of values) union.add(n);
      }
      return union;
    }
    case "binary": {
      if (!isField(expr.left)) return undefined;
      if ((expr.op === "=" || expr.op === "==") && expr.right.kind === "value") return new Set([expr.right.value]);
      if ((expr.op === "in" || expr.op === "intersects") && expr.right.kind === "list") return new Set(expr.right.values);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The field, or `json.value`/`jevt.value` pointing at the record's member: the record's string value. */
function isRecordString(op: FieldOperand, field: string, member: string): boolean {
  if (op.kind !== "field") return false;
  if (op.name === field) return op.arg === undefined;
  return (op.name === "json.value" || op.name === "jevt.value") && (op.arg === `/${member}` || op.arg === member);
}
