import type { LoadLocation, LoadMessage } from "../types";

/** Where a definition or a value came from: file, offset in the file, and the item it belongs to. */
export interface Context {
  file: string;
  /** Offset of the YAML node in the file, or -1 when unknown. */
  offset: number;
  fileText: string;
  itemKind?: LoadLocation["itemKind"];
  itemName?: string;
}

/** A load failure; the first one aborts loading, as in Falco. */
export class LoadFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly ctx: Context,
    readonly inText?: { what: NonNullable<LoadLocation["inText"]>["what"]; text: string; offset: number },
  ) {
    super(message);
  }
}

/**
 * Runs `fn`; a load failure it throws is added to `errors` instead, so that every broken item is
 * reported, not only the first. A limit failure still stops the load: limits keep it bounded.
 */
export function collecting<T>(errors: LoadFailure[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof LoadFailure) || e.code === ERR.LIMIT) throw e;
    errors.push(e);
    return undefined;
  }
}

/** Where the newlines of the last text asked about are: a file's messages come one after another. */
let newlines: { text: string; at: number[] } | undefined;

export function lineOf(text: string, offset: number): number {
  if (newlines?.text !== text) {
    const at: number[] = [];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) at.push(i);
    newlines = { text, at };
  }
  // One more than the newlines before the offset.
  const { at } = newlines;
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

export function makeMessage(code: string, message: string, ctx: Context, inText?: LoadFailure["inText"]): LoadMessage {
  const location: LoadLocation = { file: ctx.file };
  if (ctx.offset >= 0) location.line = lineOf(ctx.fileText, ctx.offset);
  if (ctx.itemKind) location.itemKind = ctx.itemKind;
  if (ctx.itemName !== undefined) location.itemName = ctx.itemName;
  if (inText) location.inText = { ...inText, ...lineColumn(inText.text, inText.offset) };
  return { code, message, location, text: render(code, message, location) };
}

/** `file:line: rule 'name': condition at line L, column C: message [CODE]`, then the text with a caret. */
function render(code: string, message: string, loc: LoadLocation): string {
  let head = loc.file ?? "<rules>";
  if (loc.line !== undefined) head += `:${loc.line}`;
  const parts = [head];
  if (loc.itemKind) parts.push(loc.itemName !== undefined ? `${loc.itemKind} '${loc.itemName}'` : loc.itemKind);
  if (loc.inText) parts.push(`${loc.inText.what} at line ${loc.inText.line}, column ${loc.inText.column}`);
  let out = `${parts.join(": ")}: ${message} [${code}]`;
  if (loc.inText) {
    const lines = loc.inText.text.split("\n");
    const src = lines[loc.inText.line - 1] ?? "";
    out += `\n    ${src}\n    ${" ".repeat(Math.max(0, loc.inText.column - 1))}^`;
  }
  return out;
}

/** Stable codes, Falco's where Falco has one. */
export const ERR = {
  FILE_READ: "LOAD_ERR_FILE_READ",
  YAML_PARSE: "LOAD_ERR_YAML_PARSE",
  YAML_VALIDATE: "LOAD_ERR_YAML_VALIDATE",
  COMPILE_CONDITION: "LOAD_ERR_COMPILE_CONDITION",
  COMPILE_OUTPUT: "LOAD_ERR_COMPILE_OUTPUT",
  VALIDATE: "LOAD_ERR_VALIDATE",
  /** A limit that keeps loading bounded (see budget.ts): file size, expansion size, nesting. */
  LIMIT: "LOAD_ERR_LIMIT",
} as const;

export const WARN = {
  UNKNOWN_SOURCE: "LOAD_UNKNOWN_SOURCE",
  SOURCE_ALIAS: "LOAD_SOURCE_ALIAS",
  UNSAFE_NA_CHECK: "LOAD_UNSAFE_NA_CHECK",
  UNKNOWN_FILTER: "LOAD_UNKNOWN_FILTER",
  UNUSED_MACRO: "LOAD_UNUSED_MACRO",
  UNUSED_LIST: "LOAD_UNUSED_LIST",
  UNKNOWN_ITEM: "LOAD_UNKNOWN_ITEM",
  DEPRECATED_ITEM: "LOAD_DEPRECATED_ITEM",
  APPEND_NO_VALUES: "LOAD_APPEND_NO_VALUES",
  EXCEPTION_NAME_NOT_UNIQUE: "LOAD_EXCEPTION_NAME_NOT_UNIQUE",
  INVALID_MACRO_NAME: "LOAD_INVALID_MACRO_NAME",
  INVALID_LIST_NAME: "LOAD_INVALID_LIST_NAME",
  COMPILE_CONDITION: "LOAD_COMPILE_CONDITION",
  UNKNOWN_KEY: "LOAD_UNKNOWN_KEY",
} as const;

/** Collects warnings during a load. */
export class Diagnostics {
  readonly warnings: LoadMessage[] = [];
  warn(code: string, message: string, ctx: Context, inText?: LoadFailure["inText"]): void {
    this.warnings.push(makeMessage(code, message, ctx, inText));
  }
}
