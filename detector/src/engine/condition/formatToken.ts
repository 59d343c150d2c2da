import { didYouMean } from "../../suggest";
import { fieldHint, FIELDS } from "../fields";
import { CompileError, compileOperand, Operand } from "./operand";
import { parseFieldPrefix } from "./parser";

/** What was written as a field name after `%`: segments of letters, digits and `_` joined by dots. */
const WRITTEN_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*/;

/**
 * The field or transformer that starts `text` in an output format: the longest prefix that parses
 * and names a valid field, as libsinsp's formatter finds it. Unlike libsinsp, a field name that
 * runs on into more name characters (`%s3.buckett`) is refused rather than printed as s3.bucket
 * followed by "t": that is a misspelt field far more often than intended text.
 */
export function parseFieldFormatPrefix(text: string, offset: number): { operand: Operand; length: number } {
  let lastError = "";
  const written = WRITTEN_NAME.exec(text)?.[0];
  for (let size = text.length; size > 0; size--) {
    let found: { operand: Operand; length: number };
    try {
      const { operand, length } = parseFieldPrefix(text.slice(0, size));
      found = { operand: compileOperand(operand), length };
    } catch (e) {
      lastError = (e as Error).message;
      continue;
    }
    const field = text.slice(0, found.length);
    if (written && found.length < written.length && /[a-zA-Z0-9_]$/.test(field)) {
      const hint = didYouMean(written, FIELDS.keys()) || ` (${field} runs on into '${written.slice(found.length)}': end a field with a blank or punctuation)`;
      throw new CompileError(`unknown filter: ${written} is not a field${hint}`, offset, true);
    }
    return found;
  }
  if (written && written.includes(".")) throw new CompileError(`unknown filter: ${written} is not a field${fieldHint(written)}`, offset, true);
  throw new CompileError(`unknown filter: ${lastError}`, offset, true);
}
