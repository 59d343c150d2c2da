/** Syntax tree of a Falco condition. Positions are 0-based offsets into the parsed text. */

export type Expr = AndExpr | OrExpr | NotExpr | MacroRef | UnaryCheck | BinaryCheck;

export interface AndExpr {
  kind: "and";
  children: Expr[];
  pos: number;
}

export interface OrExpr {
  kind: "or";
  children: Expr[];
  pos: number;
}

export interface NotExpr {
  kind: "not";
  child: Expr;
  pos: number;
}

/** A bare identifier standing for a whole check: a macro reference. */
export interface MacroRef {
  kind: "macro";
  name: string;
  pos: number;
}

export interface UnaryCheck {
  kind: "unary";
  left: FieldOperand;
  op: "exists";
  pos: number;
}

export interface BinaryCheck {
  kind: "binary";
  left: FieldOperand;
  op: string;
  right: ValueOperand | ListOperand | FieldOperand;
  pos: number;
}

/** A field, optionally with an argument: `ct.name`, `json.value[/a/b]`, `ec2.imageids[1]`. */
export interface FieldRef {
  kind: "field";
  name: string;
  arg?: string;
  pos: number;
}

/** `tolower(x)`, `toupper(x)`, `b64(x)`, `basename(x)`, `len(x)`, or `val(field)` on the right-hand side. */
export interface Transformer {
  kind: "transformer";
  name: TransformerName;
  operand: FieldOperand;
  pos: number;
}

export type TransformerName = "tolower" | "toupper" | "b64" | "basename" | "len" | "val";
export type FieldOperand = FieldRef | Transformer;

export interface ValueOperand {
  kind: "value";
  value: string;
  pos: number;
}

export interface ListOperand {
  kind: "list";
  values: string[];
  pos: number;
}

/** The canonical text of a field operand, as Falco prints it in output field keys. */
export function operandText(op: FieldOperand): string {
  if (op.kind === "field") return op.arg === undefined ? op.name : `${op.name}[${op.arg}]`;
  return `${op.name}(${operandText(op.operand)})`;
}

/** Calls `visit` on every node of the tree, parents first. */
export function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case "and":
    case "or":
      for (const c of expr.children) walk(c, visit);
      break;
    case "not":
      walk(expr.child, visit);
      break;
    default:
      break;
  }
}
