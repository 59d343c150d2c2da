import { RawNumber } from "./exactJson";

/**
 * JSON text of a parsed value, compact or indented by `indent` spaces, printing numbers as the
 * record wrote them. Key order is the record's.
 *
 * The writer keeps its own stack instead of recursing: a record nested thousands of levels deep
 * (attacker-controlled request parameters) prints like any other instead of exhausting the call
 * stack.
 */
export function jsonText(value: unknown, indent = 0): string {
  return write(value, indent).text;
}

/**
 * JSON text of a value whose numbers must print as written: `native` is written first, and only
 * when it holds a number that may have been written otherwise (`mayDiffer`, default: any number)
 * is `twin()` (the same value parsed with numbers as written) asked for and written instead.
 * Values without such numbers, the common case, never need the exact parse.
 */
export function exactJsonText(native: unknown, twin: () => unknown, indent = 0, mayDiffer?: (value: number) => boolean): string {
  if (indent === 0) {
    const text = compactWithoutNumbers(native);
    if (text !== undefined) return text;
  }
  const first = write(native, indent, mayDiffer);
  if (!first.numbers) return first.text;
  const exact = twin();
  return exact === undefined || exact === native ? first.text : write(exact, indent).text;
}

/** A number in compact JSON follows a colon, a comma or a bracket (in a string it may too: then the writer decides). */
const NUMBER_AFTER = /[:,[]-?\d/;

/**
 * Compact JSON of a container that holds no number, written natively: the writer's own text, as
 * then nothing can print otherwise than written. Undefined when it may hold one, nests deeper than
 * the native writer goes, or is too long: the writer then does the work.
 */
function compactWithoutNumbers(v: unknown): string | undefined {
  if (v === null || typeof v !== "object" || v instanceof RawNumber) return undefined;
  let text: string;
  try {
    text = JSON.stringify(v);
  } catch {
    return undefined;
  }
  return text.length <= MAX_JSON_TEXT && !NUMBER_AFTER.test(text) ? text : undefined;
}

/**
 * The longest text written. Indented text of a deeply nested value grows with the square of its
 * depth; past this it is refused (the rule that asked reports the record) rather than filling memory.
 */
export const MAX_JSON_TEXT = 64 * 1024 * 1024;

interface Frame {
  container: object;
  /** Keys of an object; undefined for an array. */
  keys: string[] | undefined;
  next: number;
  pad: string;
}

function scalar(v: unknown): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    default:
      return "null";
  }
}

/** `numbers`: whether the value holds a number that may print otherwise than written (see exactJsonText). */
function write(root: unknown, indent: number, mayDiffer?: (value: number) => boolean): { text: string; numbers: boolean } {
  const step = indent > 0 ? " ".repeat(indent) : "";
  const nl = indent > 0 ? "\n" : "";
  const colon = indent > 0 ? ": " : ":";
  const stack: Frame[] = [];
  let numbers = false;
  let text = "";
  let v: unknown = root;
  let pad = "";
  for (;;) {
    // Write the value at hand: a scalar whole, a container's opening.
    if (v !== null && typeof v === "object" && !(v instanceof RawNumber)) {
      const keys = Array.isArray(v) ? undefined : Object.keys(v);
      const size = keys ? keys.length : (v as unknown[]).length;
      if (size === 0) text += keys ? "{}" : "[]";
      else {
        text += keys ? "{" : "[";
        stack.push({ container: v, keys, next: 0, pad });
      }
    } else if (v instanceof RawNumber) {
      numbers = true;
      text += v.text;
    } else {
      if (typeof v === "bigint" || (typeof v === "number" && !numbers && (!mayDiffer || mayDiffer(v)))) numbers = true;
      text += scalar(v);
    }
    // Move to the next member, closing the containers that are done.
    for (;;) {
      if (text.length > MAX_JSON_TEXT) throw new RangeError(`JSON text longer than ${MAX_JSON_TEXT} characters: the value is too large to print`);
      const top = stack[stack.length - 1];
      if (top === undefined) return { text, numbers };
      const size = top.keys ? top.keys.length : (top.container as unknown[]).length;
      if (top.next < size) {
        pad = top.pad + step;
        text += (top.next > 0 ? "," : "") + nl + pad;
        if (top.keys) {
          const key = top.keys[top.next];
          text += JSON.stringify(key) + colon;
          v = (top.container as Record<string, unknown>)[key];
        } else {
          v = (top.container as unknown[])[top.next];
        }
        top.next++;
        break;
      }
      text += nl + (indent > 0 ? top.pad : "") + (top.keys ? "}" : "]");
      stack.pop();
    }
  }
}
