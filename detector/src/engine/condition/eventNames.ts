import type { Expr, FieldOperand } from "./ast";

/**
 * The event names a condition can match, or undefined when it could match any. This is how rules
 * are indexed, as Falco indexes syscall rules by event type: a rule whose condition requires
 * `ct.name = PutBucketPolicy` is never evaluated on a GetObject.
 */
export function requiredEventNames(expr: Expr): Set<string> | undefined {
  switch (expr.kind) {
    case "and": {
      let result: Set<string> | undefined;
      for (const c of expr.children) {
        const names = requiredEventNames(c);
        if (!names) continue;
        result = result ? new Set([...result].filter((n) => names.has(n))) : names;
      }
      return result;
    }
    case "or": {
      const union = new Set<string>();
      for (const c of expr.children) {
        const names = requiredEventNames(c);
        if (!names) return undefined;
        for (const n of names) union.add(n);
      }
      return union;
    }
    case "binary": {
      if (!isEventName(expr.left)) return undefined;
      if ((expr.op === "=" || expr.op === "==") && expr.right.kind === "value") return new Set([expr.right.value]);
      if ((expr.op === "in" || expr.op === "intersects") && expr.right.kind === "list") return new Set(expr.right.values);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `ct.name`, or `json.value`/`jevt.value` pointing at `/eventName`: the record's string event name. */
function isEventName(op: FieldOperand): boolean {
  if (op.kind !== "field") return false;
  if (op.name === "ct.name") return op.arg === undefined;
  return (op.name === "json.value" || op.name === "jevt.value") && (op.arg === "/eventName" || op.arg === "eventName");
}
