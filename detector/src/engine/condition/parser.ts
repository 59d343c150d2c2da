import type { Expr, FieldOperand, FieldRef, ListOperand, TransformerName, ValueOperand, BinaryCheck } from "./ast";
import { unescapeQuoted } from "./escaping";

/**
 * Parser for Falco's condition language (the grammar of falcosecurity/libs filter/parser.cpp,
 * as released with Falco 0.38-0.43). Tokens are matched at the cursor, longest match first;
 * blanks are space, tab, backspace, CR and LF.
 */

/** A syntax error, with the offset in the condition where the parser stopped. */
export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const RGX_NOT_BLANK = /not[ \t\n\v\f\r]+/y;
// Falco writes these `[a-zA-Z]+[a-zA-Z0-9_]*`: the same names, written so that no input can make
// the match backtrack (a long identifier without a dot is refused in one pass).
const RGX_IDENTIFIER = /[a-zA-Z][a-zA-Z0-9_]*/y;
const RGX_FIELD_NAME = /[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)+/y;
const RGX_FIELD_ARG_BARE = /[^\][\"' \t\n\v\f\r]+/y;
const RGX_HEX_NUM = /0[xX][0-9a-fA-F]+/y;
const RGX_NUMBER = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
const RGX_BARE_STR = /[^()"' \t\n\v\f\r=,]+/y;

const UNARY_OPS = ["exists"];
const NUM_OPS = ["<=", "<", ">=", ">"];
/** A trailing space marks operators that must be followed by a blank. */
const STR_OPS = ["==", "=", "!=", "glob ", "iglob ", "contains ", "icontains ", "bcontains ", "startswith ", "bstartswith ", "endswith ", "regex "];
const LIST_OPS = ["intersects", "in", "pmatch"];
const TRANSFORMERS = ["tolower(", "toupper(", "b64(", "basename(", "len("];

/** Every comparison operator the language has, for validating exception `comps`. */
export const OPERATORS: readonly string[] = [...UNARY_OPS, ...NUM_OPS, ...STR_OPS.map((o) => o.trim()), ...LIST_OPS];
/** Operators whose right-hand side is a list. */
export const LIST_OPERATORS: readonly string[] = LIST_OPS;

/** Falco allows 1000 levels of nesting in rule conditions. */
const DEFAULT_MAX_DEPTH = 1000;

export function parseCondition(text: string, maxDepth = DEFAULT_MAX_DEPTH): Expr {
  return new Parser(text, maxDepth).parse();
}

/**
 * Parses a field or transformer at the start of `text`, without requiring the whole text to be
 * consumed (how output format tokens are read). Returns the operand and the length consumed.
 */
export function parseFieldPrefix(text: string): { operand: FieldOperand; length: number } {
  const p = new Parser(text, DEFAULT_MAX_DEPTH);
  const operand = p.parseFieldOrTransformer();
  return { operand, length: p.offset };
}

class Parser {
  private i = 0;
  private depth = 0;
  private lastToken = "";

  constructor(
    private readonly src: string,
    private readonly maxDepth: number,
  ) {}

  get offset(): number {
    return this.i;
  }

  parse(): Expr {
    if (this.src.length === 0) throw this.error("filter input string is empty");
    const expr = this.parseOr();
    if (this.i !== this.src.length) {
      throw this.error(`unexpected token after '${this.lastToken}', expecting 'or', 'and'`);
    }
    return expr;
  }

  private error(message: string): ConditionSyntaxError {
    return new ConditionSyntaxError(message, this.i);
  }

  private enter(): void {
    if (++this.depth >= this.maxDepth) throw this.error(`exceeded max depth limit of ${this.maxDepth}`);
  }

  private leave(): void {
    this.depth--;
  }

  private parseOr(): Expr {
    this.enter();
    const pos = this.i;
    this.blank();
    const children = [this.parseAnd()];
    this.blank();
    while (this.str("or")) {
      if (this.blank()) children.push(this.parseAnd());
      else if (this.str("(")) children.push(this.parseEmbeddedRemainder());
      else throw this.error("expected blank or '(' after 'or'");
      this.blank();
    }
    this.leave();
    return children.length > 1 ? { kind: "or", children, pos } : children[0];
  }

  private parseAnd(): Expr {
    this.enter();
    const pos = this.i;
    this.blank();
    const children = [this.parseNot()];
    this.blank();
    while (this.str("and")) {
      if (this.blank()) children.push(this.parseNot());
      else if (this.str("(")) children.push(this.parseEmbeddedRemainder());
      else throw this.error("expected blank or '(' after 'and'");
      this.blank();
    }
    this.leave();
    return children.length > 1 ? { kind: "and", children, pos } : children[0];
  }

  private parseNot(): Expr {
    this.enter();
    const pos = this.i;
    let negate = false;
    this.blank();
    while (this.rgx(RGX_NOT_BLANK)) negate = !negate;
    let child: Expr;
    if (this.str("not(")) {
      negate = !negate;
      child = this.parseEmbeddedRemainder();
    } else {
      child = this.parseCheck();
    }
    this.leave();
    return negate ? { kind: "not", child, pos } : child;
  }

  /** The rest of a parenthesised expression, after its `(`. */
  private parseEmbeddedRemainder(): Expr {
    this.enter();
    this.blank();
    const child = this.parseOr();
    this.blank();
    if (!this.str(")")) throw this.error("expected a ')' token");
    this.leave();
    return child;
  }

  private parseCheck(): Expr {
    this.enter();
    const pos = this.i;
    this.blank();
    let result: Expr;
    if (this.str("(")) {
      result = this.parseEmbeddedRemainder();
    } else if (this.rgx(RGX_FIELD_NAME)) {
      result = this.parsePredicate(this.parseFieldRemainder(this.lastToken, pos), pos);
    } else if (this.transformerStart()) {
      result = this.parsePredicate(this.parseTransformerRemainder(pos), pos);
    } else if (this.rgx(RGX_IDENTIFIER)) {
      result = { kind: "macro", name: this.lastToken, pos };
    } else {
      throw this.error("expected a '(' token, a field check, or an identifier");
    }
    this.leave();
    return result;
  }

  parseFieldOrTransformer(): FieldOperand {
    this.enter();
    const pos = this.i;
    let result: FieldOperand;
    if (this.rgx(RGX_FIELD_NAME)) result = this.parseFieldRemainder(this.lastToken, pos);
    else if (this.transformerStart()) result = this.parseTransformerRemainder(pos);
    else throw this.error(`expected a field or a nested valid transformer: ${quoteList([...TRANSFORMERS.map((t) => t.slice(0, -1))])}`);
    this.leave();
    return result;
  }

  private parseFieldRemainder(name: string, pos: number): FieldRef {
    if (!this.str("[")) return { kind: "field", name, pos };
    if (!this.quoted() && !this.rgx(RGX_FIELD_ARG_BARE)) {
      throw this.error("expected a valid field argument: a quoted string or a bare string");
    }
    const arg = this.lastToken;
    if (!this.str("]")) throw this.error("expected a ']' token");
    return { kind: "field", name, arg, pos };
  }

  /** Matches `tolower(` etc.; leaves the transformer name in lastToken. */
  private transformerStart(): boolean {
    for (const t of TRANSFORMERS) {
      if (this.str(t)) {
        this.lastToken = t.slice(0, -1);
        return true;
      }
    }
    return false;
  }

  private parseTransformerRemainder(pos: number): FieldOperand {
    this.enter();
    const name = this.lastToken as TransformerName;
    this.blank();
    const operand = this.parseFieldOrTransformer();
    this.blank();
    if (!this.str(")")) throw this.error("expected a ')' token");
    this.leave();
    return { kind: "transformer", name, operand, pos };
  }

  private parsePredicate(left: FieldOperand, pos: number): Expr {
    this.enter();
    this.blank();
    let result: Expr;
    if (this.operator(UNARY_OPS)) {
      result = { kind: "unary", left, op: "exists", pos };
    } else {
      this.blank();
      let op: string;
      let right: BinaryCheck["right"];
      if (this.operator(NUM_OPS)) {
        op = this.lastToken;
        right = this.parseNumValueOrTransformer();
      } else if (this.operator(STR_OPS)) {
        op = this.lastToken;
        right = this.parseStrValueOrTransformer();
      } else if (this.operator(LIST_OPS)) {
        op = this.lastToken;
        right = this.parseListValueOrTransformer();
      } else {
        throw this.error(`expected a valid check operator: one of ${quoteList(OPERATORS)}`);
      }
      result = { kind: "binary", left, op, right, pos };
    }
    this.leave();
    return result;
  }

  private parseNumValueOrTransformer(): ValueOperand | FieldOperand {
    this.blank();
    const pos = this.i;
    const t = this.tryTransformerOrVal();
    if (t) return t;
    if (this.rgx(RGX_HEX_NUM) || this.rgx(RGX_NUMBER)) return { kind: "value", value: this.lastToken, pos };
    throw this.error(`expected a number value or a field with a valid transformer: ${quoteList(["val", ...TRANSFORMERS.map((t) => t.slice(0, -1))])}`);
  }

  private parseStrValueOrTransformer(): ValueOperand | FieldOperand {
    this.blank();
    const pos = this.i;
    const t = this.tryTransformerOrVal();
    if (t) return t;
    if (this.quoted() || this.rgx(RGX_BARE_STR)) return { kind: "value", value: this.lastToken, pos };
    throw this.error(`expected a string value or a field with a valid transformer: ${quoteList(["val", ...TRANSFORMERS.map((t) => t.slice(0, -1))])}`);
  }

  private parseListValueOrTransformer(): ListOperand | FieldOperand {
    this.blank();
    const pos = this.i;
    const list = this.tryList();
    if (list) return list;
    const t = this.tryTransformerOrVal();
    if (t) return t;
    // A bare identifier after a list operator is a one-element list.
    if (this.rgx(RGX_IDENTIFIER)) return { kind: "list", values: [this.lastToken], pos };
    throw this.error(`expected a list, an identifier, or a field with a valid transformer: ${quoteList(["val", ...TRANSFORMERS.map((t) => t.slice(0, -1))])}`);
  }

  private tryList(): ListOperand | undefined {
    const pos = this.i;
    if (!this.str("(")) return undefined;
    const values: string[] = [];
    this.blank();
    if (this.listItem()) {
      values.push(this.lastToken);
      this.blank();
      while (this.str(",")) {
        this.blank();
        if (!this.listItem()) throw this.error("expected a string value");
        values.push(this.lastToken);
        this.blank();
      }
    }
    if (!this.str(")")) throw this.error("expected a ')' token");
    return { kind: "list", values, pos };
  }

  private listItem(): boolean {
    return this.quoted() || this.rgx(RGX_BARE_STR);
  }

  private tryTransformerOrVal(): FieldOperand | undefined {
    this.blank();
    const pos = this.i;
    if (this.str("val(")) {
      this.blank();
      const fieldPos = this.i;
      if (!this.rgx(RGX_FIELD_NAME)) throw this.error("expected a field within 'val' transformer");
      const operand = this.parseFieldRemainder(this.lastToken, fieldPos);
      this.blank();
      if (!this.str(")")) throw this.error("expected a ')' token closing the transformer");
      return { kind: "transformer", name: "val", operand, pos };
    }
    if (this.transformerStart()) return this.parseTransformerRemainder(pos);
    return undefined;
  }

  // --- lexing helpers -------------------------------------------------------------------------

  private blank(): boolean {
    const start = this.i;
    for (;;) {
      const c = this.src.charCodeAt(this.i);
      // space, \t, \b, \r, \n
      if (c === 32 || c === 9 || c === 8 || c === 13 || c === 10) this.i++;
      else break;
    }
    return this.i > start;
  }

  private str(s: string): boolean {
    if (this.src.startsWith(s, this.i)) {
      this.lastToken = s;
      this.i += s.length;
      return true;
    }
    return false;
  }

  private rgx(re: RegExp): boolean {
    re.lastIndex = this.i;
    const m = re.exec(this.src);
    if (!m) return false;
    this.lastToken = m[0];
    this.i += m[0].length;
    return true;
  }

  /** Operators listed with a trailing space must be followed by at least one blank. */
  private operator(list: readonly string[]): boolean {
    for (const op of list) {
      if (!op.endsWith(" ")) {
        if (this.str(op)) return true;
        continue;
      }
      const save = this.i;
      const saveToken = this.lastToken;
      if (this.str(op.trimEnd())) {
        if (this.blank()) {
          this.lastToken = op.trimEnd();
          return true;
        }
        this.i = save;
        this.lastToken = saveToken;
      }
    }
    return false;
  }

  /**
   * A quoted string ends at the first delimiter not preceded by a backslash; its escapes are then
   * decoded. An unterminated quote does not match.
   */
  private quoted(): boolean {
    const delim = this.src[this.i];
    if (delim !== '"' && delim !== "'") return false;
    for (let j = this.i + 1; j < this.src.length; j++) {
      if (this.src[j] === delim && this.src[j - 1] !== "\\") {
        const raw = this.src.slice(this.i, j + 1);
        const start = this.i;
        this.i = j + 1;
        try {
          this.lastToken = unescapeQuoted(raw);
        } catch (e) {
          throw new ConditionSyntaxError((e as Error).message, start);
        }
        return true;
      }
    }
    return false;
  }
}

function quoteList(items: readonly string[]): string {
  return items.map((s) => `'${s}'`).join(", ");
}
