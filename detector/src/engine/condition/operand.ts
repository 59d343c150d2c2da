import { bindField, Extractor, FieldError, FieldType, FieldValue } from "../fields";
import { FieldOperand, operandText } from "./ast";

/** A compiled field operand: how to extract it, and the type it yields. */
export interface Operand {
  extract: Extractor;
  type: FieldType;
  list: boolean;
  text: string;
  /** Render uint64 values zero-padded to nine digits. */
  padded: boolean;
}

/** A compile error, with the offset in the condition (or output) of the offending part. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** True when the error is an unknown field, which `skip-if-unknown-filter` turns into a warning. */
    readonly unknownField = false,
  ) {
    super(message);
  }
}

const textEncoder = new TextEncoder();

let lastLowerIn: string | undefined;
let lastLowerOut = "";

/** ASCII-only lower-casing, as C's tolower in the C locale. */
export function asciiLower(s: string): string {
  // Checks in a row often lower the same value (`ct.request icontains A or ... icontains B`).
  if (s === lastLowerIn) return lastLowerOut;
  // eslint-disable-next-line no-control-regex
  const out = /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  lastLowerIn = s;
  lastLowerOut = out;
  return out;
}

export function asciiUpper(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.toUpperCase() : s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function b64decode(s: string): string | undefined {
  if (!B64.test(s)) return undefined;
  return Buffer.from(s, "base64").toString("utf8");
}

function basename(s: string): string {
  const i = s.lastIndexOf("/");
  return i < 0 ? s : s.slice(i + 1);
}

/** Applies a string-to-string transformer to a value or to every value of a list. */
function mapStrings(inner: Extractor, f: (s: string) => string | undefined): Extractor {
  return (ev) => {
    const v = inner(ev);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) {
      const out: string[] = [];
      for (const s of v) {
        const t = f(s);
        if (t === undefined) return undefined;
        out.push(t);
      }
      return out;
    }
    return f(v as string);
  };
}

export function compileOperand(op: FieldOperand): Operand {
  if (op.kind === "field") {
    try {
      const { def, extract } = bindField(op.name, op.arg);
      return { extract, type: def.type, list: !!def.list, text: operandText(op), padded: !!def.padded };
    } catch (e) {
      if (e instanceof FieldError) throw new CompileError(e.message, op.pos, e.message.includes("nonexistent field"));
      throw e;
    }
  }
  const inner = compileOperand(op.operand);
  const text = operandText(op);
  if (op.name === "val") return { ...inner, text };
  if (op.name === "len") {
    if (inner.type !== "string") throw transformerTypeError(op.name, inner, op.pos);
    const extract: Extractor = (ev) => {
      const v = inner.extract(ev);
      if (v === undefined) return undefined;
      return Array.isArray(v) ? BigInt(v.length) : BigInt(textEncoder.encode(v as string).length);
    };
    return { extract, type: "uint64", list: false, text, padded: false };
  }
  if (inner.type !== "string") throw transformerTypeError(op.name, inner, op.pos);
  const f: (s: string) => string | undefined =
    op.name === "tolower" ? asciiLower : op.name === "toupper" ? asciiUpper : op.name === "b64" ? b64decode : basename;
  const extract = mapStrings(inner.extract, f);
  return { extract: inner.list ? extract : lastEventMemo(text, extract), type: "string", list: inner.list, text, padded: false };
}

/** Transformed values by operand text, each remembering its last event's value. */
const sharedTransforms = new Map<string, Extractor>();

/**
 * Rules test the same transformed field many times per event (`tolower(ct.useragent) contains
 * kali or ... contains pacu`...): operands written alike share one extractor that keeps the value
 * it computed for the event being evaluated. A value depends on its event alone, so the one kept
 * is the one it would compute again.
 */
function lastEventMemo(text: string, extract: Extractor): Extractor {
  const known = sharedTransforms.get(text);
  if (known) return known;
  let lastEv: unknown;
  let lastValue: FieldValue | undefined;
  const memo: Extractor = (ev) => {
    if (ev !== lastEv) {
      lastValue = extract(ev);
      lastEv = ev;
    }
    return lastValue;
  };
  sharedTransforms.set(text, memo);
  return memo;
}

function transformerTypeError(name: string, inner: Operand, pos: number): CompileError {
  return new CompileError(
    `can't add field transformer: type '${inner.type}' is not supported by '${name}' transformer applied on ${inner.list ? "list " : ""}field '${inner.text}'`,
    pos,
  );
}

/** Renders an extracted value the way Falco prints it in text output. */
export function renderValue(v: FieldValue | undefined, padded = false): string {
  if (v === undefined) return "<NA>";
  if (typeof v === "string") return v;
  if (typeof v === "bigint") return padded ? v.toString().padStart(9, "0") : v.toString();
  if (typeof v === "boolean") return v ? "true" : "false";
  return `(${v.join(",")})`;
}
